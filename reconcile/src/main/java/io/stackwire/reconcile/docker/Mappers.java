package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.DockerEvent;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwire.model.IpAddress;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.PortBinding;
import io.stackwire.model.Protocol;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.SwarmInfo;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns the daemon's JSON into stackwire's records; nothing else leaves this package. */
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
    static LiveNetwork network(JsonNode n) {
        JsonNode ipamNode = n.path("IPAM");
        List<IpamPool> pools = new ArrayList<>();
        for (JsonNode c : ipamNode.path("Config")) {
            pools.add(new IpamPool(
                    IpAddress.canonicalAddressOrCidr(text(c, "Subnet")),
                    IpAddress.canonicalAddressOrCidr(text(c, "Gateway")),
                    IpAddress.canonicalAddressOrCidr(text(c, "IPRange")),
                    canonicalValues(stringMap(c.path("AuxiliaryAddresses")))));
        }
        Ipam ipam = new Ipam(text(ipamNode, "Driver"), pools, stringMap(ipamNode.path("Options")));
        return new LiveNetwork(
                n.path("Id").asText(),
                n.path("Name").asText(),
                text(n, "Driver"),
                text(n, "Scope"),
                n.path("Internal").asBoolean(false),
                n.path("Attachable").asBoolean(false),
                n.path("EnableIPv6").asBoolean(false),
                ipam,
                stringMap(n.path("Options")),
                stringMap(n.path("Labels")),
                instant(n.path("Created")));
    }

    /**
     * One object of {@code GET /events} as {@link EventStream#map} reads the stream's: container
     * and network events only (null for the others).
     */
    static DockerEvent event(JsonNode e) {
        String kind = e.path("Type").asText("");
        DockerEvent.Type type;
        if (kind.equals("container")) {
            type = DockerEvent.Type.CONTAINER;
        } else if (kind.equals("network")) {
            type = DockerEvent.Type.NETWORK;
        } else {
            return null;
        }
        String action = e.path("Action").asText(e.path("status").asText(""));
        Map<String, String> attrs = stringMap(e.path("Actor").path("Attributes"));
        String id = e.path("Actor").path("ID").asText(e.path("id").asText(""));
        String name = attrs.getOrDefault("name", "");
        Instant time = e.path("timeNano").canConvertToLong() && e.path("timeNano").asLong() > 0
                ? Instant.ofEpochSecond(0, e.path("timeNano").asLong())
                : Instant.ofEpochSecond(e.path("time").asLong(0));
        return type == DockerEvent.Type.CONTAINER
                ? new DockerEvent(type, action, id, stripSlash(name), null, null, time, attrs)
                : new DockerEvent(type, action, id, name, name, attrs.get("container"), time, attrs);
    }

    /** Docker's RFC 3339 time ({@code 2024-05-01T10:00:00.123456789Z}, or with an offset); null when absent or unreadable. */
    static Instant instant(JsonNode n) {
        if (!n.isTextual() || n.asText().isEmpty()) {
            return null;
        }
        try {
            Instant at = OffsetDateTime.parse(n.asText()).toInstant();
            // Docker reports an unknown time as the zero time, year 1.
            return at.isBefore(Instant.EPOCH) ? null : at;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The parts of an inspect {@link #container(JsonNode)} reads; keep the two in step. */
    static final JsonPrune.Keep CONTAINER_FIELDS = JsonPrune.Keep.fields(Map.of(
            "Id", JsonPrune.Keep.ALL,
            "Name", JsonPrune.Keep.ALL,
            "State", JsonPrune.Keep.fields(Map.of("Running", JsonPrune.Keep.ALL)),
            "HostConfig", JsonPrune.Keep.fields(Map.of("NetworkMode", JsonPrune.Keep.ALL, "PortBindings", JsonPrune.Keep.ALL)),
            "Config", JsonPrune.Keep.fields(Map.of("Labels", JsonPrune.Keep.ALL, "Hostname", JsonPrune.Keep.ALL)),
            "NetworkSettings", JsonPrune.Keep.fields(Map.of("Networks", JsonPrune.Keep.ALL, "Ports", JsonPrune.Keep.ALL))));

    /** From the container list, the ids alone. */
    static final JsonPrune.Keep IDS = JsonPrune.Keep.fields(Map.of("Id", JsonPrune.Keep.ALL));

    /** The parts of a container list entry {@link #listedContainer(JsonNode)} reads. */
    static final JsonPrune.Keep LISTED = JsonPrune.Keep.fields(Map.of(
            "Id", JsonPrune.Keep.ALL,
            "Names", JsonPrune.Keep.ALL,
            "State", JsonPrune.Keep.ALL,
            "Labels", JsonPrune.Keep.ALL,
            "Ports", JsonPrune.Keep.ALL,
            "HostConfig", JsonPrune.Keep.fields(Map.of("NetworkMode", JsonPrune.Keep.ALL)),
            "NetworkSettings", JsonPrune.Keep.fields(Map.of("Networks", JsonPrune.Keep.ALL))));

    /**
     * One element of {@code GET /containers/json}: everything an inspect gives but the endpoints'
     * aliases (20.10's list reports none; newer ones some), the configured port bindings and the hostname
     * ({@code ObserveScope} says which containers need those). Published ports are the runtime ones.
     */
    static LiveContainer listedContainer(JsonNode c) {
        String id = c.path("Id").asText();
        String name = id;
        for (JsonNode n : c.path("Names")) {
            String stripped = stripSlash(n.asText());
            if (!stripped.contains("/")) { // legacy links add "/other/alias" names
                name = stripped;
                break;
            }
        }
        String state = c.path("State").asText("");
        boolean running = state.equals("running") || state.equals("paused") || state.equals("restarting");
        List<LiveEndpoint> endpoints = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> nets = c.path("NetworkSettings").path("Networks").fields();
        while (nets.hasNext()) {
            Map.Entry<String, JsonNode> e = nets.next();
            if (e.getValue().isObject()) {
                endpoints.add(endpoint(e.getKey(), e.getValue()));
            }
        }
        List<PortBinding> published = new ArrayList<>();
        if (running) {
            for (JsonNode p : c.path("Ports")) {
                int host = p.path("PublicPort").asInt(0);
                if (host == 0) {
                    continue; // exposed, not published
                }
                int port = p.path("PrivatePort").asInt();
                Protocol protocol = Protocol.fromDockerName(p.path("Type").asText("tcp"));
                String ip = IpAddress.canonicalAddressOrCidr(text(p, "IP"));
                published.add(new PortBinding(ip == null ? "" : ip, host, host, port, port, protocol == null ? Protocol.TCP : protocol));
            }
            published.sort(PORT_ORDER);
        }
        return new LiveContainer(id, name, running, text(c.path("HostConfig"), "NetworkMode"),
                stringMap(c.path("Labels")), endpoints, List.of(), published, "");
    }

    /**
     * One {@code GET /containers/ID/json} answer. Read as a tree, not through docker-java's beans:
     * an observation inspects every container, and binding the full bean graph cost a cold JVM
     * about a second per thousand containers (docs/benchmarks.md).
     */
    static LiveContainer container(JsonNode c) {
        String id = c.path("Id").asText();
        String rawName = text(c, "Name");
        String name = rawName == null ? id : stripSlash(rawName);
        boolean running = c.path("State").path("Running").asBoolean(false);
        String networkMode = text(c.path("HostConfig"), "NetworkMode");
        Map<String, String> labels = stringMap(c.path("Config").path("Labels"));
        List<LiveEndpoint> endpoints = new ArrayList<>();
        JsonNode settings = c.path("NetworkSettings");
        Iterator<Map.Entry<String, JsonNode>> nets = settings.path("Networks").fields();
        while (nets.hasNext()) {
            Map.Entry<String, JsonNode> e = nets.next();
            if (e.getValue().isObject()) {
                endpoints.add(endpoint(e.getKey(), e.getValue()));
            }
        }
        return new LiveContainer(id, name, running, networkMode, labels, endpoints,
                ports(c.path("HostConfig").path("PortBindings")),
                running ? ports(settings.path("Ports")) : List.of(),
                text(c.path("Config"), "Hostname"));
    }

    /** Read from the container's own settings: IPAMConfig is what was asked for, the rest is runtime. */
    static LiveEndpoint endpoint(String network, JsonNode ep) {
        JsonNode cfg = ep.path("IPAMConfig");
        List<String> aliases = new ArrayList<>();
        for (JsonNode a : ep.path("Aliases")) {
            aliases.add(a.asText());
        }
        return new LiveEndpoint(
                network,
                text(ep, "NetworkID"),
                aliases,
                IpAddress.canonicalAddressOrCidr(text(cfg, "IPv4Address")),
                IpAddress.canonicalAddressOrCidr(text(cfg, "IPv6Address")),
                text(ep, "IPAddress"),
                IpAddress.canonicalAddressOrCidr(text(ep, "GlobalIPv6Address")),
                stringMap(ep.path("DriverOpts")));
    }

    /**
     * Port bindings as the daemon stores them ({@code {"443/tcp": [{"HostIp": "", "HostPort":
     * "444"}]}}), one per container port and host address. An empty host IP stays empty (every
     * interface); an empty host port is 0 (random). Host addresses are not merged here: the runtime
     * list reports 0.0.0.0 and :: separately, and the normaliser decides what is equal.
     */
    static List<PortBinding> ports(JsonNode ports) {
        if (ports == null || !ports.isObject()) {
            return List.of();
        }
        List<PortBinding> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = ports.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
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
            for (JsonNode b : e.getValue()) {
                int[] host = hostPorts(text(b, "HostPort"));
                String ip = IpAddress.canonicalAddressOrCidr(text(b, "HostIp"));
                out.add(new PortBinding(ip == null ? "" : ip, host[0], host[1], port, port, protocol));
            }
        }
        out.sort(PORT_ORDER);
        return List.copyOf(out);
    }

    /** The swarm part of {@code GET /info}: only an active node is in a swarm. */
    static SwarmInfo swarm(JsonNode info) {
        JsonNode s = info == null ? null : info.path("Swarm");
        if (s == null || !"active".equals(s.path("LocalNodeState").asText())) {
            return SwarmInfo.NONE;
        }
        SwarmInfo.Role role = s.path("ControlAvailable").asBoolean(false) ? SwarmInfo.Role.MANAGER : SwarmInfo.Role.WORKER;
        return new SwarmInfo(role, s.path("NodeID").asText(), false);
    }

    /** Adds leadership from the node's own manager status ({@code GET /nodes/ID}). */
    static SwarmInfo withLeader(SwarmInfo swarm, JsonNode node) {
        boolean leader = node != null && node.path("ManagerStatus").path("Leader").asBoolean(false);
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

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    /** Numbers and booleans become their text, so option values compare as the strings users write. */
    private static Map<String, String> stringMap(JsonNode n) {
        Map<String, String> out = new TreeMap<>();
        if (n != null && n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
        }
        return out;
    }

    private static Map<String, String> canonicalValues(Map<String, String> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, IpAddress.canonicalAddressOrCidr(v) == null ? v : IpAddress.canonicalAddressOrCidr(v)));
        return out;
    }
}
