package io.stackwire.reconcile.render;

import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.PortBinding;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.render.JsonFormat.IpamJson;
import io.stackwire.reconcile.render.JsonFormat.PoolJson;
import io.stackwire.reconcile.render.LiveStateDocument.ContainerJson;
import io.stackwire.reconcile.render.LiveStateDocument.EndpointJson;
import io.stackwire.reconcile.render.LiveStateDocument.NetworkJson;
import io.stackwire.reconcile.render.LiveStateDocument.SwarmJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A bound {@link LiveStateDocument} to a {@link LiveState}. Types were checked while binding; this
 * checks what is required, what may not be {@code null} inside arrays and maps, and what must parse,
 * naming the JSON path of the first problem ({@code networks[0].id: required}).
 */
final class LiveStateReading {

    static final String NOT_A_PORT = ": must be a string in docker run -p syntax, e.g. \"444:443\"";

    private LiveStateReading() {}

    static LiveState liveState(LiveStateDocument doc) {
        TreeMap<String, LiveNetwork> networks = new TreeMap<>();
        each(doc.networks(), "networks", (n, at) -> unique(networks, network(n, at), LiveNetwork::name, at + ".name: network "));
        TreeMap<String, LiveContainer> containers = new TreeMap<>();
        each(doc.containers(), "containers", (c, at) -> unique(containers, container(c, at), LiveContainer::name, at + ".name: container "));
        SwarmJson swarm = required(doc.swarm(), "swarm");
        String roleText = required(swarm.role(), "swarm.role");
        SwarmInfo.Role role = Arrays.stream(SwarmInfo.Role.values())
                .filter(r -> JsonFormat.lower(r).equals(roleText)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("swarm.role: '" + roleText + "' is not one of none, worker, manager"));
        // Snapshots from before `leader` existed: a manager was taken to lead.
        boolean leader = swarm.leader() != null ? swarm.leader() : role == SwarmInfo.Role.MANAGER;
        return new LiveState(networks, containers, new SwarmInfo(role, swarm.nodeId(), leader), doc.apiVersion());
    }

    private static <T> T unique(Map<String, T> seen, T item, Function<T, String> name, String duplicate) {
        if (seen.put(name.apply(item), item) != null) {
            throw new IllegalArgumentException(duplicate + name.apply(item) + " appears twice");
        }
        return item;
    }

    private static LiveNetwork network(NetworkJson n, String path) {
        String name = required(n.name(), path + ".name");
        Ipam ipam = Ipam.DEFAULT;
        if (n.ipam() != null) {
            IpamJson i = n.ipam();
            String at = path + ".ipam";
            List<IpamPool> pools = each(i.pools(), at + ".pools",
                    (p, pp) -> new IpamPool(p.subnet(), p.gateway(), p.ipRange(), strings(p.auxAddresses(), pp + ".aux_addresses")));
            ipam = new Ipam(i.driver(), pools, strings(i.options(), at + ".options"));
        }
        return new LiveNetwork(required(n.id(), path + ".id"), name, n.driver(), n.scope(), n.internal(), n.attachable(), n.ipv6(),
                ipam, strings(n.options(), path + ".options"), strings(n.labels(), path + ".labels"),
                instant(n.created(), path + ".created"));
    }

    /** An optional ISO-8601 instant ({@code 2024-05-01T10:00:00Z}). */
    private static Instant instant(String v, String path) {
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(path + ": not an ISO-8601 instant such as 2024-05-01T10:00:00Z: " + v);
        }
    }

    private static LiveContainer container(ContainerJson c, String path) {
        String name = required(c.name(), path + ".name");
        List<LiveEndpoint> endpoints = each(c.endpoints(), path + ".endpoints", (e, ep) -> {
            List<String> aliases = each(e.aliases(), ep + ".aliases", (a, at) -> a, ": must be a string");
            return new LiveEndpoint(required(e.network(), ep + ".network"), e.networkId(), aliases,
                    e.ipv4Config(), e.ipv6Config(), e.ipv4Address(), e.ipv6Address());
        });
        return new LiveContainer(required(c.id(), path + ".id"), name, c.running(), c.networkMode(),
                strings(c.labels(), path + ".labels"), endpoints, ports(c.configuredPorts(), path + ".configured_ports"),
                ports(c.actualPorts(), path + ".actual_ports"), c.hostname());
    }

    private static List<PortBinding> ports(List<String> texts, String path) {
        return each(texts, path, (p, at) -> {
            try {
                return PortBinding.parse(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }, NOT_A_PORT);
    }

    /** A missing array reads as empty, so that a hand-written snapshot can leave out what it has none of. */
    private static <J, T> List<T> each(List<J> items, String path, BiFunction<J, String, T> read) {
        return each(items, path, read, ": must be an object");
    }

    private static <J, T> List<T> each(List<J> items, String path, BiFunction<J, String, T> read, String whenNull) {
        List<T> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            String at = path + "[" + i + "]";
            if (items.get(i) == null) {
                throw new IllegalArgumentException(at + whenNull);
            }
            out.add(read.apply(items.get(i), at));
        }
        return out;
    }

    private static Map<String, String> strings(Map<String, String> map, String path) {
        Map<String, String> out = new TreeMap<>();
        if (map != null) {
            map.forEach((k, v) -> out.put(k, required(v, path + "." + k, ": must be a string")));
        }
        return out;
    }

    private static <T> T required(T value, String path) {
        return required(value, path, ": required");
    }

    private static <T> T required(T value, String path, String problem) {
        if (value == null) {
            throw new IllegalArgumentException(path + problem);
        }
        return value;
    }
}
