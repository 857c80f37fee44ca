package io.stackwire.reconcile.plan;

import io.stackwire.model.Protocol;
import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Facts about the machine the daemon runs on, found by a probe outside the planner (which does
 * no I/O) and handed to it as data.
 *
 * @param probed false when nothing is known (remote daemon, or no probe): no host checks are made
 * @param addresses the host's own IP addresses, canonical
 * @param busy host ports a process holds, by {@link #key} to what the probe saw
 */
public record HostPorts(boolean probed, Set<String> addresses, SortedMap<String, String> busy) {

    public static final HostPorts UNKNOWN = new HostPorts(false, Set.of(), new TreeMap<>());

    public HostPorts {
        addresses = addresses == null ? Set.of() : Collections.unmodifiableSortedSet(new TreeSet<>(addresses));
        busy = Collections.unmodifiableSortedMap(new TreeMap<>(busy == null ? new TreeMap<>() : busy));
    }

    /** {@code 127.0.0.1:5432/tcp}, {@code [::1]:53/udp}, {@code *:80/tcp} for every interface. */
    public static String key(String hostIp, int port, Protocol protocol) {
        String ip = hostIp == null || hostIp.isEmpty() ? "*" : hostIp.contains(":") ? "[" + hostIp + "]" : hostIp;
        return ip + ":" + port + "/" + protocol.dockerName();
    }
}
