package io.stackwire.reconcile.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.PortBinding;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The versioned JSON snapshot of a {@link LiveState} (docs/live-state-json.md): what {@code
 * stackwire export-state} writes and {@code plan --live-state FILE} reads, so CI can plan without
 * the production daemon. Writing then reading gives back an equal {@code LiveState}; the same state
 * always gives the same bytes.
 */
public final class LiveStateJson {

    /** Changes only for incompatible changes, as for the plan format. */
    public static final int FORMAT_VERSION = 1;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private LiveStateJson() {}

    /** Pretty-printed JSON with two-space indentation and a final newline. */
    public static String write(LiveState live) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return JsonPlan.MAPPER.writer(printer).writeValueAsString(toTree(live)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise live state", e);
        }
    }

    public static ObjectNode toTree(LiveState live) {
        ObjectNode root = NODES.objectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("api_version", live.apiVersion());
        ObjectNode swarm = root.putObject("swarm");
        swarm.put("role", lower(live.swarm().role()));
        swarm.put("node_id", live.swarm().nodeId());
        swarm.put("leader", live.swarm().leader());
        ArrayNode networks = root.putArray("networks");
        live.networks().values().forEach(n -> networks.add(network(n)));
        ArrayNode containers = root.putArray("containers");
        live.containers().values().forEach(c -> containers.add(container(c)));
        return root;
    }

    private static ObjectNode network(LiveNetwork n) {
        ObjectNode o = NODES.objectNode();
        o.put("id", n.id());
        o.put("name", n.name());
        o.put("driver", n.driver());
        o.put("scope", n.scope());
        o.put("internal", n.internal());
        o.put("attachable", n.attachable());
        o.put("ipv6", n.ipv6());
        o.set("ipam", JsonNodes.ipam(n.ipam()));
        o.set("options", map(n.options()));
        o.set("labels", map(n.labels()));
        if (n.created() != null) {
            o.put("created", n.created().toString());
        }
        return o;
    }

    private static ObjectNode container(LiveContainer c) {
        ObjectNode o = NODES.objectNode();
        o.put("id", c.id());
        o.put("name", c.name());
        o.put("running", c.running());
        o.put("network_mode", c.networkMode());
        o.put("hostname", c.hostname());
        o.set("labels", map(c.labels()));
        ArrayNode endpoints = o.putArray("endpoints");
        for (LiveEndpoint e : c.endpoints()) {
            ObjectNode en = endpoints.addObject();
            en.put("network", e.network());
            en.put("network_id", e.networkId());
            ArrayNode aliases = en.putArray("aliases");
            e.aliases().forEach(aliases::add);
            en.put("ipv4_config", e.ipv4Config());
            en.put("ipv6_config", e.ipv6Config());
            en.put("ipv4_address", e.ipv4Address());
            en.put("ipv6_address", e.ipv6Address());
        }
        // Ports in docker run -p syntax: readable in a review, and PortBinding parses them back exactly.
        ArrayNode configured = o.putArray("configured_ports");
        c.configuredPorts().forEach(p -> configured.add(p.toString()));
        ArrayNode actual = o.putArray("actual_ports");
        c.actualPorts().forEach(p -> actual.add(p.toString()));
        return o;
    }

    private static ObjectNode map(Map<String, String> m) {
        return JsonNodes.stringMap(m);
    }

    private static String lower(Enum<?> e) {
        return JsonNodes.lower(e);
    }

    // ---- reading ----

    public static LiveState read(Path file) throws LiveStateFormatException {
        try {
            return read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LiveStateFormatException("cannot read live state file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a snapshot. Fields this version does not know are ignored (adding one is compatible).
     * Only {@code format_version}, {@code swarm.role}, each network's and container's {@code id} and
     * {@code name}, and each endpoint's {@code network} are required; every other field may be left
     * out (or be {@code null}) and reads as empty, {@code false} or absent. A missing required field
     * or a value of the wrong type refuses the whole snapshot, naming its JSON path
     * ({@code containers[2].endpoints[0].network: required}).
     *
     * @throws LiveStateFormatException saying what is wrong and what to do
     */
    public static LiveState read(String json) throws LiveStateFormatException {
        JsonNode root;
        try {
            root = JsonPlan.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new LiveStateFormatException("not a live state snapshot: invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.has("format_version")) {
            throw new LiveStateFormatException(
                    "not a live state snapshot: no \"format_version\" field (write one with: stackwire export-state --out FILE)");
        }
        JsonNode version = root.get("format_version");
        if (!version.isInt() || version.asInt() != FORMAT_VERSION) {
            throw new LiveStateFormatException("live state snapshot has format_version " + version
                    + ", but this stackwire reads only format_version " + FORMAT_VERSION
                    + "; export it again with this version of stackwire (stackwire export-state)");
        }
        try {
            TreeMap<String, LiveNetwork> networks = new TreeMap<>();
            int i = 0;
            for (JsonNode n : array(root, "networks", "")) {
                String path = "networks[" + i++ + "]";
                LiveNetwork net = readNetwork(object(n, path), path);
                if (networks.put(net.name(), net) != null) {
                    throw new IllegalArgumentException(path + ".name: network " + net.name() + " appears twice");
                }
            }
            TreeMap<String, LiveContainer> containers = new TreeMap<>();
            i = 0;
            for (JsonNode c : array(root, "containers", "")) {
                String path = "containers[" + i++ + "]";
                LiveContainer con = readContainer(object(c, path), path);
                if (containers.put(con.name(), con) != null) {
                    throw new IllegalArgumentException(path + ".name: container " + con.name() + " appears twice");
                }
            }
            JsonNode swarm = object(required(root, "swarm", ""), "swarm");
            String roleText = text(swarm, "role", "swarm");
            SwarmInfo.Role role = java.util.Arrays.stream(SwarmInfo.Role.values())
                    .filter(r -> lower(r).equals(roleText)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("swarm.role: '" + roleText + "' is not one of none, worker, manager"));
            // Snapshots from before `leader` existed: a manager was taken to lead.
            boolean leader = present(swarm, "leader") ? bool(swarm, "leader", "swarm") : role == SwarmInfo.Role.MANAGER;
            return new LiveState(networks, containers, new SwarmInfo(role, optionalText(swarm, "node_id", "swarm"), leader),
                    optionalText(root, "api_version", ""));
        } catch (IllegalArgumentException e) {
            throw new LiveStateFormatException("not a valid live state snapshot: " + e.getMessage(), e);
        }
    }

    private static LiveNetwork readNetwork(JsonNode n, String path) {
        String name = text(n, "name", path);
        Ipam ipam = Ipam.DEFAULT;
        if (present(n, "ipam")) {
            String at = path + ".ipam";
            JsonNode i = object(n.get("ipam"), at);
            List<IpamPool> pools = new ArrayList<>();
            int k = 0;
            for (JsonNode p : array(i, "pools", at)) {
                String pp = at + ".pools[" + k++ + "]";
                object(p, pp);
                pools.add(new IpamPool(optionalText(p, "subnet", pp), optionalText(p, "gateway", pp),
                        optionalText(p, "ip_range", pp), stringMap(p, "aux_addresses", pp)));
            }
            ipam = new Ipam(optionalText(i, "driver", at), pools, stringMap(i, "options", at));
        }
        return new LiveNetwork(text(n, "id", path), name, optionalText(n, "driver", path), optionalText(n, "scope", path),
                bool(n, "internal", path), bool(n, "attachable", path), bool(n, "ipv6", path),
                ipam, stringMap(n, "options", path), stringMap(n, "labels", path), instant(n, "created", path));
    }

    /** An optional ISO-8601 instant ({@code 2024-05-01T10:00:00Z}). */
    private static Instant instant(JsonNode n, String field, String path) {
        String v = optionalText(n, field, path);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(at(path, field) + ": not an ISO-8601 instant such as 2024-05-01T10:00:00Z: " + v);
        }
    }

    private static LiveContainer readContainer(JsonNode c, String path) {
        String name = text(c, "name", path);
        List<LiveEndpoint> endpoints = new ArrayList<>();
        int k = 0;
        for (JsonNode e : array(c, "endpoints", path)) {
            String ep = path + ".endpoints[" + k++ + "]";
            object(e, ep);
            List<String> aliases = new ArrayList<>();
            int a = 0;
            for (JsonNode alias : array(e, "aliases", ep)) {
                if (!alias.isTextual()) {
                    throw new IllegalArgumentException(ep + ".aliases[" + a + "]: must be a string");
                }
                aliases.add(alias.asText());
                a++;
            }
            endpoints.add(new LiveEndpoint(text(e, "network", ep), optionalText(e, "network_id", ep), aliases,
                    optionalText(e, "ipv4_config", ep), optionalText(e, "ipv6_config", ep),
                    optionalText(e, "ipv4_address", ep), optionalText(e, "ipv6_address", ep)));
        }
        return new LiveContainer(text(c, "id", path), name, bool(c, "running", path), optionalText(c, "network_mode", path),
                stringMap(c, "labels", path), endpoints, ports(c, "configured_ports", path), ports(c, "actual_ports", path),
                optionalText(c, "hostname", path));
    }

    private static List<PortBinding> ports(JsonNode c, String field, String path) {
        List<PortBinding> out = new ArrayList<>();
        int i = 0;
        for (JsonNode p : array(c, field, path)) {
            String at = path + "." + field + "[" + i++ + "]";
            if (!p.isTextual()) {
                throw new IllegalArgumentException(at + ": must be a string in docker run -p syntax, e.g. \"444:443\"");
            }
            try {
                out.add(PortBinding.parse(p.asText()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** {@code parent.field}, or {@code field} at the top level: the JSON path errors name. */
    private static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** Present and not {@code null}: an optional field written as {@code null} counts as left out. */
    private static boolean present(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && !v.isNull();
    }

    private static JsonNode required(JsonNode n, String field, String path) {
        if (!present(n, field)) {
            throw new IllegalArgumentException(at(path, field) + ": required");
        }
        return n.get(field);
    }

    private static JsonNode object(JsonNode n, String path) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(path + ": must be an object");
        }
        return n;
    }

    /** A missing array reads as empty, so that a hand-written snapshot can leave out what it has none of. */
    private static Iterable<JsonNode> array(JsonNode n, String field, String path) {
        if (!present(n, field)) {
            return List.of();
        }
        JsonNode v = n.get(field);
        if (!v.isArray()) {
            throw new IllegalArgumentException(at(path, field) + ": must be an array");
        }
        return v;
    }

    private static String text(JsonNode n, String field, String path) {
        JsonNode v = required(n, field, path);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(at(path, field) + ": must be a string");
        }
        return v.asText();
    }

    private static String optionalText(JsonNode n, String field, String path) {
        return present(n, field) ? text(n, field, path) : null;
    }

    private static boolean bool(JsonNode n, String field, String path) {
        if (!present(n, field)) {
            return false;
        }
        JsonNode v = n.get(field);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(at(path, field) + ": must be true or false");
        }
        return v.asBoolean();
    }

    private static Map<String, String> stringMap(JsonNode n, String field, String path) {
        Map<String, String> out = new TreeMap<>();
        if (!present(n, field)) {
            return out;
        }
        JsonNode v = n.get(field);
        if (!v.isObject()) {
            throw new IllegalArgumentException(at(path, field) + ": must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException(at(path, field) + "." + e.getKey() + ": must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
