package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.reconcile.docker.JsonPrune.Keep;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonPruneTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode prune(String text, Keep keep) throws Exception {
        return JsonPrune.read(json, text.getBytes(StandardCharsets.UTF_8), keep);
    }

    @Test
    void keepsTheNamedFieldsAtEveryLevelAndSkipsTheRest() throws Exception {
        Keep keep = Keep.fields(Map.of("Id", Keep.ALL, "State", Keep.fields(Map.of("Running", Keep.ALL)), "Labels", Keep.ALL));
        JsonNode n = prune("""
                {"Id": "c1", "GraphDriver": {"Data": {"a": [1, {"deep": [2, 3]}]}}, "Env": ["A=1", "B=2"],
                 "State": {"Running": true, "Pid": 42, "Health": {"Log": [{"x": 1}]}},
                 "Labels": {"a": "1", "nested": {"kept": "whole"}}, "Size": 12.5, "Null": null}""", keep);
        assertThat(n).isEqualTo(json.readTree("""
                {"Id": "c1", "State": {"Running": true}, "Labels": {"a": "1", "nested": {"kept": "whole"}}}"""));
    }

    @Test
    void appliesTheFilterToEachElementOfAList() throws Exception {
        JsonNode n = prune("[{\"Id\": \"a\", \"Names\": [\"/x\"]}, {\"Id\": \"b\", \"Ports\": []}]",
                Keep.fields(Map.of("Id", Keep.ALL)));
        assertThat(n).isEqualTo(json.readTree("[{\"Id\": \"a\"}, {\"Id\": \"b\"}]"));
    }

    @Test
    void keepsScalarsAndNullsWhereObjectsWereExpected() throws Exception {
        Keep keep = Keep.fields(Map.of("State", Keep.fields(Map.of("Running", Keep.ALL)), "Config", Keep.ALL));
        assertThat(prune("{\"State\": null, \"Config\": null}", keep))
                .isEqualTo(json.readTree("{\"State\": null, \"Config\": null}"));
        assertThat(prune("\"text\"", keep)).isEqualTo(json.readTree("\"text\""));
        assertThat(prune("", keep)).isEqualTo(json.createObjectNode());
    }

    @Test
    void theObservationsFilterLosesNothingTheContainerMappingReads() throws Exception {
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
        assertThat(Mappers.container(prune(inspect, Mappers.CONTAINER_FIELDS)))
                .isEqualTo(Mappers.container(json.readTree(inspect)));
        assertThat(Mappers.container(prune(inspect.replace("\"Running\": true", "\"Running\": false"), Mappers.CONTAINER_FIELDS)))
                .isEqualTo(Mappers.container(json.readTree(inspect.replace("\"Running\": true", "\"Running\": false"))));
    }
}
