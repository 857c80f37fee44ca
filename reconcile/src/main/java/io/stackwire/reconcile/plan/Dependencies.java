package io.stackwire.reconcile.plan;

import io.stackwire.model.Addresses;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.ObserveScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a plan read from the daemon to decide, and nothing else: the networks it names (declared,
 * referenced, ours to prune) with every endpoint on them, the declared containers with their
 * endpoints and configured ports, and the swarm role when an overlay is involved. A saved or
 * confirmed plan is stale only when one of these changed; a container or network nobody's plan
 * mentions can come and go freely.
 *
 * <p>Keys are resource addresses ({@code network.app}, {@code container.web}, {@code swarm}); a
 * value is the resource's facts as plain JSON values, or null when it did not exist.
 *
 * @param resources facts per address, sorted; null for a plan that carries none (one made by an
 *     earlier stackwire, checked against the whole daemon instead)
 */
public record Dependencies(SortedMap<String, Object> resources) {

    public static final Dependencies NONE = new Dependencies(null);

    static final String SWARM = "swarm";
    private static final String NETWORK = "network.";
    private static final String CONTAINER = "container.";

    public Dependencies {
        resources = resources == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(resources));
    }

    /** False for {@link #NONE}: the plan must be checked against the whole daemon. */
    public boolean recorded() {
        return resources != null;
    }

    /** Hex SHA-256 of the facts: equal for equal facts, whatever order they were gathered in. */
    public String fingerprint() {
        if (resources == null) {
            throw new IllegalStateException("a plan without recorded dependencies has no dependency fingerprint");
        }
        return Normalizer.sha256Hex(Normalizer.canonicalJson(resources));
    }

    /**
     * The facts of the named networks and containers (and the swarm role, if asked) in {@code live}.
     *
     * @param withEndpoints the networks whose every endpoint counts (those stackwire may change);
     *     on the others only the named containers' own endpoints count
     */
    public static Dependencies of(LiveState live, Collection<String> networks, Collection<String> withEndpoints,
            Collection<String> containers, boolean swarm) {
        SortedMap<String, Object> out = new TreeMap<>();
        TreeSet<String> nets = new TreeSet<>(networks);
        Map<String, SortedMap<String, Object>> endpointsOn = new TreeMap<>();
        for (String n : withEndpoints) {
            if (nets.contains(n)) {
                endpointsOn.put(n, new TreeMap<>());
            }
        }
        for (LiveContainer c : live.containers().values()) {
            for (LiveEndpoint e : c.endpoints()) {
                SortedMap<String, Object> on = endpointsOn.get(e.network());
                if (on != null) {
                    on.put(c.name(), endpoint(e));
                }
            }
        }
        for (String n : nets) {
            LiveNetwork ln = live.network(n);
            out.put(NETWORK + n, ln == null ? null : network(ln, endpointsOn.get(n)));
        }
        for (String name : new TreeSet<>(containers)) {
            LiveContainer c = live.container(name);
            out.put(CONTAINER + name, c == null ? null : container(c));
        }
        if (swarm) {
            SortedMap<String, Object> s = new TreeMap<>();
            s.put("role", live.swarm().role().name().toLowerCase(java.util.Locale.ROOT));
            s.put("leader", live.swarm().leader());
            out.put(SWARM, s);
        }
        return new Dependencies(out);
    }

    /** These facts plus {@code more} (the selectors' matches, {@link Selection#facts()}). */
    Dependencies with(SortedMap<String, Object> more) {
        if (more.isEmpty() || resources == null) {
            return this;
        }
        SortedMap<String, Object> all = new TreeMap<>(resources);
        all.putAll(more);
        return new Dependencies(all);
    }

    /**
     * What one {@code select:} entry matched when the plan was made.
     *
     * @param selector what it selects, for people ({@code compose project shop, service web})
     * @param containers the matched containers, sorted
     */
    public record Selected(String entry, String selector, List<String> containers) {}

    /**
     * What each {@code select:} entry matched when the plan was made, by entry: for renderers to
     * group the matched containers' changes under their entry.
     */
    public SortedMap<String, Selected> selections() {
        SortedMap<String, Selected> out = new TreeMap<>();
        if (resources == null) {
            return out;
        }
        resources.forEach((k, v) -> {
            if (k.startsWith(Selection.FACT_PREFIX) && v instanceof Map<?, ?> m && m.get("containers") instanceof List<?> l) {
                String entry = k.substring(Selection.FACT_PREFIX.length());
                out.put(entry, new Selected(entry, Selection.selectorOf(entry, v).describe(), l.stream().map(String::valueOf).toList()));
            }
        });
        return out;
    }

    /** The entry each selected container's changes belong to (the first entry, by name, that matched it). */
    public SortedMap<String, String> selectedBy() {
        SortedMap<String, String> out = new TreeMap<>();
        selections().values().forEach(s -> s.containers().forEach(c -> out.putIfAbsent(c, s.entry())));
        return out;
    }

    /**
     * What an observation must read in full to check these dependencies (and to plan the same
     * spec again): the containers and networks they name. Everything for {@link #NONE}, which is
     * checked against the whole daemon.
     */
    public ObserveScope scope() {
        if (resources == null) {
            return ObserveScope.ALL;
        }
        List<String> networks = new ArrayList<>();
        List<String> containers = new ArrayList<>();
        for (String key : resources.keySet()) {
            if (key.startsWith(NETWORK)) {
                networks.add(key.substring(NETWORK.length()));
            } else if (key.startsWith(CONTAINER)) {
                containers.add(key.substring(CONTAINER.length()));
            } else if (key.startsWith(Selection.FACT_PREFIX) && resources.get(key) instanceof Map<?, ?> m
                    && m.get("containers") instanceof List<?> l) {
                l.forEach(c -> containers.add(String.valueOf(c))); // what a selector matched
            }
        }
        return ObserveScope.of(containers, networks);
    }

    /** The same resources as observed in {@code live}: what {@link #changesIn} compares against. */
    public Dependencies observedIn(LiveState live) {
        List<String> networks = new ArrayList<>();
        List<String> withEndpoints = new ArrayList<>();
        List<String> containers = new ArrayList<>();
        SortedMap<String, Object> selections = new TreeMap<>();
        for (Map.Entry<String, Object> e : resources.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(Selection.FACT_PREFIX)) {
                // Matched again with the selector the fact records: a new replica changes the list.
                String entry = key.substring(Selection.FACT_PREFIX.length());
                var sel = Selection.selectorOf(entry, e.getValue());
                selections.put(key, Selection.fact(sel, Selection.matching(sel, live)));
            } else if (key.startsWith(NETWORK)) {
                networks.add(key.substring(NETWORK.length()));
                if (asMap(e.getValue()).containsKey("endpoints")) {
                    withEndpoints.add(key.substring(NETWORK.length()));
                }
            } else if (key.startsWith(CONTAINER)) {
                containers.add(key.substring(CONTAINER.length()));
            }
        }
        return of(live, networks, withEndpoints, containers, resources.containsKey(SWARM)).with(selections);
    }

    /**
     * What changed in {@code live} among the resources this plan depends on, one line each
     * ({@code network.app: endpoint web added}); empty when the plan still holds.
     */
    public List<String> changesIn(LiveState live) {
        Dependencies now = observedIn(live);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : resources.entrySet()) {
            Object was = e.getValue();
            Object is = now.resources.get(e.getKey());
            if (Normalizer.canonicalJson(was).equals(Normalizer.canonicalJson(is))) {
                continue;
            }
            String key = e.getKey();
            if (was == null) {
                out.add(key + ": created since the plan was made");
            } else if (is == null) {
                out.add(key + ": removed since the plan was made");
            } else {
                out.add(key + ": " + String.join(", ", differences(key, asMap(was), asMap(is))));
            }
        }
        return out;
    }

    private static List<String> differences(String key, Map<String, Object> was, Map<String, Object> is) {
        List<String> parts = new ArrayList<>();
        if (!Objects.equals(was.get("id"), is.get("id"))) {
            parts.add("re-created (id " + shortId(was.get("id")) + " -> " + shortId(is.get("id")) + ")");
        }
        TreeSet<String> fields = new TreeSet<>(was.keySet());
        fields.addAll(is.keySet());
        fields.remove("id");
        for (String f : fields) {
            Object a = was.get(f);
            Object b = is.get(f);
            if (Normalizer.canonicalJson(a).equals(Normalizer.canonicalJson(b))) {
                continue;
            }
            if (f.equals("containers") && a instanceof List<?> x && b instanceof List<?> y) {
                TreeSet<String> added = new TreeSet<>(y.stream().map(String::valueOf).toList());
                x.forEach(n -> added.remove(String.valueOf(n)));
                TreeSet<String> removed = new TreeSet<>(x.stream().map(String::valueOf).toList());
                y.forEach(n -> removed.remove(String.valueOf(n)));
                added.forEach(n -> parts.add("matches " + n + " now"));
                removed.forEach(n -> parts.add("no longer matches " + n));
            } else if (f.equals("endpoints") && a instanceof Map && b instanceof Map) {
                endpointDifferences(key.startsWith(NETWORK) ? "endpoint " : "endpoint on ", asMap(a), asMap(b), parts);
            } else {
                parts.add(f.replace('_', ' ') + " changed: " + Normalizer.canonicalJson(a) + " -> " + Normalizer.canonicalJson(b));
            }
        }
        return parts.isEmpty() ? List.of("changed") : parts;
    }

    private static void endpointDifferences(String what, Map<String, Object> was, Map<String, Object> is, List<String> parts) {
        TreeSet<String> names = new TreeSet<>(was.keySet());
        names.addAll(is.keySet());
        for (String n : names) {
            if (!is.containsKey(n)) {
                parts.add(what + n + " removed");
            } else if (!was.containsKey(n)) {
                parts.add(what + n + " added");
            } else if (!Normalizer.canonicalJson(was.get(n)).equals(Normalizer.canonicalJson(is.get(n)))) {
                TreeSet<String> changed = new TreeSet<>();
                Map<String, Object> a = asMap(was.get(n));
                Map<String, Object> b = asMap(is.get(n));
                TreeSet<String> keys = new TreeSet<>(a.keySet());
                keys.addAll(b.keySet());
                for (String k : keys) {
                    if (!Normalizer.canonicalJson(a.get(k)).equals(Normalizer.canonicalJson(b.get(k)))) {
                        changed.add(k.replace('_', ' '));
                    }
                }
                parts.add(what + n + " changed (" + String.join(", ", changed) + ")");
            }
        }
    }

    private static String shortId(Object id) {
        String s = String.valueOf(id);
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static SortedMap<String, Object> network(LiveNetwork n, SortedMap<String, Object> endpoints) {
        // endpoints is null for a network whose other endpoints change nothing in the plan
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("id", n.id());
        m.put("scope", n.scope());
        m.put("settings", Normalizer.network(n));
        m.put("labels", new TreeMap<String, Object>(n.labels()));
        // Daemon-added options matter to nobody, but a hand edit would: keep them all.
        m.put("options", new TreeMap<String, Object>(n.options()));
        if (endpoints != null) {
            m.put("endpoints", endpoints);
        }
        return m;
    }

    private static SortedMap<String, Object> container(LiveContainer c) {
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("id", c.id());
        m.put("network_mode", c.networkMode());
        m.put("ports", new ArrayList<>(Ports.portSet(c.configuredPorts())));
        SortedMap<String, Object> endpoints = new TreeMap<>();
        for (LiveEndpoint e : c.endpoints()) {
            SortedMap<String, Object> em = endpoint(e);
            em.put("network_id", e.networkId());
            endpoints.put(e.network(), em);
        }
        m.put("endpoints", endpoints);
        return m;
    }

    /** An endpoint's configuration (not its runtime address, which a restart changes). */
    private static SortedMap<String, Object> endpoint(LiveEndpoint e) {
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("aliases", List.copyOf(new TreeSet<>(e.aliases())));
        m.put("ipv4_address", Addresses.ip(e.ipv4Config()));
        m.put("ipv6_address", Addresses.ip(e.ipv6Config()));
        return m;
    }
}
