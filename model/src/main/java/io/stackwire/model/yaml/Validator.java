package io.stackwire.model.yaml;

import io.stackwire.model.IpAddress;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.PortBinding;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.Severity;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.StackReader.BuiltAttachment;
import io.stackwire.model.yaml.StackReader.BuiltContainer;
import io.stackwire.model.yaml.StackReader.BuiltNetwork;
import io.stackwire.model.yaml.StackReader.BuiltPool;
import io.stackwire.model.yaml.StackReader.BuiltPort;
import io.stackwire.model.yaml.StackReader.BuiltStack;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Checks that span files: unique names, references, addresses against pools, port conflicts, lint. */
final class Validator {

    /** Ports worth calling out by name when they are published on every interface. */
    static final Map<Integer, String> WELL_KNOWN = Map.ofEntries(
            Map.entry(22, "SSH"), Map.entry(2375, "the Docker API (unencrypted)"), Map.entry(2376, "the Docker API"),
            Map.entry(3306, "MySQL"), Map.entry(5432, "PostgreSQL"), Map.entry(5984, "CouchDB"),
            Map.entry(6379, "Redis"), Map.entry(9042, "Cassandra"), Map.entry(9200, "Elasticsearch"),
            Map.entry(9300, "Elasticsearch transport"), Map.entry(11211, "memcached"), Map.entry(1433, "SQL Server"),
            Map.entry(1521, "Oracle DB"), Map.entry(27017, "MongoDB"), Map.entry(5672, "RabbitMQ"),
            Map.entry(15672, "RabbitMQ management"), Map.entry(2379, "etcd"), Map.entry(8500, "Consul"),
            Map.entry(9090, "Prometheus"), Map.entry(10250, "the kubelet API"));

    private final Diags diags;
    private final RepoPolicy policy;

    Validator(Diags diags, RepoPolicy policy) {
        this.diags = diags;
        this.policy = policy;
    }

    /** Names must be unique across every stack file, whether or not this host runs it. */
    void uniqueNames(List<BuiltStack> all) {
        Map<String, SourceRef> stacks = new HashMap<>();
        Map<String, SourceRef> networks = new HashMap<>();
        Map<String, SourceRef> containers = new HashMap<>();
        for (BuiltStack s : all) {
            if (s.name() != null) {
                unique(stacks, s.name(), s.at(), "stack", "duplicate-stack");
            }
            s.networks().forEach(n -> unique(networks, n.spec().name(), n.spec().source(), "network", "duplicate-network"));
            s.containers().forEach(c -> unique(containers, c.spec().name(), c.spec().source(), "container", "duplicate-container"));
        }
    }

    private void unique(Map<String, SourceRef> seen, String name, SourceRef at, String what, String code) {
        SourceRef first = seen.putIfAbsent(name, at);
        if (first != null) {
            diags.error(code, at, what + " '" + name + "' is already declared at " + first,
                    what + " names must be unique across all files; rename or remove one");
        }
    }

    /**
     * Checks the stacks one host runs.
     *
     * @param elsewhere networks declared in stacks this host does not run, by name
     */
    void selected(List<BuiltStack> stacks, Map<String, BuiltNetwork> elsewhere, String host) {
        Map<String, BuiltNetwork> networks = new TreeMap<>();
        for (BuiltStack s : stacks) {
            s.networks().forEach(n -> networks.putIfAbsent(n.spec().name(), n));
        }
        List<PortConflicts.Bound> bound = new ArrayList<>();
        Map<String, SourceRef> staticIps = new HashMap<>();
        for (BuiltStack s : stacks) {
            for (BuiltContainer c : s.containers()) {
                for (BuiltAttachment a : c.attachments()) {
                    attachment(c.spec().name(), a, networks, elsewhere, staticIps, host);
                }
                for (BuiltPort p : c.ports()) {
                    bound.add(new PortConflicts.Bound(c.spec().name(), p.binding(), p.at(), bound.size()));
                    publicPort(c.spec().name(), p);
                }
            }
        }
        // seq must follow the order the user reads: file, line, column.
        bound.sort(Comparator.comparing(PortConflicts.Bound::at, SOURCE_ORDER).thenComparingInt(PortConflicts.Bound::seq));
        List<PortConflicts.Bound> ordered = new ArrayList<>(bound.size());
        for (PortConflicts.Bound b : bound) {
            ordered.add(new PortConflicts.Bound(b.container(), b.binding(), b.at(), ordered.size()));
        }
        PortConflicts.check(ordered, diags);
        subnets(networks.values());
    }

    private void attachment(String container, BuiltAttachment a, Map<String, BuiltNetwork> networks,
            Map<String, BuiltNetwork> elsewhere, Map<String, SourceRef> staticIps, String host) {
        String name = a.spec().network();
        if (NetworkSpec.isPredefined(name)) {
            return;
        }
        BuiltNetwork n = networks.get(name);
        if (n == null) {
            BuiltNetwork other = elsewhere.get(name);
            if (other != null) {
                diags.error("network-not-on-host", a.spec().source(), "network '" + name + "' is declared in stack '"
                        + other.spec().stack() + "', which host '" + host + "' does not run",
                        "add '" + other.spec().stack() + "' to the stacks of hosts/" + host + ".yaml");
            } else {
                Set<String> names = new java.util.TreeSet<>(networks.keySet());
                names.addAll(elsewhere.keySet());
                diags.error("unknown-network", a.spec().source(), "container '" + container + "' uses network '" + name
                        + "', which no stack declares", Suggest.hint(name, names,
                        "declare it under networks:, with external: true if it exists outside stackwire"));
            }
            return;
        }
        NetworkSpec net = n.spec();
        if (net.external()) {
            return; // its settings are unknown here; the daemon is the judge
        }
        if (NetworkSpec.OVERLAY.equals(net.driver()) && !net.attachable()) {
            diags.error("overlay-not-attachable", a.spec().source(), "overlay network '" + name
                    + "' is not attachable, so container '" + container + "' cannot join it",
                    "add attachable: true to network '" + name + "'; only swarm services can use other overlays");
        }
        if (a.spec().ipv4Address() != null) {
            staticIp(container, name, n, IpAddress.parse(a.spec().ipv4Address()), a.ipv4At(), staticIps);
        }
        if (a.spec().ipv6Address() != null) {
            if (!net.ipv6()) {
                diags.error("ipv6-disabled", a.ipv6At(), "ipv6_address on network '" + name
                        + "', which does not enable IPv6", "add ipv6: true and an IPv6 subnet to network '" + name + "'");
            } else {
                staticIp(container, name, n, IpAddress.parse(a.spec().ipv6Address()), a.ipv6At(), staticIps);
            }
        }
    }

    private void staticIp(String container, String network, BuiltNetwork n, IpAddress ip, SourceRef at,
            Map<String, SourceRef> staticIps) {
        String family = ip.v6() ? "IPv6" : "IPv4";
        List<BuiltPool> pools = n.pools().stream().filter(p -> p.subnet().v6() == ip.v6()).toList();
        if (pools.isEmpty() && n.declaredPools() > n.pools().size()) {
            return; // a pool of this network is already reported as invalid
        }
        if (pools.isEmpty()) {
            diags.error("static-ip-needs-subnet", at, "static " + family + " address " + ip + " on network '" + network
                    + "', which declares no " + family + " subnet", "Docker only assigns static addresses from"
                    + " user-configured subnets: add ipam: {config: [{subnet: ...}]} to network '" + network + "'");
            return;
        }
        BuiltPool pool = pools.stream().filter(p -> p.subnet().contains(ip)).findFirst().orElse(null);
        if (pool == null) {
            diags.error("ip-outside-subnet", at, "address " + ip + " is outside the subnets of network '" + network + "' ("
                    + String.join(", ", pools.stream().map(p -> p.subnet().toString()).toList()) + ")",
                    "pick an address inside one of them");
            return;
        }
        String reserved = ip.equals(pool.gateway()) ? "the gateway"
                : pool.aux().contains(ip) ? "an aux address"
                : ip.value().equals(pool.subnet().first()) && pool.subnet().prefix() < ip.bits() - 1 ? "the subnet's network address"
                : !ip.v6() && ip.value().equals(pool.subnet().last()) && pool.subnet().prefix() < 31 ? "the broadcast address"
                : null;
        if (reserved != null) {
            diags.error("ip-reserved", at, "address " + ip + " is " + reserved + " of network '" + network + "'",
                    "pick another address");
            return;
        }
        SourceRef first = staticIps.putIfAbsent(network + "/" + ip, at);
        if (first != null) {
            diags.error("duplicate-ip", at, "address " + ip + " on network '" + network + "' is already given to another"
                    + " container at " + first, "every container needs its own address");
        }
    }

    private void subnets(Iterable<BuiltNetwork> networks) {
        record Owned(BuiltNetwork network, BuiltPool pool) {}
        List<Owned> pools = new ArrayList<>();
        boolean anyWithSubnet = false;
        for (BuiltNetwork n : networks) {
            NetworkSpec s = n.spec();
            if (s.external()) {
                continue;
            }
            n.pools().forEach(p -> pools.add(new Owned(n, p)));
            anyWithSubnet |= !n.pools().isEmpty();
            if (NetworkSpec.OVERLAY.equals(s.driver()) && !s.encrypted()) {
                diags.warning("overlay-unencrypted", s.source(), "overlay network '" + s.name()
                        + "' is not encrypted: traffic between hosts is sent in clear", "add encrypted: true");
            }
        }
        if (anyWithSubnet) {
            for (BuiltNetwork n : networks) {
                if (!n.spec().external() && n.declaredPools() == 0) {
                    diags.warning("missing-subnet", n.spec().source(), "network '" + n.spec().name()
                            + "' has no subnet while other networks declare theirs; the daemon will pick one that may"
                            + " clash later", "declare ipam: {config: [{subnet: ...}]}");
                }
            }
        }
        // Sort by family and first address; any overlap shows against the widest pool seen so far.
        pools.sort(Comparator.comparing((Owned o) -> o.pool().subnet().v6())
                .thenComparing(o -> o.pool().subnet().first()).thenComparing(o -> o.pool().at().toString()));
        Owned reach = null;
        for (Owned o : pools) {
            Cidr c = o.pool().subnet();
            if (reach != null && reach.pool().subnet().overlaps(c)) {
                Owned later = SOURCE_ORDER.compare(o.pool().at(), reach.pool().at()) >= 0 ? o : reach;
                Owned earlier = later == o ? reach : o;
                String where = later.network() == earlier.network() ? "another pool of the same network"
                        : "network '" + earlier.network().spec().name() + "'";
                diags.error("overlapping-subnets", later.pool().at(), "subnet " + later.pool().subnet() + " of network '"
                        + later.network().spec().name() + "' overlaps " + earlier.pool().subnet() + " of " + where
                        + " (" + earlier.pool().at() + ")", "give each network its own subnet");
            }
            if (reach == null || reach.pool().subnet().v6() != c.v6() || c.last().compareTo(reach.pool().subnet().last()) > 0) {
                reach = o;
            }
        }
    }

    static final Comparator<SourceRef> SOURCE_ORDER = Comparator.comparing(SourceRef::file)
            .thenComparingInt(SourceRef::line).thenComparingInt(SourceRef::column);

    private void publicPort(String container, BuiltPort p) {
        PortBinding b = p.binding();
        String ip = b.hostIp();
        if (!(ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::"))) {
            return;
        }
        String service = null;
        for (int port = b.containerPortStart(); port <= b.containerPortEnd() && service == null; port++) {
            service = WELL_KNOWN.get(port);
        }
        for (int port = b.hostPortStart(); port != 0 && port <= b.hostPortEnd() && service == null; port++) {
            service = WELL_KNOWN.get(port);
        }
        String interfaces = ip.isEmpty() ? "every interface (0.0.0.0 and ::)" : "every " + (ip.equals("::") ? "IPv6" : "IPv4")
                + " interface (" + ip + ")";
        String ports = b.randomHostPort() ? "a random host port" : "host port " + (b.hostPortStart() == b.hostPortEnd()
                ? "" + b.hostPortStart() : b.hostPortStart() + "-" + b.hostPortEnd());
        String message = "container '" + container + "' publishes " + (service == null ? "" : service + " on ") + ports
                + " (" + b + ") on " + interfaces;
        String local = "127.0.0.1:" + (b.randomHostPort() ? ":" : "") + stripIp(b);
        Severity severity = policy.denyPublicPorts() ? Severity.ERROR : Severity.WARNING;
        diags.add(severity, "public-port", p.at(), message, "bind it to one address, e.g. \"" + local + "\""
                + (policy.denyPublicPorts() ? "; stackwire.yaml sets deny_public_ports: true" : ""));
    }

    private static String stripIp(PortBinding b) {
        return new PortBinding("", b.hostPortStart(), b.hostPortEnd(), b.containerPortStart(), b.containerPortEnd(),
                b.protocol()).toString();
    }
}
