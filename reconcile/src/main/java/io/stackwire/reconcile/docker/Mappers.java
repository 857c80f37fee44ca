package io.stackwire.reconcile.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.Ports;
import io.stackwire.model.Addresses;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.PortBinding;
import io.stackwire.model.Protocol;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.SwarmInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns the daemon's JSON and docker-java's beans into stackwire's records; nothing else leaves this package. */
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
                    Addresses.canonical(text(c, "Subnet")),
                    Addresses.canonical(text(c, "Gateway")),
                    Addresses.canonical(text(c, "IPRange")),
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
                stringMap(n.path("Labels")));
    }

    static LiveContainer container(InspectContainerResponse c) {
        String name = c.getName() == null ? c.getId() : stripSlash(c.getName());
        boolean running = c.getState() != null && Boolean.TRUE.equals(c.getState().getRunning());
        String networkMode = c.getHostConfig() == null ? null : c.getHostConfig().getNetworkMode();
        Map<String, String> labels = c.getConfig() == null ? null : c.getConfig().getLabels();
        List<LiveEndpoint> endpoints = new ArrayList<>();
        Ports actual = null;
        if (c.getNetworkSettings() != null) {
            Map<String, ContainerNetwork> nets = c.getNetworkSettings().getNetworks();
            if (nets != null) {
                nets.forEach((net, ep) -> endpoints.add(endpoint(net, ep)));
            }
            actual = c.getNetworkSettings().getPorts();
        }
        Ports configured = c.getHostConfig() == null ? null : c.getHostConfig().getPortBindings();
        return new LiveContainer(c.getId(), name, running, networkMode, labels, endpoints,
                ports(configured), running ? ports(actual) : List.of());
    }

    /** Read from the container's own settings: IPAMConfig is what was asked for, the rest is runtime. */
    static LiveEndpoint endpoint(String network, ContainerNetwork ep) {
        ContainerNetwork.Ipam cfg = ep.getIpamConfig();
        return new LiveEndpoint(
                network,
                ep.getNetworkID(),
                ep.getAliases(),
                cfg == null ? null : Addresses.canonical(cfg.getIpv4Address()),
                cfg == null ? null : Addresses.canonical(cfg.getIpv6Address()),
                ep.getIpAddress(),
                Addresses.canonical(ep.getGlobalIPv6Address()));
    }

    /**
     * Port bindings as the daemon stores them, one per container port and host address. An empty
     * host IP stays empty (every interface); an empty host port is 0 (random). Host addresses are
     * not merged here: the runtime list reports 0.0.0.0 and :: separately, and the normaliser
     * decides what is equal.
     */
    static List<PortBinding> ports(Ports ports) {
        if (ports == null || ports.getBindings() == null) {
            return List.of();
        }
        List<PortBinding> out = new ArrayList<>();
        for (Map.Entry<ExposedPort, Ports.Binding[]> e : ports.getBindings().entrySet()) {
            if (e.getValue() == null) {
                continue; // exposed, not published
            }
            ExposedPort exposed = e.getKey();
            Protocol protocol = exposed.getProtocol() == null ? Protocol.TCP
                    : Protocol.fromDockerName(exposed.getProtocol().toString());
            if (protocol == null) {
                protocol = Protocol.TCP;
            }
            for (Ports.Binding b : e.getValue()) {
                int[] host = hostPorts(b.getHostPortSpec());
                String ip = b.getHostIp() == null ? "" : Addresses.canonical(b.getHostIp());
                out.add(new PortBinding(ip == null ? "" : ip, host[0], host[1],
                        exposed.getPort(), exposed.getPort(), protocol));
            }
        }
        out.sort(PORT_ORDER);
        return List.copyOf(out);
    }

    static SwarmInfo swarm(Info info) {
        com.github.dockerjava.api.model.SwarmInfo s = info == null ? null : info.getSwarm();
        if (s == null || s.getLocalNodeState() != LocalNodeState.ACTIVE) {
            return SwarmInfo.NONE;
        }
        SwarmInfo.Role role = Boolean.TRUE.equals(s.getControlAvailable()) ? SwarmInfo.Role.MANAGER : SwarmInfo.Role.WORKER;
        return new SwarmInfo(role, s.getNodeID(), false);
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
        m.forEach((k, v) -> out.put(k, Addresses.canonical(v) == null ? v : Addresses.canonical(v)));
        return out;
    }
}
