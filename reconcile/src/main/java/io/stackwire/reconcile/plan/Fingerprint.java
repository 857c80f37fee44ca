package io.stackwire.reconcile.plan;

import io.stackwire.reconcile.Addresses;
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

/** A stable hash of the parts of a live state that planning depends on; saved plans carry it. */
public final class Fingerprint {

    private Fingerprint() {}

    /**
     * Hex SHA-256 of the normalised live state; equal states give equal fingerprints regardless of
     * map or list order. Covers the swarm role, each network's id, scope, attributes and all its
     * labels (ownership matters to planning), each container's id, network mode, configured
     * endpoints and configured ports. Leaves out what changes without anyone reconfiguring:
     * running state, runtime addresses, random host ports, the API version.
     */
    public static String of(LiveState live) {
        return Normalizer.sha256Hex(Normalizer.canonicalJson(canonical(live)));
    }

    /** The serialised form the fingerprint hashes; package-private for tests. */
    static SortedMap<String, Object> canonical(LiveState live) {
        SortedMap<String, Object> root = new TreeMap<>();
        root.put("swarm.role", live.swarm().role().name());
        SortedMap<String, Object> networks = new TreeMap<>();
        for (LiveNetwork n : live.networks().values()) {
            SortedMap<String, Object> m = new TreeMap<>(Normalizer.network(n));
            m.put("id", n.id());
            m.put("scope", n.scope());
            m.put("labels", new TreeMap<String, Object>(n.labels()));
            // Daemon-added options matter to nobody, but a hand edit would: keep them all.
            SortedMap<String, Object> options = new TreeMap<>();
            n.options().forEach(options::put);
            m.put("options.raw", options);
            networks.put(n.name(), m);
        }
        root.put("networks", networks);
        SortedMap<String, Object> containers = new TreeMap<>();
        for (LiveContainer c : live.containers().values()) {
            SortedMap<String, Object> m = new TreeMap<>();
            m.put("id", c.id());
            m.put("network_mode", c.networkMode());
            SortedMap<String, Object> endpoints = new TreeMap<>();
            for (LiveEndpoint e : c.endpoints()) {
                SortedMap<String, Object> em = new TreeMap<>();
                em.put("network_id", e.networkId());
                em.put("aliases", List.copyOf(new TreeSet<>(e.aliases())));
                em.put("ipv4_config", String.valueOf(Addresses.ip(e.ipv4Config())));
                em.put("ipv6_config", String.valueOf(Addresses.ip(e.ipv6Config())));
                endpoints.put(e.network(), em);
            }
            m.put("endpoints", endpoints);
            m.put("configured_ports", new ArrayList<>(PlanRun.portSet(c.configuredPorts())));
            containers.put(c.name(), m);
        }
        root.put("containers", containers);
        return root;
    }
}
