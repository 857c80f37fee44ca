package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwire.model.PortBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplacementBodyTest {

    private static final String ID = "0123456789ab" + "c".repeat(52);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The parts of a 20.10 inspect answer the replacement reads. */
    private static JsonNode inspect(String hostname) throws Exception {
        return JSON.readTree("""
                {"Id": "%s", "Name": "/web", "Image": "sha256:aaa",
                 "Config": {"Hostname": "%s", "Image": "busybox", "Env": ["A=1"], "Cmd": ["sleep", "9"], "StopTimeout": 3,
                            "Labels": {"team": "shop"}, "ExposedPorts": {"80/tcp": {}}},
                 "HostConfig": {"NetworkMode": "front", "Binds": ["named:/named"], "RestartPolicy": {"Name": "always"},
                                "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}},
                 "Mounts": [{"Type": "volume", "Name": "named", "Destination": "/named", "RW": true},
                            {"Type": "volume", "Name": "f00d", "Destination": "/anon", "RW": false}],
                 "NetworkSettings": {"Networks": {
                    "front": {"Aliases": ["www", "0123456789ab", "web"], "IPAMConfig": {"IPv4Address": "10.1.0.5"}},
                    "back": {"Aliases": null, "IPAMConfig": null}}}}
                """.formatted(ID, hostname));
    }

    @Test
    void copiesTheConfigWithNewBindingsAndExposedPorts() throws Exception {
        ObjectNode body = ReplacementBody.createBody(inspect("0123456789ab"), List.of(PortBinding.parse("127.0.0.1:444:443"),
                PortBinding.parse("53/udp")), "busybox", null);
        assertThat(body.get("Env").get(0).asText()).isEqualTo("A=1");
        assertThat(body.get("StopTimeout").asInt()).isEqualTo(3);
        assertThat(body.get("Labels").get("team").asText()).isEqualTo("shop");
        assertThat(body.get("Labels").get(ReplacementBody.REPLACES_LABEL).asText()).isEqualTo(ID);
        assertThat(body.get("ExposedPorts").has("443/tcp")).isTrue();
        assertThat(body.get("ExposedPorts").has("53/udp")).isTrue();
        JsonNode bindings = body.get("HostConfig").get("PortBindings");
        assertThat(bindings.has("80/tcp")).as("old bindings are replaced, not merged").isFalse();
        assertThat(bindings.get("443/tcp").get(0).get("HostIp").asText()).isEqualTo("127.0.0.1");
        assertThat(bindings.get("443/tcp").get(0).get("HostPort").asText()).isEqualTo("444");
        assertThat(bindings.get("53/udp").get(0).get("HostPort").asText()).isEmpty();
        assertThat(body.get("HostConfig").get("RestartPolicy").get("Name").asText()).isEqualTo("always");
    }

    @Test
    void dropsTheDefaultHostnameButKeepsAChosenOne() throws Exception {
        assertThat(ReplacementBody.createBody(inspect("0123456789ab"), List.of(), "busybox", null).has("Hostname")).isFalse();
        assertThat(ReplacementBody.createBody(inspect("db-1"), List.of(), "busybox", null).get("Hostname").asText()).isEqualTo("db-1");
    }

    @Test
    void bindsAnonymousVolumesByNameSoTheirDataCarriesOver() throws Exception {
        JsonNode binds = ReplacementBody.createBody(inspect("x"), List.of(), "busybox", null).get("HostConfig").get("Binds");
        assertThat(binds).extracting(JsonNode::asText).containsExactly("named:/named", "f00d:/anon:ro");
    }

    @Test
    void keepsEndpointSettingsWithoutDockersOwnAliases() throws Exception {
        Map<String, ObjectNode> eps = ReplacementBody.endpoints(inspect("x"));
        assertThat(eps).containsOnlyKeys("back", "front");
        assertThat(eps.get("front").get("Aliases")).extracting(JsonNode::asText).containsExactly("www");
        assertThat(eps.get("front").get("IPAMConfig").get("IPv4Address").asText()).isEqualTo("10.1.0.5");
        assertThat(eps.get("back").has("IPAMConfig")).isFalse();
        ObjectNode body = ReplacementBody.createBody(inspect("x"), List.of(), "busybox", eps.get("front"));
        assertThat(body.get("NetworkingConfig").get("EndpointsConfig").has("front")).isTrue();
    }

    @Test
    void stopsWithTheContainersOwnStopTimeoutElseDockersTen() throws Exception {
        assertThat(ReplacementBody.stopTimeout(inspect("web"))).isEqualTo(3);
        assertThat(ReplacementBody.stopTimeout(JSON.readTree("{\"Config\": {\"Image\": \"busybox\"}}"))).isEqualTo(10);
        assertThat(ReplacementBody.stopTimeout(JSON.readTree("{\"Config\": {\"StopTimeout\": null}}"))).isEqualTo(10);
        assertThat(ReplacementBody.stopTimeout(JSON.readTree("{\"Config\": {\"StopTimeout\": 60}}"))).isEqualTo(60);
    }
}
