package io.stackwire.reconcile.docker;

import static io.stackwire.reconcile.docker.DaemonJson.isTrue;
import static io.stackwire.reconcile.docker.DaemonJson.orEmpty;

import io.stackwire.model.IpAddress;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.PortBinding;
import io.stackwire.model.Protocol;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.docker.DaemonJson.Actor;
import io.stackwire.reconcile.docker.DaemonJson.Config;
import io.stackwire.reconcile.docker.DaemonJson.Endpoint;
import io.stackwire.reconcile.docker.DaemonJson.EndpointIpam;
import io.stackwire.reconcile.docker.DaemonJson.Event;
import io.stackwire.reconcile.docker.DaemonJson.HostBinding;
import io.stackwire.reconcile.docker.DaemonJson.HostConfig;
import io.stackwire.reconcile.docker.DaemonJson.Info;
import io.stackwire.reconcile.docker.DaemonJson.Inspect;
import io.stackwire.reconcile.docker.DaemonJson.ListedContainer;
import io.stackwire.reconcile.docker.DaemonJson.ListedPort;
import io.stackwire.reconcile.docker.DaemonJson.Network;
import io.stackwire.reconcile.docker.DaemonJson.NetworkIpam;
import io.stackwire.reconcile.docker.DaemonJson.NetworkSettings;
import io.stackwire.reconcile.docker.DaemonJson.Node;
import io.stackwire.reconcile.docker.DaemonJson.Pool;
import io.stackwire.reconcile.docker.DaemonJson.Swarm;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns the daemon's JSON, as {@link DaemonJson} binds it, into stackwire's records; nothing else leaves this package. */
final class Mappers {

    /** Deterministic order of port bindings: container port, protocol, host IP, host port. */
    static final Comparator<PortBinding> PORT_ORDER = Comparator.comparingInt(PortBinding::containerPortStart)
            .thenComparing(PortBinding::protocol)
            .thenComparing(PortBinding::hostIp)
            .thenComparingInt(PortBinding::hostPortStart)
            .thenComparingInt(PortBinding::hostPortEnd);

    private Mappers() {}

    /**
     * One element of {@code GET /networks}. The list call returns everything but the endpoints
     * (which are read from the containers), so no per-network inspect is needed.
     */
    static LiveNetwork network(Network n) {
        NetworkIpam ipamJson = n.ipam() == null ? new NetworkIpam(null, null, null) : n.ipam();
        List<IpamPool> pools = new ArrayList<>();
        for (Pool c : list(ipamJson.config())) {
            if (c == null) {
                c = new Pool(null, null, null, null);
            }
            pools.add(new IpamPool(
                    IpAddress.canonicalAddressOrCidr(text(c.subnet())),
                    IpAddress.canonicalAddressOrCidr(text(c.gateway())),
                    IpAddress.canonicalAddressOrCidr(text(c.ipRange())),
                    canonicalValues(stringMap(c.auxiliaryAddresses()))));
        }
        Ipam ipam = new Ipam(text(ipamJson.driver()), pools, stringMap(ipamJson.options()));
        return new LiveNetwork(
                orEmpty(n.id()),
                orEmpty(n.name()),
                text(n.driver()),
                text(n.scope()),
                isTrue(n.internal()),
                isTrue(n.attachable()),
                isTrue(n.enableIpv6()),
                ipam,
                stringMap(n.options()),
                stringMap(n.labels()),
                instant(n.created()));
    }

    /**
     * One object of {@code GET /events} as {@link EventStream#map} reads the stream's: container
     * and network events only (null for the others).
     */
    static DockerEvent event(Event e) {
        DockerEvent.Type type;
        if ("container".equals(e.type())) {
            type = DockerEvent.Type.CONTAINER;
        } else if ("network".equals(e.type())) {
            type = DockerEvent.Type.NETWORK;
        } else {
            return null;
        }
        String action = e.action() != null ? e.action() : orEmpty(e.status());
        Actor actor = e.actor() == null ? new Actor(null, null) : e.actor();
        Map<String, String> attrs = stringMap(actor.attributes());
        String id = actor.id() != null ? actor.id() : orEmpty(e.id());
        String name = attrs.getOrDefault("name", "");
        Instant time = e.timeNano() != null && e.timeNano() > 0
                ? Instant.ofEpochSecond(0, e.timeNano())
                : Instant.ofEpochSecond(e.time() == null ? 0 : e.time());
        return type == DockerEvent.Type.CONTAINER
                ? new DockerEvent(type, action, id, stripSlash(name), null, null, time, attrs)
                : new DockerEvent(type, action, id, name, name, attrs.get("container"), time, attrs);
    }

    /** Docker's RFC 3339 time ({@code 2024-05-01T10:00:00.123456789Z}, or with an offset); null when absent or unreadable. */
    static Instant instant(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            Instant at = OffsetDateTime.parse(text).toInstant();
            // Docker reports an unknown time as the zero time, year 1.
            return at.isBefore(Instant.EPOCH) ? null : at;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * One element of {@code GET /containers/json}: everything an inspect gives but the endpoints'
     * aliases (20.10's list reports none; newer ones some), the configured port bindings and the hostname
     * ({@code ObserveScope} says which containers need those). Published ports are the runtime ones.
     */
    static LiveContainer listedContainer(ListedContainer c) {
        String id = orEmpty(c.id());
        String name = id;
        for (String n : list(c.names())) {
            String stripped = stripSlash(String.valueOf(n));
            if (!stripped.contains("/")) { // legacy links add "/other/alias" names
                name = stripped;
                break;
            }
        }
        String state = orEmpty(c.state());
        boolean running = state.equals("running") || state.equals("paused") || state.equals("restarting");
        List<PortBinding> published = new ArrayList<>();
        if (running) {
            for (ListedPort p : list(c.ports())) {
                int host = p == null || p.publicPort() == null ? 0 : p.publicPort();
                if (host == 0) {
                    continue; // exposed, not published
                }
                int port = p.privatePort() == null ? 0 : p.privatePort();
                Protocol protocol = Protocol.fromDockerName(p.type() == null ? "tcp" : p.type());
                String ip = IpAddress.canonicalAddressOrCidr(text(p.ip()));
                published.add(new PortBinding(ip == null ? "" : ip, host, host, port, port, protocol == null ? Protocol.TCP : protocol));
            }
            published.sort(PORT_ORDER);
        }
        HostConfig host = c.hostConfig();
        NetworkSettings settings = c.networkSettings();
        return new LiveContainer(id, name, running, host == null ? null : text(host.networkMode()),
                stringMap(c.labels()), endpoints(settings == null ? null : settings.networks()), List.of(), published, "");
    }

    /**
     * One {@code GET /containers/ID/json} answer. Bound to {@link Inspect}, not docker-java's beans:
     * an observation inspects every container, and binding the full bean graph cost a cold JVM
     * about a second per thousand containers (docs/benchmarks.md).
     */
    static LiveContainer container(Inspect c) {
        String id = orEmpty(c.id());
        String rawName = text(c.name());
        String name = rawName == null ? id : stripSlash(rawName);
        boolean running = c.state() != null && isTrue(c.state().running());
        HostConfig host = c.hostConfig() == null ? new HostConfig(null, null) : c.hostConfig();
        Config config = c.config() == null ? new Config(null, null) : c.config();
        NetworkSettings settings = c.networkSettings() == null ? new NetworkSettings(null, null) : c.networkSettings();
        return new LiveContainer(id, name, running, text(host.networkMode()), stringMap(config.labels()),
                endpoints(settings.networks()),
                ports(host.portBindings()),
                running ? ports(settings.ports()) : List.of(),
                text(config.hostname()));
    }

    private static List<LiveEndpoint> endpoints(Map<String, Endpoint> networks) {
        List<LiveEndpoint> out = new ArrayList<>();
        if (networks != null) {
            networks.forEach((network, ep) -> {
                if (ep != null) {
                    out.add(endpoint(network, ep));
                }
            });
        }
        return out;
    }

    /** Read from the container's own settings: IPAMConfig is what was asked for, the rest is runtime. */
    static LiveEndpoint endpoint(String network, Endpoint ep) {
        EndpointIpam cfg = ep.ipamConfig() == null ? new EndpointIpam(null, null) : ep.ipamConfig();
        List<String> aliases = new ArrayList<>();
        for (String a : list(ep.aliases())) {
            aliases.add(String.valueOf(a));
        }
        return new LiveEndpoint(
                network,
                text(ep.networkId()),
                aliases,
                IpAddress.canonicalAddressOrCidr(text(cfg.ipv4Address())),
                IpAddress.canonicalAddressOrCidr(text(cfg.ipv6Address())),
                text(ep.ipAddress()),
                IpAddress.canonicalAddressOrCidr(text(ep.globalIpv6Address())),
                stringMap(ep.driverOpts()));
    }

    /**
     * Port bindings as the daemon stores them ({@code {"443/tcp": [{"HostIp": "", "HostPort":
     * "444"}]}}), one per container port and host address. An empty host IP stays empty (every
     * interface); an empty host port is 0 (random). Host addresses are not merged here: the runtime
     * list reports 0.0.0.0 and :: separately, and the normaliser decides what is equal.
     */
    static List<PortBinding> ports(Map<String, List<HostBinding>> ports) {
        if (ports == null) {
            return List.of();
        }
        List<PortBinding> out = new ArrayList<>();
        for (Map.Entry<String, List<HostBinding>> e : ports.entrySet()) {
            if (e.getValue() == null) {
                continue; // exposed, not published
            }
            String key = e.getKey();
            int slash = key.indexOf('/');
            int port;
            try {
                port = Integer.parseInt(slash < 0 ? key : key.substring(0, slash));
            } catch (NumberFormatException ex) {
                throw new IllegalStateException("daemon reported an unreadable container port '" + key + "'", ex);
            }
            Protocol protocol = slash < 0 ? Protocol.TCP : Protocol.fromDockerName(key.substring(slash + 1));
            if (protocol == null) {
                protocol = Protocol.TCP;
            }
            for (HostBinding b : e.getValue()) {
                HostBinding one = b == null ? new HostBinding(null, null) : b;
                int[] host = hostPorts(text(one.hostPort()));
                String ip = IpAddress.canonicalAddressOrCidr(text(one.hostIp()));
                out.add(new PortBinding(ip == null ? "" : ip, host[0], host[1], port, port, protocol));
            }
        }
        out.sort(PORT_ORDER);
        return List.copyOf(out);
    }

    /** The swarm part of {@code GET /info}: only an active node is in a swarm. */
    static SwarmInfo swarm(Info info) {
        Swarm s = info == null ? null : info.swarm();
        if (s == null || !"active".equals(s.localNodeState())) {
            return SwarmInfo.NONE;
        }
        SwarmInfo.Role role = isTrue(s.controlAvailable()) ? SwarmInfo.Role.MANAGER : SwarmInfo.Role.WORKER;
        return new SwarmInfo(role, orEmpty(s.nodeId()), false);
    }

    /** Adds leadership from the node's own manager status ({@code GET /nodes/ID}). */
    static SwarmInfo withLeader(SwarmInfo swarm, Node node) {
        boolean leader = node != null && node.managerStatus() != null && isTrue(node.managerStatus().leader());
        return new SwarmInfo(swarm.role(), swarm.nodeId(), leader);
    }

    static String stripSlash(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }

    /** "" or null is random (0,0); "8080" is one port; "8000-8010" a range Docker picks from. */
    static int[] hostPorts(String spec) {
        if (spec == null || spec.isBlank()) {
            return new int[] {0, 0};
        }
        int dash = spec.indexOf('-');
        try {
            if (dash < 0) {
                int p = Integer.parseInt(spec.trim());
                return p == 0 ? new int[] {0, 0} : new int[] {p, p};
            }
            return new int[] {Integer.parseInt(spec.substring(0, dash).trim()), Integer.parseInt(spec.substring(dash + 1).trim())};
        } catch (NumberFormatException e) {
            throw new IllegalStateException("daemon reported an unreadable host port '" + spec + "'", e);
        }
    }

    /** Absent, null and empty are all "not set". */
    private static String text(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    /** A JSON null value is empty; numbers and booleans arrive as their text, as users write option values. */
    static Map<String, String> stringMap(Map<String, String> m) {
        Map<String, String> out = new TreeMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, v == null ? "" : v));
        }
        return out;
    }

    private static Map<String, String> canonicalValues(Map<String, String> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, IpAddress.canonicalAddressOrCidr(v) == null ? v : IpAddress.canonicalAddressOrCidr(v)));
        return out;
    }
}
