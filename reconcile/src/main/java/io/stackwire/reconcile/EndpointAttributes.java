package io.stackwire.reconcile;

import io.stackwire.model.IpAddress;
import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Endpoint attributes (aliases without Docker's own, configured addresses) of a spec attachment
 * and of a live endpoint, shaped as {@link Normalizer} describes; what is returned is unmodifiable.
 */
final class EndpointAttributes {

    private EndpointAttributes() {}

    /**
     * The aliases Docker adds on its own, dropped on both sides before comparing: the full ID, the
     * short ID (API 1.41 lists it in {@code Aliases}; 1.44 and later only in {@code DNSNames}), the
     * name, and the hostname (added on user-defined networks when it differs from the name; it
     * defaults to the short ID). Dropping them on both sides is also what makes a declared alias
     * equal to one of them no difference: Docker resolves it whether or not the endpoint lists it,
     * and does not list it twice.
     */
    static Set<String> autoAliases(LiveContainer c) {
        TreeSet<String> auto = new TreeSet<>(List.of(c.id(), c.shortId(), c.name()));
        if (!c.hostname().isBlank()) {
            auto.add(c.hostname().trim());
        }
        return Set.copyOf(auto);
    }

    /** A spec attachment's attributes; {@code live} (may be null) supplies the auto aliases to drop. */
    static SortedMap<String, Object> attachment(Attachment a, String container, LiveContainer live) {
        Set<String> auto = live == null ? Set.of(container) : autoAliases(live);
        return endpointAttributes(a.aliases(), auto, a.ipv4Address(), a.ipv6Address());
    }

    /** A live endpoint's configured attributes (not its runtime addresses). */
    static SortedMap<String, Object> endpoint(LiveEndpoint e, LiveContainer c) {
        return endpointAttributes(e.aliases(), autoAliases(c), e.ipv4Config(), e.ipv6Config());
    }

    /**
     * The live state with the addresses a swarm allocated taken out of the endpoint configs, where
     * the spec did not ask for them. On a swarm-scoped network the daemon writes the address the
     * manager allocated into the endpoint's IPAM config, so a configured address there is not known
     * to be static: it counts only where the spec declares one (and is compared then). Without this,
     * every attachment to an overlay would plan a reconnect, and a replaced overlay would try to
     * keep the old allocation. Everything else is returned as it was.
     */
    static LiveState withoutSwarmAllocations(LiveState live, Map<String, ContainerSpec> declared) {
        SortedMap<String, LiveContainer> containers = new TreeMap<>();
        boolean changed = false;
        for (LiveContainer c : live.containers().values()) {
            List<LiveEndpoint> endpoints = new ArrayList<>(c.endpoints().size());
            boolean mine = false;
            for (LiveEndpoint e : c.endpoints()) {
                LiveNetwork n = live.network(e.network());
                boolean swarm = n != null && "swarm".equals(n.scope());
                if (swarm && (e.ipv4Config() != null || e.ipv6Config() != null)) {
                    Attachment a = attachmentOf(declared.get(c.name()), e.network());
                    String v4 = a != null && a.ipv4Address() != null && !a.ipv4Address().isBlank() ? e.ipv4Config() : null;
                    String v6 = a != null && a.ipv6Address() != null && !a.ipv6Address().isBlank() ? e.ipv6Config() : null;
                    if (!Objects.equals(v4, e.ipv4Config()) || !Objects.equals(v6, e.ipv6Config())) {
                        e = new LiveEndpoint(e.network(), e.networkId(), e.aliases(), v4, v6, e.ipv4Address(), e.ipv6Address(), e.driverOpts());
                        mine = true;
                    }
                }
                endpoints.add(e);
            }
            if (mine) {
                c = new LiveContainer(c.id(), c.name(), c.running(), c.networkMode(), c.labels(), endpoints,
                        c.configuredPorts(), c.actualPorts(), c.hostname());
                changed = true;
            }
            containers.put(c.name(), c);
        }
        return changed ? new LiveState(live.networks(), containers, live.swarm(), live.apiVersion()) : live;
    }

    private static Attachment attachmentOf(ContainerSpec spec, String network) {
        if (spec != null) {
            for (Attachment a : spec.attachments()) {
                if (a.network().equals(network)) {
                    return a;
                }
            }
        }
        return null;
    }

    /** Aliases as a sorted set without Docker's own; what a reconnect must send. */
    static List<String> aliases(Collection<String> aliases, Set<String> auto) {
        TreeSet<String> out = new TreeSet<>();
        for (String a : aliases) {
            if (a != null && !a.isBlank() && !auto.contains(a.trim())) {
                out.add(a.trim());
            }
        }
        return List.copyOf(out);
    }

    private static SortedMap<String, Object> endpointAttributes(
            Collection<String> aliases, Set<String> auto, String ipv4, String ipv6) {
        SortedMap<String, Object> m = new TreeMap<>();
        List<String> al = aliases(aliases, auto);
        if (!al.isEmpty()) {
            m.put("aliases", al);
        }
        String v4 = IpAddress.canonical(ipv4);
        if (v4 != null) {
            m.put("ipv4_address", v4);
        }
        String v6 = IpAddress.canonical(ipv6);
        if (v6 != null) {
            m.put("ipv6_address", v6);
        }
        return Collections.unmodifiableSortedMap(m);
    }
}
