package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.reconcile.render.PublishedSchema;
import io.stackwire.reconcile.plan.Fingerprint;
import io.stackwire.reconcile.render.JsonPlan;
import io.stackwire.reconcile.render.LiveStateJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export-state and plan --live-state through the shaded jar, as CI runs them: a hand-written
 * snapshot plans with no daemon at all, and a snapshot of the real daemon plans exactly like the
 * daemon itself.
 */
class LiveStateIT {

    private static final Path JAR = Path.of("target", "stackwire.jar");
    private static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String prefix = "swtest-ls-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    /** The shaded jar in a child JVM, so DOCKER_HOST can be set for it. */
    private static Run stackwire(Map<String, String> env, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar (built by the package phase)").exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path err = Files.createTempFile("stackwire-err", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String errText = Files.readString(err);
        Files.delete(err);
        return new Run(p.exitValue(), out, errText);
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? output : "ERROR(" + p.exitValue() + "): " + output;
    }

    @AfterEach
    void cleanUp() throws Exception {
        docker("rm", "-f", prefix + "-web");
        for (String net : docker("network", "ls", "-q", "--filter", "name=" + prefix).split("\\s+")) {
            if (!net.isBlank()) {
                docker("network", "rm", net);
            }
        }
    }

    private Path spec(String name) throws IOException {
        Path spec = Files.createDirectories(dir.resolve("spec"));
        Files.writeString(spec.resolve("stack.yaml"), String.join("\n",
                "stack: " + name,
                "networks:",
                "  " + name + "-front:",
                "    ipam:",
                "      config:",
                "        - subnet: 10.213.250.0/24",
                "  " + name + "-back: {}",
                "containers:",
                "  " + name + "-web:",
                "    networks:",
                "      " + name + "-front:",
                "        aliases: [www]",
                "      " + name + "-back:",
                "        aliases: [api]",
                ""));
        return spec;
    }

    @Test
    void plansAgainstAHandWrittenSnapshotWithoutAnyDaemon() throws Exception {
        Path spec = spec("ci");
        // ci-back exists and is stackwire's, ci-web is on it with a stale alias; ci-front is missing.
        Path snapshot = dir.resolve("live.json");
        Files.writeString(snapshot, """
                {
                  "format_version": 1,
                  "api_version": "1.41",
                  "swarm": {"role": "none", "node_id": ""},
                  "networks": [
                    {"id": "b1", "name": "bridge", "driver": "bridge", "scope": "local",
                     "ipam": {"driver": "default", "pools": [{"subnet": "172.17.0.0/16", "gateway": "172.17.0.1"}]},
                     "options": {"com.docker.network.bridge.default_bridge": "true"}},
                    {"id": "n-back", "name": "ci-back", "driver": "bridge", "scope": "local",
                     "ipam": {"driver": "default", "pools": [{"subnet": "172.18.0.0/16", "gateway": "172.18.0.1"}]},
                     "labels": {"io.stackwire.managed": "true", "io.stackwire.stack": "ci"}}
                  ],
                  "containers": [
                    {"id": "c0ffee000001", "name": "ci-web", "running": true, "network_mode": "bridge",
                     "endpoints": [
                       {"network": "bridge", "network_id": "b1", "aliases": []},
                       {"network": "ci-back", "network_id": "n-back", "aliases": ["old", "c0ffee000001"]}
                     ]}
                  ]
                }
                """, StandardCharsets.UTF_8);
        // Nothing listens there: any attempt to reach Docker would fail the command.
        Map<String, String> deadDaemon = Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-daemon.sock"));

        Run plan = stackwire(deadDaemon, "plan", spec.toString(), "--host", "ci-runner", "--live-state", snapshot.toString(),
                "--format", "json", "--detailed-exitcode");

        assertThat(plan.exit()).as(plan.err()).isEqualTo(2);
        PublishedSchema.LIVE_STATE.assertValid(Files.readString(snapshot));
        PublishedSchema.PLAN.assertValid(plan.out());
        JsonNode json = JSON.readTree(plan.out());
        List<String> changes = new ArrayList<>();
        json.get("changes").forEach(c -> changes.add(c.get("action").asText() + " " + c.get("address").asText()));
        assertThat(changes).containsExactlyInAnyOrder(
                "create network.ci-front",
                "connect attachment.ci-web/ci-front",
                "reconnect attachment.ci-web/ci-back");
        // The plan depends on the snapshot's facts: checked against the snapshot itself, nothing changed.
        assertThat(JsonPlan.read(plan.out()).dependencies().changesIn(LiveStateJson.read(snapshot))).isEmpty();
        assertThat(json.get("dependencies").has("network.ci-front")).isTrue();
        // The same call against the daemon really does fail: the dead socket is honoured.
        Run daemon = stackwire(deadDaemon, "plan", spec.toString(), "--host", "ci-runner");
        assertThat(daemon.exit()).isEqualTo(1);
        assertThat(daemon.err()).contains("cannot reach the Docker daemon");
    }

    @Test
    void aSnapshotOfTheDaemonPlansExactlyLikeTheDaemon() throws Exception {
        assertThat(docker("network", "create", "--label", "purpose=" + prefix, prefix + "-back")).doesNotStartWith("ERROR");
        assertThat(docker("run", "-d", "--name", prefix + "-web", "--network", prefix + "-back", "--network-alias", "old",
                "--dns", "127.0.0.1", IMAGE, "sleep", "3600")).doesNotStartWith("ERROR");
        Path spec = spec(prefix);
        Path snapshot = dir.resolve("live.json");
        Map<String, String> env = Map.of();
        AtomicReference<String> fromDaemon = new AtomicReference<>();

        // Other tests change the daemon meanwhile: retry until the daemon stayed the same around the plan.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Run export = stackwire(env, "export-state", "--out", snapshot.toString());
            assertThat(export.exit()).as(export.err()).isZero();
            String before = Fingerprint.of(LiveStateJson.read(snapshot));
            Run plan = stackwire(env, "plan", spec.toString(), "--host", "it", "--format", "json");
            // back was made by hand, so the plan refuses it (conflict-unmanaged-network): exit 1, both ways.
            assertThat(plan.exit()).as(plan.err()).isEqualTo(1);
            Run after = stackwire(env, "export-state");
            assertThat(Fingerprint.of(LiveStateJson.read(after.out()))).isEqualTo(before);
            fromDaemon.set(plan.out());
        });

        Run fromFile = stackwire(Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-daemon.sock")),
                "plan", spec.toString(), "--host", "it", "--format", "json", "--live-state", snapshot.toString());
        assertThat(fromFile.exit()).as(fromFile.err()).isEqualTo(1);
        assertThat(fromFile.err()).contains("the plan has 1 error");
        assertThat(fromFile.out()).isEqualTo(fromDaemon.get());
        // Real output of a real daemon (every container on it, not just ours) against the published formats.
        PublishedSchema.LIVE_STATE.assertValid(Files.readString(snapshot));
        PublishedSchema.PLAN.assertValid(fromFile.out());
        JsonNode plan = JSON.readTree(fromFile.out());
        assertThat(JsonPlan.read(fromFile.out()).dependencies().changesIn(LiveStateJson.read(snapshot))).isEmpty();
        assertThat(plan.get("notices").toString()).contains("conflict-unmanaged-network");
        assertThat(plan.get("changes").toString()).contains("network." + prefix + "-front", "attachment." + prefix + "-web/" + prefix + "-front");
        JsonNode exported = JSON.readTree(Files.readString(snapshot));
        assertThat(exported.get("format_version").asInt()).isEqualTo(1);
        assertThat(exported.get("api_version").asText()).isNotEmpty();
    }
}
