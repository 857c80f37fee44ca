package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.PortBinding;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.plan.Fingerprint;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LiveStateJsonTest {

    private static final Path SCHEMA = Path.of("..", "docs", "schemas", "live-state-v1.schema.json");

    /** Every field set, including nulls, IPv6, empty runtime addresses, every port form. */
    static LiveState everything() {
        LiveNetwork bridge = new LiveNetwork("b1", "bridge", "bridge", "local", false, false, false,
                new Ipam("default", List.of(new IpamPool("172.17.0.0/16", "172.17.0.1", null, Map.of())), Map.of()),
                Map.of("com.docker.network.bridge.default_bridge", "true"), Map.of()).createdAt(Instant.parse("2024-05-01T09:00:00Z"));
        LiveNetwork front = new LiveNetwork("f1", "front", "bridge", "local", true, true, true,
                new Ipam("default", List.of(
                        new IpamPool("10.1.0.0/24", "10.1.0.1", "10.1.0.128/25", Map.of("router", "10.1.0.2")),
                        new IpamPool("fd00:1::/64", null, null, Map.of())), Map.of("opt", "x")),
                Map.of("com.docker.network.driver.mtu", "1400"),
                Map.of("io.stackwire.managed", "true", "io.stackwire.stack", "shop", "team", "web"))
                .createdAt(Instant.parse("2024-05-01T10:00:00.123456789Z"));
        LiveNetwork overlay = new LiveNetwork("o1", "mesh", "overlay", "swarm", false, true, false, Ipam.DEFAULT, null, null)
                .createdAt(Instant.parse("2024-05-01T10:00:01Z"));
        LiveContainer web = new LiveContainer("0123456789abcdef", "web", true, "bridge", Map.of("app", "web"),
                List.of(new LiveEndpoint("front", "f1", List.of("web", "www", "0123456789ab"), "10.1.0.10", "fd00:1::10",
                                "10.1.0.10", "fd00:1::10"),
                        new LiveEndpoint("bridge", "b1", List.of(), null, null, "172.17.0.2", "")),
                List.of(PortBinding.parse("444:443"), PortBinding.parse("127.0.0.1::5432"), PortBinding.parse("[::1]:8080:80/udp"),
                        PortBinding.parse("5000-5001:2000-2001"), PortBinding.parse("9000")),
                List.of(PortBinding.parse("444:443"), PortBinding.parse("127.0.0.1:32768:5432")));
        LiveContainer stopped = new LiveContainer("fedcba9876543210", "db", false, "front", null,
                List.of(new LiveEndpoint("front", "", List.of("db", "dbhost"), "10.1.0.20", null, "", "")), null, null, "dbhost");
        LiveContainer hostNet = new LiveContainer("aaaa", "agent", true, "host", null, List.of(), null, null);
        return state(List.of(bridge, front, overlay), List.of(web, stopped, hostNet), new SwarmInfo(SwarmInfo.Role.MANAGER, "node-1"), "1.41");
    }

    static LiveState state(List<LiveNetwork> networks, List<LiveContainer> containers, SwarmInfo swarm, String api) {
        TreeMap<String, LiveNetwork> n = new TreeMap<>();
        networks.forEach(x -> n.put(x.name(), x));
        TreeMap<String, LiveContainer> c = new TreeMap<>();
        containers.forEach(x -> c.put(x.name(), x));
        return new LiveState(n, c, swarm, api);
    }

    @Test
    void roundTripGivesAnEqualStateAndTheSameBytes() throws Exception {
        LiveState live = everything();
        String json = LiveStateJson.write(live);
        LiveState back = LiveStateJson.read(json);

        assertThat(back).isEqualTo(live);
        assertThat(LiveStateJson.write(back)).isEqualTo(json);
        assertThat(Fingerprint.of(back)).isEqualTo(Fingerprint.of(live));
    }

    @Test
    void emptyStateRoundTrips() throws Exception {
        assertThat(LiveStateJson.read(LiveStateJson.write(LiveState.empty()))).isEqualTo(LiveState.empty());
    }

    @Test
    void writesPortsInDockerRunSyntaxAndNullsForUnsetStaticAddresses() throws Exception {
        JsonNode tree = JsonFormat.VALUES.readTree(LiveStateJson.write(everything()));
        JsonNode web = tree.get("containers").get(2);

        assertThat(web.get("name").asText()).isEqualTo("web");
        assertThat(web.get("configured_ports").toString())
                .isEqualTo("[\"444:443\",\"127.0.0.1::5432\",\"[::1]:8080:80/udp\",\"5000-5001:2000-2001\",\"9000\"]");
        assertThat(web.get("endpoints").get(0).get("network").asText()).isEqualTo("bridge");
        assertThat(web.get("endpoints").get(0).get("ipv4_config").isNull()).isTrue();
        assertThat(tree.get("swarm").get("role").asText()).isEqualTo("manager");
    }

    @Test
    void readsAMinimalHandWrittenSnapshot() throws Exception {
        LiveState live = LiveStateJson.read("""
                {"format_version": 1, "swarm": {"role": "none"},
                 "networks": [{"id": "n1", "name": "front", "ipam": {}}],
                 "containers": [{"id": "c1", "name": "web", "running": true,
                                 "endpoints": [{"network": "front", "aliases": ["w"]}],
                                 "future_field": 3}]}
                """);

        assertThat(live.network("front").ipam()).isEqualTo(Ipam.DEFAULT);
        assertThat(live.container("web").endpoint("front").aliases()).containsExactly("w");
        assertThat(live.container("web").endpoint("front").ipv4Config()).isNull();
        assertThat(live.swarm()).isEqualTo(SwarmInfo.NONE);
        assertThat(live.apiVersion()).isEmpty();
    }

    static Stream<Arguments> badSnapshots() {
        return Stream.of(
                Arguments.of("{", "invalid JSON at line 1"),
                Arguments.of("[]", "no \"format_version\" field (write one with: stackwire export-state --out FILE)"),
                Arguments.of("{\"format_version\": 2, \"swarm\": {\"role\": \"none\"}}",
                        "has format_version 2, but this stackwire reads only format_version 1; export it again"),
                Arguments.of("{\"format_version\": \"1\", \"swarm\": {\"role\": \"none\"}}", "has format_version \"1\""),
                Arguments.of("{\"format_version\": 1}", "not a valid live state snapshot: swarm: required"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {}}", "swarm.role: required"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"boss\"}}", "swarm.role: 'boss' is not one of none, worker, manager"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"networks\": [{\"name\": \"x\", \"ipam\": {}}]}",
                        "networks[0].id: required"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"networks\": {}}", "networks: must be an array"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"networks\": [\"front\"]}", "networks[0]: must be an object"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"containers\": "
                        + "[{\"id\": \"c\", \"name\": \"web\", \"configured_ports\": [\"80\", \"99999:80\"]}]}",
                        "containers[0].configured_ports[1]: host port 99999 is outside 1-65535"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"containers\": "
                        + "[{\"id\": \"c\", \"name\": \"web\"}, {\"id\": \"d\", \"name\": \"web\"}]}", "containers[1].name: container web appears twice"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"containers\": "
                        + "[{\"id\": \"c\", \"name\": \"web\", \"running\": \"yes\"}]}", "containers[0].running: must be true or false"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"containers\": [{\"id\": \"a\", \"name\": \"a\"},"
                        + " {\"id\": \"b\", \"name\": \"b\"}, {\"id\": \"c\", \"name\": \"web\", \"endpoints\": [{\"aliases\": [\"w\"]}]}]}",
                        "not a valid live state snapshot: containers[2].endpoints[0].network: required"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"containers\": "
                        + "[{\"id\": \"c\", \"name\": \"web\", \"endpoints\": [{\"network\": \"f\", \"aliases\": [1]}]}]}",
                        "containers[0].endpoints[0].aliases[0]: must be a string"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"containers\": "
                        + "[{\"id\": \"c\", \"name\": 7}]}", "containers[0].name: must be a string"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"networks\": "
                        + "[{\"id\": \"n\", \"name\": \"x\", \"labels\": {\"mtu\": 1500}}]}", "networks[0].labels.mtu: must be a string"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"networks\": "
                        + "[{\"id\": \"n\", \"name\": \"x\", \"ipam\": {\"pools\": [{\"subnet\": 10}]}}]}", "networks[0].ipam.pools[0].subnet: must be a string"),
                Arguments.of("{\"format_version\": 1, \"swarm\": {\"role\": \"none\"}, \"networks\": "
                        + "[{\"id\": \"n\", \"name\": \"x\", \"created\": \"yesterday\"}]}",
                        "networks[0].created: not an ISO-8601 instant such as 2024-05-01T10:00:00Z: yesterday"));
    }

    @ParameterizedTest
    @MethodSource("badSnapshots")
    void refusesWhatItCannotReadWithAClearMessage(String json, String message) {
        assertThatThrownBy(() -> LiveStateJson.read(json))
                .isInstanceOf(LiveStateFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void writerEmitsExactlyTheSchemasProperties() throws Exception {
        JsonNode schema = JsonFormat.VALUES.readTree(SCHEMA.toFile());
        JsonNode defs = schema.get("$defs");
        JsonNode live = JsonFormat.VALUES.readTree(LiveStateJson.write(everything()));

        assertThat(keys(live)).isEqualTo(properties(schema));
        assertThat(keys(live.get("swarm"))).isEqualTo(properties(defs.get("swarm")));
        for (JsonNode n : live.get("networks")) {
            assertThat(keys(n)).isEqualTo(properties(defs.get("network")));
            assertThat(keys(n.get("ipam"))).isEqualTo(properties(defs.get("ipam")));
        }
        assertThat(keys(live.get("networks").get(1).get("ipam").get("pools").get(0))).isEqualTo(properties(defs.get("pool")));
        for (JsonNode c : live.get("containers")) {
            assertThat(keys(c)).isEqualTo(properties(defs.get("container")));
            for (JsonNode e : c.get("endpoints")) {
                assertThat(keys(e)).isEqualTo(properties(defs.get("endpoint")));
            }
        }
        assertThat(schema.get("properties").get("format_version").get("const").asInt()).isEqualTo(LiveStateJson.FORMAT_VERSION);
    }

    /**
     * The reader accepts exactly what the schema says: each field the schema requires, left out of
     * a full snapshot, is refused naming its JSON path; each other field may be left out, or be null.
     */
    @Test
    void readerRequiresExactlyWhatTheSchemaRequires() throws Exception {
        JsonNode schema = JsonFormat.VALUES.readTree(SCHEMA.toFile());
        JsonNode defs = schema.get("$defs");
        Map<String, JsonNode> objects = new java.util.LinkedHashMap<>();
        objects.put("", schema);
        objects.put("swarm", defs.get("swarm"));
        objects.put("networks[1]", defs.get("network"));
        objects.put("networks[1].ipam", defs.get("ipam"));
        objects.put("networks[1].ipam.pools[0]", defs.get("pool"));
        objects.put("containers[1]", defs.get("container"));
        objects.put("containers[1].endpoints[0]", defs.get("endpoint"));
        int checked = 0;
        for (Map.Entry<String, JsonNode> o : objects.entrySet()) {
            List<String> required = required(o.getValue());
            for (String field : properties(o.getValue())) {
                String path = o.getKey().isEmpty() ? field : o.getKey() + "." + field;
                for (boolean asNull : new boolean[] {false, true}) {
                    com.fasterxml.jackson.databind.node.ObjectNode tree = LiveStateJson.toTree(everything());
                    com.fasterxml.jackson.databind.node.ObjectNode parent = (com.fasterxml.jackson.databind.node.ObjectNode) at(tree, o.getKey());
                    if (asNull) {
                        parent.putNull(field);
                    } else {
                        parent.remove(field);
                    }
                    String json = tree.toString();
                    if (field.equals("format_version")) {
                        assertThatThrownBy(() -> LiveStateJson.read(json)).isInstanceOf(LiveStateFormatException.class);
                    } else if (required.contains(field)) {
                        assertThatThrownBy(() -> LiveStateJson.read(json)).as(path)
                                .isInstanceOf(LiveStateFormatException.class)
                                .hasMessage("not a valid live state snapshot: " + path + ": required");
                    } else {
                        assertThat(LiveStateJson.read(json)).as(path).isNotNull();
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(60);
    }

    /** The node at a path like {@code containers[0].endpoints[0]}. */
    private static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        if (path.isEmpty()) {
            return n;
        }
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            if (bracket < 0) {
                n = n.get(part);
            } else {
                n = n.get(part.substring(0, bracket)).get(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
            }
        }
        return n;
    }

    @Test
    void anOptionalFieldLeftOutReadsAsItsDocumentedDefault() throws Exception {
        LiveState live = LiveStateJson.read("""
                {"format_version": 1, "swarm": {"role": "manager"},
                 "networks": [{"id": "n1", "name": "front"}],
                 "containers": [{"id": "c1", "name": "web", "endpoints": [{"network": "front"}]}]}
                """);
        LiveNetwork front = live.network("front");
        assertThat(front.driver()).isEmpty();
        assertThat(front.scope()).isEqualTo("local");
        assertThat(front.ipam()).isEqualTo(Ipam.DEFAULT);
        assertThat(front.options()).isEmpty();
        LiveContainer web = live.container("web");
        assertThat(web.running()).isFalse();
        assertThat(web.networkMode()).isEmpty();
        assertThat(web.hostname()).isEmpty();
        assertThat(web.endpoint("front")).isEqualTo(new LiveEndpoint("front", "", List.of(), null, null, "", ""));
        assertThat(live.swarm().leader()).as("a manager is taken to lead").isTrue();
        assertThat(live.swarm().nodeId()).isEmpty();
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<String> properties(JsonNode schemaObject) {
        List<String> keys = new ArrayList<>();
        schemaObject.get("properties").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<String> required(JsonNode schemaObject) {
        List<String> keys = new ArrayList<>();
        schemaObject.get("required").forEach(k -> keys.add(k.asText()));
        return keys;
    }
}
