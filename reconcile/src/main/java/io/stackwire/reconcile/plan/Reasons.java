package io.stackwire.reconcile.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** The fixed sentences that explain a change; they explain only and never drive the executor. */
final class Reasons {

    private static final String NONE = "(none)";

    private Reasons() {}

    /**
     * Compares normalised network attributes; adds each differing attribute key to {@code forces}
     * and one sentence per difference to {@code parts}, e.g. {@code subnet changed: 10.1.0.0/24 -> 10.2.0.0/24}.
     */
    static void networkDiff(SortedMap<String, Object> before, SortedMap<String, Object> after, List<String> forces, List<String> parts) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            Object b = before.get(k);
            Object a = after.get(k);
            if (Objects.equals(b, a)) {
                continue;
            }
            forces.add(k);
            switch (k) {
                case "ipam.config" -> pools(list(b), list(a), parts);
                case "options" -> perKey("option", map(b), map(a), parts);
                case "labels" -> perKey("label", map(b), map(a), parts);
                case "ipam.options" -> perKey("IPAM option", map(b), map(a), parts);
                case "ipam.driver" -> parts.add("IPAM driver changed: " + text(b) + " -> " + text(a));
                default -> parts.add(k + " changed: " + text(b) + " -> " + text(a));
            }
        }
    }

    private static void pools(List<Map<String, Object>> before, List<Map<String, Object>> after, List<String> parts) {
        Map<String, Map<String, Object>> b = bySubnet(before);
        Map<String, Map<String, Object>> a = bySubnet(after);
        if (!b.keySet().equals(a.keySet())) {
            parts.add("subnet changed: " + joined(b.keySet()) + " -> " + joined(a.keySet()));
            return;
        }
        int size = parts.size();
        for (String subnet : a.keySet()) {
            for (String[] attr : new String[][] {{"gateway", "gateway"}, {"ip_range", "IP range"}, {"aux_addresses", "aux addresses"}}) {
                Object x = b.get(subnet).get(attr[0]);
                Object y = a.get(subnet).get(attr[0]);
                if (!Objects.equals(x, y)) {
                    parts.add(attr[1] + " of " + subnet + " changed: " + text(x) + " -> " + text(y));
                }
            }
        }
        if (parts.size() == size) {
            parts.add("IPAM pools changed");
        }
    }

    private static void perKey(String what, Map<String, Object> before, Map<String, Object> after, List<String> parts) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            Object b = before.get(k);
            Object a = after.get(k);
            if (!Objects.equals(b, a)) {
                parts.add(what + " " + k + " changed: " + text(b) + " -> " + text(a));
            }
        }
    }

    /** {@code aliases changed: [a] -> [a, b]; ipv4 address changed: 10.0.0.5 -> 10.0.0.6}. */
    static String attachmentDiff(SortedMap<String, Object> before, SortedMap<String, Object> after) {
        List<String> parts = new ArrayList<>();
        for (String[] attr : new String[][] {{"aliases", "aliases"}, {"ipv4_address", "IPv4 address"}, {"ipv6_address", "IPv6 address"}}) {
            Object b = before.get(attr[0]);
            Object a = after.get(attr[0]);
            if (!Objects.equals(b, a)) {
                parts.add(attr[1] + " changed: " + text(b) + " -> " + text(a));
            }
        }
        return String.join("; ", parts);
    }

    private static Map<String, Map<String, Object>> bySubnet(List<Map<String, Object>> pools) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (Map<String, Object> p : pools) {
            out.put(String.valueOf(p.get("subnet")), p);
        }
        return out;
    }

    private static String joined(java.util.Collection<String> items) {
        return items.isEmpty() ? NONE : String.join(", ", items);
    }

    private static String text(Object v) {
        if (v == null) {
            return NONE;
        }
        if (v instanceof List<?> l && l.isEmpty()) {
            return "[]";
        }
        return v.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object v) {
        return v == null ? List.of() : (List<Map<String, Object>>) v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object v) {
        return v == null ? Map.of() : (Map<String, Object>) v;
    }
}
