package io.stackwire.reconcile;

import io.stackwire.model.IpAddress;
import io.stackwire.model.PortBinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Port bindings normalised for comparing and showing, in the one {@link #ORDER} every list of
 * normalised bindings is sorted and printed in.
 */
final class PortBindings {

    /**
     * Protocol, host address, container port, host port: the order of the {@code ports} attribute
     * of plan changes and of every port list the planner and the controller print. Ranges are
     * merged back in this order ({@link #texts}), so {@code 80-81/tcp} and {@code 80-81/udp} stay
     * two runs rather than four interleaved singles.
     */
    static final Comparator<PortBinding> ORDER = Comparator
            .comparing(PortBinding::protocol)
            .thenComparing(PortBinding::hostIp)
            .thenComparingInt(PortBinding::containerPortStart)
            .thenComparingInt(PortBinding::hostPortStart)
            .thenComparingInt(PortBinding::hostPortEnd);

    private PortBindings() {}

    /**
     * A binding's host address as compared: empty (every interface) for {@code ""} and
     * {@code 0.0.0.0}, which Docker treats alike; any other address canonical ({@code ::} stays: it
     * is every IPv6 interface only).
     */
    static String hostIp(String ip) {
        if (ip == null || ip.isBlank() || "0.0.0.0".equals(ip.trim())) {
            return "";
        }
        String canonical = IpAddress.canonical(ip.trim());
        return canonical == null ? ip.trim() : canonical;
    }

    /**
     * Bindings compared one per container port, with host addresses normalised, sorted and without
     * duplicates: {@code 5000-5100:2000-2100} is 101 bindings; {@code 443} keeps host port 0
     * (random), so it equals the container's stored {@code 443} whatever port Docker picked; and a
     * {@code 0.0.0.0} and a {@code ::} binding of the same ports (how the daemon reports one binding
     * on every interface) are one binding on every interface.
     */
    static List<PortBinding> normalised(Collection<PortBinding> bindings) {
        List<PortBinding> singles = new ArrayList<>();
        Set<String> everyV4 = new HashSet<>();
        for (PortBinding b : bindings) {
            for (PortBinding one : b.expand()) {
                PortBinding n = new PortBinding(hostIp(one.hostIp()), one.hostPortStart(), one.hostPortEnd(),
                        one.containerPortStart(), one.containerPortEnd(), one.protocol());
                singles.add(n);
                if (n.hostIp().isEmpty()) {
                    everyV4.add(twinKey(n));
                }
            }
        }
        TreeSet<PortBinding> out = new TreeSet<>(ORDER);
        for (PortBinding n : singles) {
            if (!("::".equals(n.hostIp()) && everyV4.contains(twinKey(n)))) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    private static String twinKey(PortBinding b) {
        return b.hostPortStart() + "-" + b.hostPortEnd() + ":" + b.containerPortStart() + "/" + b.protocol();
    }

    /**
     * Canonical {@code -p} strings of normalised single bindings, runs of consecutive ports merged
     * back into ranges: 101 bindings print as {@code 5000-5100:2000-2100}.
     */
    static List<String> texts(Collection<PortBinding> normalised) {
        List<PortBinding> sorted = new ArrayList<>(normalised);
        sorted.sort(ORDER);
        List<String> out = new ArrayList<>();
        PortBinding run = null;
        for (PortBinding b : sorted) {
            if (run != null && extends_(run, b)) {
                int hostEnd = run.randomHostPort() ? 0 : b.hostPortEnd();
                run = new PortBinding(run.hostIp(), run.hostPortStart(), hostEnd, run.containerPortStart(),
                        b.containerPortEnd(), run.protocol());
                continue;
            }
            if (run != null) {
                out.add(run.toString());
            }
            run = b;
        }
        if (run != null) {
            out.add(run.toString());
        }
        return out;
    }

    private static boolean extends_(PortBinding run, PortBinding b) {
        if (run.protocol() != b.protocol() || !run.hostIp().equals(b.hostIp())
                || b.containerPortStart() != run.containerPortEnd() + 1 || b.size() != 1) {
            return false;
        }
        if (run.randomHostPort() || b.randomHostPort()) {
            return run.randomHostPort() && b.randomHostPort();
        }
        boolean singleHost = run.hostPortEnd() - run.hostPortStart() == run.containerPortEnd() - run.containerPortStart();
        return singleHost && b.hostPortStart() == b.hostPortEnd() && b.hostPortStart() == run.hostPortEnd() + 1;
    }

    /**
     * The normalised single bindings as {@code -p} texts, sorted as text and without ranges merged:
     * what fingerprints and plan dependencies record. Their text order is part of saved plans'
     * hashes, so it is kept rather than made {@link #ORDER}.
     */
    static List<String> keys(Collection<PortBinding> bindings) {
        TreeSet<String> out = new TreeSet<>();
        for (PortBinding p : normalised(bindings)) {
            out.add(p.toString());
        }
        return List.copyOf(out);
    }
}
