package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.render.LiveStateJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate and plan --live-state on a spec folder laid out as kubelet mounts a ConfigMap (the Helm
 * chart's default mode): every file a link through {@code ..data} to a timestamped hidden folder.
 */
class ConfigMapSpecCliTest {

    @TempDir
    Path dir;

    private Path spec;

    @BeforeEach
    void configMapVolume() throws IOException {
        spec = Files.createDirectories(dir.resolve("spec"));
        Path data = Files.createDirectories(spec.resolve("..2026_12_02_10_00_00.123"));
        Files.writeString(data.resolve("net.yaml"), "stack: edge\nnetworks:\n  edge-front: {}\n");
        Files.writeString(data.resolve("stackwire.yaml"), "owner: cluster/edge\n");
        Files.createSymbolicLink(spec.resolve("..data"), Path.of("..2026_12_02_10_00_00.123"));
        Files.createSymbolicLink(spec.resolve("net.yaml"), Path.of("..data/net.yaml"));
        Files.createSymbolicLink(spec.resolve("stackwire.yaml"), Path.of("..data/stackwire.yaml"));
    }

    @Test
    void validateAcceptsIt() {
        RealCli.Run r = RealCli.run(Map.of(), "validate", spec.toString(), "--host", "node-1");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out() + r.err()).doesNotContain("no stack files", "..data", "..2026");
    }

    @Test
    void planWithALiveStatePlansItsNetwork() throws IOException {
        Path live = Files.writeString(dir.resolve("live.json"), LiveStateJson.write(LiveState.empty()));

        RealCli.Run r = RealCli.run(Map.of(), "plan", spec.toString(), "--host", "node-1", "--live-state", live.toString(),
                "--format", "json", "--detailed-exitcode");

        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).contains("edge-front").doesNotContain("..data");
    }

    @Test
    void aLinkOutOfTheConfigMapIsRefusedWithTheLinkNamed() throws IOException {
        Files.writeString(dir.resolve("outside.yaml"), "stack: x\nnetworks:\n  x: {}\n");
        Files.createSymbolicLink(spec.resolve("extra.yaml"), Path.of("../outside.yaml"));

        RealCli.Run r = RealCli.run(Map.of(), "validate", spec.toString(), "--host", "node-1");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out() + r.err()).contains("extra.yaml: error: symbolic link points outside the spec folder (../outside.yaml)");
    }
}
