package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.DockerEvent;

import io.stackwire.reconcile.daemon.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When docker-java's client is built; no daemon needed (the socket does not exist). */
class DockerJavaGatewayTest {

    @TempDir
    Path dir;

    @Test
    void readsOnASocketNeverBuildDockerJavaAndAChangingCommandBuildsItAhead() {
        String host = "unix://" + dir.resolve("docker.sock");
        try (DockerJavaGateway reads = DockerJavaGateway.forHost(host)) {
            GatewayException e = catchThrowableOfType(GatewayException.class, reads::observe);
            assertThat(e.kind()).isEqualTo(GatewayException.Kind.UNAVAILABLE);
            assertThat(reads.dockerJavaBuilt()).as("an observation over the socket").isFalse();
        }
        try (DockerJavaGateway changes = DockerJavaGateway.forHost(host).readyForChanges()) {
            assertThat(changes.dockerJavaBuilt()).isTrue();
        }
        try (DockerJavaGateway plain = DockerJavaGateway.forHost(host, false)) {
            catchThrowableOfType(GatewayException.class, plain::observe);
            assertThat(plain.dockerJavaBuilt()).as("without socket reads every call uses docker-java").isTrue();
        }
    }

    @Test
    void theTrainingWarmUpIgnoresADaemonThatDoesNotAnswer() {
        try (DockerJavaGateway g = DockerJavaGateway.forHost("unix://" + dir.resolve("docker.sock"))) {
            g.warmUpChangePath();
            assertThat(g.dockerJavaBuilt()).isTrue();
            assertThat(g.apiCalls()).as("the ping was tried, then nothing more").isEqualTo(1);
        }
    }

    @Test
    void readsTheEventsAnswerAndDistrustsAWindowTheDaemonsEventLogMayHaveCutShort() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = DaemonJson.mapper();
        String answer = String.join("\n",
                "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"c1\",\"Attributes\":{\"name\":\"web\",\"app\":\"shop\"}},"
                        + "\"time\":1700000000,\"timeNano\":1700000000123456789}",
                "{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"n1\",\"Attributes\":{\"name\":\"front\",\"container\":\"c1\",\"type\":\"bridge\"}},"
                        + "\"time\":1700000001,\"timeNano\":1700000001000000000}",
                "{\"Type\":\"image\",\"Action\":\"pull\",\"Actor\":{\"ID\":\"busybox\"},\"time\":1700000002}", "");

        var events = LoopReads.events(json, answer.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow();

        assertThat(events).containsExactly(
                new DockerEvent(DockerEvent.Type.CONTAINER, "start", "c1", "web", null, null,
                        java.time.Instant.ofEpochSecond(1700000000, 123456789), java.util.Map.of("name", "web", "app", "shop")),
                new DockerEvent(DockerEvent.Type.NETWORK, "connect", "n1", "front", "front", "c1",
                        java.time.Instant.ofEpochSecond(1700000001), java.util.Map.of("name", "front", "container", "c1", "type", "bridge")));
        assertThat(LoopReads.events(json, new byte[0])).contains(java.util.List.of());
        String full = ("{\"Type\":\"image\",\"Action\":\"tag\",\"time\":1}\n").repeat(LoopReads.EVENT_LOG_GUARD);
        assertThat(LoopReads.events(json, full.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void daemonTimesAreReadFromTheDateHeaderAndWrittenWithNineDigitsOfNanoseconds() {
        assertThat(Observation.httpDate("Wed, 02 Dec 2026 06:05:24 GMT")).isEqualTo(java.time.Instant.parse("2026-12-02T06:05:24Z"));
        assertThat(Observation.httpDate("")).isNull();
        assertThat(Observation.httpDate("yesterday")).isNull();
        assertThat(LoopReads.eventTime(java.time.Instant.ofEpochSecond(1700000000, 5000))).isEqualTo("1700000000.000005000");
    }
}
