package io.stackwire.reconcile.host;

import io.stackwire.model.IpAddress;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.PortBinding;
import io.stackwire.model.Protocol;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.plan.HostPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds, on this machine, what the planner needs to know about the host ports a spec wants: the
 * host's own addresses and which wanted ports a process already holds. It only binds and closes
 * local sockets; it never connects anywhere. Meaningful only when the daemon runs on this machine
 * ({@link #daemonIsLocal}); in a container or against a remote daemon, plan without it.
 *
 * <p>A package of its own: it does I/O and produces the planner's input {@link HostPorts}, so it
 * sits beside the planner rather than in the package of the live-state records the planner reads.
 */
public final class HostProbe {

    private HostProbe() {}

    /** True when {@code dockerHost} (the DOCKER_HOST value, may be null) is unset or a unix socket. */
    public static boolean daemonIsLocal(String dockerHost) {
        return dockerHost == null || dockerHost.isBlank() || dockerHost.startsWith("unix://");
    }

    /**
     * Probes every fixed host port of a declared container that the container does not already
     * hold itself (its own binding would look busy), on the address the spec names.
     */
    public static HostPorts probe(DesiredState desired, LiveState live) {
        Set<String> addresses = addresses();
        TreeMap<String, String> busy = new TreeMap<>();
        for (ContainerSpec spec : desired.containers().values()) {
            LiveContainer lc = live.container(spec.name());
            if (!spec.managesPorts() || lc == null) {
                continue;
            }
            for (PortBinding b : Normalizer.ports(spec.ports())) {
                String ip = b.hostIp();
                if (b.randomHostPort() || b.protocol() == Protocol.SCTP || !(ip.isEmpty() || "::".equals(ip) || addresses.contains(ip))) {
                    continue; // an address the host lacks is reported by the planner itself
                }
                for (int port = b.hostPortStart(); port <= b.hostPortEnd(); port++) {
                    if (holds(lc, port, b.protocol())) {
                        continue;
                    }
                    String problem = tryBind(ip.isEmpty() ? "0.0.0.0" : ip, port, b.protocol());
                    if (problem != null) {
                        busy.put(HostPorts.key(ip, port, b.protocol()), problem);
                    }
                }
            }
        }
        // Without an interface list, addresses are not judged (the daemon will be).
        return new HostPorts(!addresses.isEmpty(), addresses, busy);
    }

    private static boolean holds(LiveContainer lc, int port, Protocol protocol) {
        List<PortBinding> own = new java.util.ArrayList<>(lc.configuredPorts());
        own.addAll(lc.actualPorts());
        for (PortBinding p : Normalizer.ports(own)) {
            if (p.protocol() == protocol && !p.randomHostPort() && p.hostPortStart() <= port && port <= p.hostPortEnd()) {
                return true;
            }
        }
        return false;
    }

    /** Null when the port could be bound (and was released at once), else why not. */
    static String tryBind(String ip, int port, Protocol protocol) {
        InetSocketAddress at = new InetSocketAddress(ip, port);
        try {
            if (protocol == Protocol.UDP) {
                try (DatagramChannel ch = DatagramChannel.open()) {
                    ch.bind(at);
                }
            } else {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(at);
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + " (" + ip + ":" + port + "/"
                    + protocol.dockerName() + ")";
        }
    }

    /** Every address of every interface of this machine, canonical. */
    public static Set<String> addresses() {
        Set<String> out = new TreeSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    String text = a.getHostAddress();
                    int zone = text.indexOf('%');
                    String canonical = IpAddress.canonical(zone < 0 ? text : text.substring(0, zone));
                    if (canonical != null) {
                        out.add(canonical);
                    }
                }
            }
        } catch (SocketException e) {
            // No interface list: leave the address check to the daemon.
        }
        return out;
    }
}
