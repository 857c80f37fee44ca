package io.stackwire.reconcile.plan;

import io.stackwire.model.Addresses;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** A stable hash of the parts of a whole live state that planning can depend on. */
public final class Fingerprint {

    private Fingerprint() {}

    /**
     * Hex SHA-256 of the normalised live state; equal states give equal fingerprints regardless of
     * map or list order. Covers the swarm role, each network's id, scope, attributes and all its
     * labels (ownership matters to planning), each container's id, network mode, configured
     * endpoints and configured ports. Leaves out what changes without anyone reconfiguring:
     * running state, runtime addresses, random host ports, the API version.
     *
     * <p>Plans no longer carry it (they carry {@link Dependencies}, which cover only what they read);
     * it still checks plans saved by an earlier stackwire, and describes live-state snapshots.
     */
    public static String of(LiveState live) {
        return Normalizer.sha256Hex(canonical(live));
    }

    /**
     * The canonical text the fingerprint hashes: JSON with sorted keys. Written directly rather
     * than through nested maps, since it covers every endpoint of every container (hot in big plans).
     */
    static String canonical(LiveState live) {
        StringBuilder b = new StringBuilder(256 * (live.networks().size() + live.containers().size()));
        b.append("{\"containers\":{");
        boolean first = true;
        for (LiveContainer c : live.containers().values()) {
            b.append(first ? "" : ",").append(Normalizer.canonicalJson(c.name())).append(":{\"configured_ports\":")
                    .append(Normalizer.canonicalJson(new ArrayList<>(Ports.portSet(c.configuredPorts()))))
                    .append(",\"endpoints\":{");
            first = false;
            boolean firstEndpoint = true;
            // endpoints are sorted by network name (LiveContainer guarantees it)
            for (LiveEndpoint e : c.endpoints()) {
                SortedMap<String, Object> em = new TreeMap<>();
                em.put("aliases", List.copyOf(new TreeSet<>(e.aliases())));
                em.put("ipv4_config", String.valueOf(Addresses.ip(e.ipv4Config())));
                em.put("ipv6_config", String.valueOf(Addresses.ip(e.ipv6Config())));
                em.put("network_id", e.networkId());
                b.append(firstEndpoint ? "" : ",").append(Normalizer.canonicalJson(e.network())).append(':')
                        .append(Normalizer.canonicalJson(em));
                firstEndpoint = false;
            }
            b.append("},\"id\":").append(Normalizer.canonicalJson(c.id()))
                    .append(",\"network_mode\":").append(Normalizer.canonicalJson(c.networkMode())).append('}');
        }
        b.append("},\"networks\":{");
        first = true;
        for (LiveNetwork n : live.networks().values()) {
            SortedMap<String, Object> m = new TreeMap<>(Normalizer.network(n));
            m.put("id", n.id());
            m.put("scope", n.scope());
            m.put("labels", new TreeMap<String, Object>(n.labels()));
            // Daemon-added options matter to nobody, but a hand edit would: keep them all.
            m.put("options.raw", new TreeMap<String, Object>(n.options()));
            b.append(first ? "" : ",").append(Normalizer.canonicalJson(n.name())).append(':').append(Normalizer.canonicalJson(m));
            first = false;
        }
        b.append("},\"swarm.role\":").append(Normalizer.canonicalJson(live.swarm().role().name()))
                .append(",\"swarm.leader\":").append(live.swarm().leader()).append('}');
        return b.toString();
    }
}
