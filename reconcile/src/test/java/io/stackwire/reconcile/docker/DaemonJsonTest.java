package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.model.PortBinding;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records bind what the mapping reads and skip the rest (was JsonPruneTest, for the hand-written field list). */
class DaemonJsonTest {

    private final ObjectMapper json = DaemonJson.mapper();

    @Test
    void keepsTheDeclaredFieldsAtEveryLevelAndSkipsTheRest() throws Exception {
        DaemonJson.Inspect c = json.readValue("""
                {"Id": "c1", "GraphDriver": {"Data": {"a": [1, {"deep": [2, 3]}]}}, "Env": ["A=1", "B=2"],
                 "State": {"Running": true, "Pid": 42, "Health": {"Log": [{"x": 1}]}},
                 "Config": {"Labels": {"a": "1", "n": 2, "t": true, "z": null}, "Cmd": ["sh"]}, "Size": 12.5, "Null": null}""",
                DaemonJson.Inspect.class);
        assertThat(c).isEqualTo(new DaemonJson.Inspect("c1", null, new DaemonJson.State(true), null,
                new DaemonJson.Config(map("a", "1", "n", "2", "t", "true", "z", null), null), null));
        assertThat(Mappers.stringMap(c.config().labels())).as("a null value is empty")
                .isEqualTo(Map.of("a", "1", "n", "2", "t", "true", "z", ""));
    }

    @Test
    void bindsEachElementOfAList() throws Exception {
        List<DaemonJson.ListedContainer> l = json.readerForListOf(DaemonJson.ListedContainer.class)
                .readValue("[{\"Id\": \"a\", \"Names\": [\"/x\"], \"Mounts\": [{}]}, {\"Id\": \"b\", \"Ports\": []}]");
        assertThat(l).extracting(DaemonJson.ListedContainer::id).containsExactly("a", "b");
        assertThat(l.get(0).names()).containsExactly("/x");
    }

    @Test
    void readsNullsWhereObjectsWereExpected() throws Exception {
        DaemonJson.Inspect c = json.readValue("{\"Id\": \"c1\", \"State\": null, \"Config\": null, \"HostConfig\": null,"
                + " \"NetworkSettings\": {\"Networks\": null, \"Ports\": null}}", DaemonJson.Inspect.class);
        assertThat(Mappers.container(c)).isEqualTo(new LiveContainer("c1", "c1", false, null, Map.of(), List.of(),
                List.of(), List.of(), null));
    }

    @Test
    void theRecordsHoldEverythingTheContainerMappingReads() throws Exception {
        String inspect = """
                {"Id": "0123456789abcdef0123", "Created": "2026-01-01T00:00:00Z", "Path": "sh", "Args": ["-c", "x"],
                 "Name": "/web", "RestartCount": 0, "Driver": "overlay2", "Mounts": [{"Type": "volume"}],
                 "State": {"Status": "running", "Running": true, "Pid": 7, "StartedAt": "2026-01-01T00:00:01Z"},
                 "Config": {"Hostname": "0123456789ab", "Env": ["PATH=/bin"], "Labels": {"tier": "front"},
                            "ExposedPorts": {"80/tcp": {}}},
                 "HostConfig": {"NetworkMode": "front", "Memory": 0,
                                "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}],
                                                 "53/udp": [{"HostIp": "", "HostPort": ""}]}},
                 "GraphDriver": {"Name": "overlay2", "Data": {"MergedDir": "/x"}},
                 "NetworkSettings": {"Bridge": "", "SandboxID": "abc", "HairpinMode": false,
                   "Ports": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}], "53/udp": null},
                   "Networks": {
                     "front": {"IPAMConfig": {"IPv4Address": "10.1.0.5"}, "Links": null, "DriverOpts": null,
                               "Aliases": ["web", "0123456789ab"], "NetworkID": "n1", "EndpointID": "e1",
                               "Gateway": "10.1.0.1", "IPAddress": "10.1.0.5", "IPPrefixLen": 24,
                               "GlobalIPv6Address": "", "MacAddress": "02:42:0a:01:00:05"},
                     "back": {"IPAMConfig": null, "Aliases": null, "NetworkID": "", "IPAddress": ""}}}}""";
        LiveContainer running = Mappers.container(json.readValue(inspect, DaemonJson.Inspect.class));
        assertThat(running).isEqualTo(new LiveContainer("0123456789abcdef0123", "web", true, "front", Map.of("tier", "front"),
                List.of(new LiveEndpoint("back", null, List.of(), null, null, null, null),
                        new LiveEndpoint("front", "n1", List.of("web", "0123456789ab"), "10.1.0.5", null, "10.1.0.5", null)),
                List.of(PortBinding.parse("53/udp"), PortBinding.parse("127.0.0.1:8080:80")),
                List.of(PortBinding.parse("127.0.0.1:8080:80")), "0123456789ab"));
        LiveContainer stopped = Mappers.container(json.readValue(inspect.replace("\"Running\": true", "\"Running\": false"),
                DaemonJson.Inspect.class));
        assertThat(stopped.running()).isFalse();
        assertThat(stopped.actualPorts()).isEmpty();
    }

    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
