package io.stackwire.reconcile.daemon;

import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a strict {@link InMemoryDaemon} refuses as Docker does (no removal with endpoints, no
 * joining from {@code host} or {@code none}, overlays need {@code attachable}, no aliases on the
 * default bridge), and how it fills in what a create leaves open. With {@code clashes} it also
 * refuses what Docker refuses about address space: a pool that overlaps another network's, a
 * static address another endpoint has or that is the gateway. Off by default: a rollback that puts
 * back an old network or address after the plan gave its space to another step would be refused.
 */
final class DaemonRules {

    private final InMemoryDaemon daemon;
    final List<String> refusals = new ArrayList<>();
    /** Overlays a manager elsewhere in the swarm has created: a worker's connect finds them through the swarm. */
    final Map<String, NetworkCreate> swarmWide = new TreeMap<>();
    boolean clashes;

    DaemonRules(InMemoryDaemon daemon) {
        this.daemon = daemon;
    }

    LiveNetwork create(NetworkCreate r, String id, int seed) throws GatewayException {
        check(!NetworkSpec.isPredefined(r.name()), "create %s: a predefined name", r.name());
        LiveNetwork created = realise(r, id, freeSeed(seed));
        for (IpamPool p : clashes ? r.ipam().pools() : List.<IpamPool>of()) {
            for (LiveNetwork other : daemon.networks().values()) {
                for (IpamPool q : other.ipam().pools()) {
                    // Docker: "Pool overlaps with other one on this address space"
                    check(!(other.scope().equals(created.scope()) && overlap(p.subnet(), q.subnet())),
                            "create %s: subnet %s overlaps %s of %s", r.name(), p.subnet(), q.subnet(), other.name());
                }
            }
        }
        return created;
    }

    void remove(LiveNetwork n) throws GatewayException {
        check(!NetworkSpec.isPredefined(n.name()), "never remove a predefined network (%s)", n.name());
        for (LiveContainer c : daemon.containers().values()) {
            check(c.endpoint(n.name()) == null, "remove %s: %s still attached", n.name(), c.name());
        }
    }

    LiveEndpoint connect(LiveContainer c, String container, String network, EndpointConfig endpoint) throws GatewayException {
        if (!daemon.networks().containsKey(network) && swarmWide.containsKey(network)) {
            // the worker's daemon attaches through the swarm and then lists the overlay
            int seed = 5000 + daemon.networks().size();
            daemon.networks().put(network, realise(swarmWide.get(network), "id-swarm-" + network, seed));
        }
        LiveNetwork n = daemon.networks().get(network);
        check(n != null, "connect %s -> %s: network exists", container, network);
        check(c != null, "connect: container %s exists", container);
        check(!"host".equals(c.networkMode()), "connect %s: host containers cannot join", container);
        check(c.endpoint("none") == null, "%s must leave none first", container);
        if ("swarm".equals(n.scope())) {
            check(n.attachable(), "overlay %s attachable", network);
        }
        for (String ip : new String[] {endpoint.ipv4Address(), endpoint.ipv6Address()}) {
            if (ip == null || !clashes) {
                continue;
            }
            // Docker: "Address already in use" (for the gateway too); a stopped holder's address is free.
            for (LiveContainer other : daemon.containers().values()) {
                LiveEndpoint e = other.endpoint(network);
                check(!(e != null && (ip.equals(e.ipv4Address()) || ip.equals(e.ipv6Address()))),
                        "connect %s -> %s: %s in use by %s", container, network, ip, other.name());
            }
            for (IpamPool p : n.ipam().pools()) {
                check(!ip.equals(p.gateway()), "connect %s -> %s: %s is the gateway", container, network, ip);
            }
        }
        List<String> aliases = new ArrayList<>(endpoint.aliases());
        if (!"bridge".equals(n.name())) {
            aliases.add(c.shortId()); // Docker adds the short ID on its own
        } else {
            check(endpoint.aliases().isEmpty(), "connect %s: no aliases on the default bridge", container);
        }
        return new LiveEndpoint(n.name(), n.id(), aliases, endpoint.ipv4Address(), endpoint.ipv6Address(),
                !c.running() ? "" : endpoint.ipv4Address() != null ? endpoint.ipv4Address() : "10.99.0.1",
                c.running() && endpoint.ipv6Address() != null ? endpoint.ipv6Address() : "");
    }

    void replace(LiveContainer c, ContainerReplace request) throws GatewayException {
        check(c.id().equals(request.containerId()), "replace %s: the container observed (%s, now %s)", c.name(),
                request.containerId(), c.id());
    }

    private void check(boolean ok, String format, Object... args) throws GatewayException {
        if (!ok) {
            String why = String.format(format, args);
            refusals.add(why);
            throw new GatewayException(GatewayException.Kind.REFUSED, why);
        }
    }

    /** Like the daemon, a network created without an IPv4 subnet gets a pool no other network uses. */
    private int freeSeed(int from) {
        for (int seed = from; ; seed++) {
            String pool = "172." + (18 + seed % 10) + ".0.0/16";
            if (daemon.networks().values().stream().noneMatch(n -> n.ipam().pools().stream().anyMatch(p -> overlap(p.subnet(), pool)))) {
                return seed;
            }
        }
    }

    /**
     * The network a daemon reports after a create: it picks a pool when none is given (per address
     * family), fills in gateways, reports IPAM driver {@code default}, adds the overlay VXLAN id.
     */
    public static LiveNetwork realise(NetworkCreate c, String id, int seed) {
        List<IpamPool> pools = new ArrayList<>();
        boolean v4 = false;
        boolean v6 = false;
        for (IpamPool p : c.ipam().pools()) {
            v4 |= !p.isIpv6();
            v6 |= p.isIpv6();
            pools.add(new IpamPool(p.subnet(), p.gateway() != null ? p.gateway() : gateway(p.subnet()), p.ipRange(), p.auxAddresses()));
        }
        if (!v4) {
            pools.add(new IpamPool("172." + (18 + seed % 10) + ".0.0/16", "172." + (18 + seed % 10) + ".0.1", null, null));
        }
        if (c.ipv6() && !v6) {
            pools.add(new IpamPool("fd00:" + Integer.toHexString(seed) + "::/64", "fd00:" + Integer.toHexString(seed) + "::1", null, null));
        }
        Map<String, String> options = new TreeMap<>(c.options());
        boolean overlay = NetworkSpec.OVERLAY.equals(c.driver());
        if (overlay) {
            options.put("com.docker.network.driver.overlay.vxlanid_list", String.valueOf(4096 + seed));
        }
        return new LiveNetwork(id, c.name(), c.driver(), overlay ? "swarm" : "local", c.internal(), c.attachable(), c.ipv6(),
                new Ipam(c.ipam().driver(), pools, c.ipam().options()), options, c.labels());
    }

    private static String gateway(String subnet) {
        String addr = subnet.substring(0, subnet.indexOf('/'));
        if (addr.contains(":")) {
            return addr.endsWith("::") ? addr + "1" : null;
        }
        int dot = addr.lastIndexOf('.');
        return addr.substring(0, dot + 1) + (Integer.parseInt(addr.substring(dot + 1)) + 1);
    }

    /** Whether two CIDR subnets share an address (different families never do); the daemon's own check, not the planner's. */
    static boolean overlap(String a, String b) {
        BigInteger[] x = range(a);
        BigInteger[] y = range(b);
        return x != null && y != null && x[2].equals(y[2]) && x[0].compareTo(y[1]) <= 0 && y[0].compareTo(x[1]) <= 0;
    }

    /** {first, last, bits} of a CIDR subnet, or null when it is not one. */
    private static BigInteger[] range(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            return null;
        }
        try {
            byte[] addr = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            int bits = addr.length * 8;
            int host = bits - Integer.parseInt(cidr.substring(slash + 1));
            BigInteger first = new BigInteger(1, addr).shiftRight(host).shiftLeft(host);
            return new BigInteger[] {first, first.add(BigInteger.ONE.shiftLeft(host)).subtract(BigInteger.ONE), BigInteger.valueOf(bits)};
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
    }
}
