package io.stackwire.model.yaml;

import io.stackwire.model.PortBinding;
import io.stackwire.model.Protocol;
import io.stackwire.model.SourceRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds host ports bound twice, in O(n log n): bindings on the same address are sorted and swept;
 * a binding on a specific address is checked against the all-interfaces bindings of its family by
 * binary search over their sorted starts with a running maximum end.
 */
final class PortConflicts {

    /** One host-port range of a container; {@code seq} orders bindings as written. */
    record Bound(String container, PortBinding binding, SourceRef at, int seq) {
        int start() {
            return binding.hostPortStart();
        }

        int end() {
            return binding.hostPortEnd();
        }
    }

    private PortConflicts() {}

    static void check(List<Bound> all, Diags diags) {
        Set<Long> reported = new HashSet<>();
        Map<String, List<Bound>> byAddress = new HashMap<>();
        Map<String, List<Bound>> wildcards = new HashMap<>();
        for (Bound b : all) {
            PortBinding p = b.binding();
            // A host range for one container port lets Docker pick any free port of it: no fixed claim.
            if (p.randomHostPort() || (p.size() == 1 && p.hostPortEnd() != p.hostPortStart())) {
                continue;
            }
            String ip = p.hostIp();
            Protocol proto = p.protocol();
            boolean v4Any = ip.isEmpty() || ip.equals("0.0.0.0");
            boolean v6Any = ip.isEmpty() || ip.equals("::");
            if (v4Any) {
                wildcards.computeIfAbsent(proto + "/4", k -> new ArrayList<>()).add(b);
            }
            if (v6Any) {
                wildcards.computeIfAbsent(proto + "/6", k -> new ArrayList<>()).add(b);
            }
            if (!v4Any && !v6Any) {
                byAddress.computeIfAbsent(proto + "/" + ip, k -> new ArrayList<>()).add(b);
            }
        }
        for (List<Bound> group : byAddress.values()) {
            sweep(group, diags, reported);
        }
        Map<String, Wild> index = new HashMap<>();
        for (Map.Entry<String, List<Bound>> e : wildcards.entrySet()) {
            sweep(e.getValue(), diags, reported);
            index.put(e.getKey(), new Wild(e.getValue()));
        }
        for (List<Bound> group : byAddress.values()) {
            for (Bound b : group) {
                String family = b.binding().hostIp().contains(":") ? "/6" : "/4";
                Wild w = index.get(b.binding().protocol() + family);
                Bound other = w == null ? null : w.overlapping(b);
                if (other != null) {
                    report(b, other, diags, reported);
                }
            }
        }
    }

    /** Sorted by start; overlaps found against the bound with the largest end so far. */
    private static void sweep(List<Bound> group, Diags diags, Set<Long> reported) {
        group.sort(Comparator.comparingInt(Bound::start).thenComparingInt(Bound::seq));
        Bound reach = null;
        for (Bound b : group) {
            if (reach != null && b.start() <= reach.end()) {
                report(b, reach, diags, reported);
            }
            if (reach == null || b.end() > reach.end()) {
                reach = b;
            }
        }
    }

    private static final class Wild {
        final List<Bound> sorted;
        final int[] starts;
        final Bound[] maxEnd;

        Wild(List<Bound> bounds) {
            sorted = new ArrayList<>(bounds);
            sorted.sort(Comparator.comparingInt(Bound::start).thenComparingInt(Bound::seq));
            starts = new int[sorted.size()];
            maxEnd = new Bound[sorted.size()];
            for (int i = 0; i < sorted.size(); i++) {
                starts[i] = sorted.get(i).start();
                Bound b = sorted.get(i);
                maxEnd[i] = i > 0 && maxEnd[i - 1].end() >= b.end() ? maxEnd[i - 1] : b;
            }
        }

        Bound overlapping(Bound b) {
            int lo = 0;
            int hi = starts.length - 1;
            int last = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (starts[mid] <= b.end()) {
                    last = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return last >= 0 && maxEnd[last].end() >= b.start() ? maxEnd[last] : null;
        }
    }

    /** Reported once per pair, at the binding written later, naming the earlier one. */
    private static void report(Bound a, Bound b, Diags diags, Set<Long> reported) {
        Bound later = a.seq() > b.seq() ? a : b;
        Bound earlier = later == a ? b : a;
        if (!reported.add(((long) later.seq() << 32) | earlier.seq())) {
            return;
        }
        diags.error("port-conflict", later.at(), "host port " + describe(later.binding()) + " of container '"
                + later.container() + "' is already bound by container '" + earlier.container() + "' ("
                + earlier.binding() + " at " + earlier.at() + ")",
                later.binding().allInterfaces() || earlier.binding().allInterfaces()
                        ? "a binding without a host address takes the port on every interface; pick another port or address"
                        : "pick another host port or address");
    }

    private static String describe(PortBinding p) {
        String ip = p.hostIp().isEmpty() ? "*" : p.hostIp().contains(":") ? "[" + p.hostIp() + "]" : p.hostIp();
        String ports = p.hostPortStart() == p.hostPortEnd() ? "" + p.hostPortStart() : p.hostPortStart() + "-" + p.hostPortEnd();
        return ip + ":" + ports + "/" + p.protocol().dockerName();
    }
}
