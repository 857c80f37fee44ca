package io.stackwire.controller.loop;

import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.controller.pass.HostCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.controller.http.StatusServer;
import io.stackwire.controller.http.WebhookAuth;
import io.stackwire.controller.source.LocalSource;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.plan.Planner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart's default mode: `stackwire run /spec` on a Kubernetes ConfigMap volume, whose
 * files are symbolic links through {@code ..data}. The controller loads it, converges and reports
 * ready, and follows kubelet's atomic swap of {@code ..data} on an update.
 */
class ConfigMapSpecTest {

    @TempDir
    Path dir;

    private final InMemoryDaemon daemon = new InMemoryDaemon("fake");

    /** Writes one revision of the ConfigMap the way kubelet does, and points ..data at it atomically. */
    static void kubeletWrites(Path root, String stamp, String file, String text) throws IOException {
        Path data = Files.createDirectories(root.resolve(stamp));
        Files.writeString(data.resolve(file), text);
        Path tmp = Files.createSymbolicLink(root.resolve("..data_tmp"), Path.of(stamp));
        Files.move(tmp, root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (!Files.isSymbolicLink(root.resolve(file))) {
            Files.createSymbolicLink(root.resolve(file), Path.of("..data", file));
        }
    }

    @Test
    void aConfigMapVolumeMakesTheControllerReadyAndAnUpdateIsApplied() throws Exception {
        Path spec = Files.createDirectories(dir.resolve("spec"));
        kubeletWrites(spec, "..2026_12_02_10_00_00.123", "net.yaml", "stack: t\nnetworks:\n  t-front: {}\n");
        LoopConfig c = new LoopConfig("node-1", Duration.ofMillis(200), Duration.ofMinutes(5), null, null, null,
                false, false, 0.5, false, "me", "lease-test", Duration.ofMinutes(5), 1);
        HttpClient http = HttpClient.newHttpClient();
        try (ReconcileLoop loop = new ReconcileLoop(c, new LocalSource(spec), SpecLoader::load, Planner::plan,
                HostCheck.NONE, daemon, () -> daemon.calls().size(), Clock.systemUTC(), new Random(1));
                StatusServer server = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), loop, new WebhookAuth(null))) {
            loop.start();
            URI readyz = URI.create("http://127.0.0.1:" + server.address().getPort() + "/readyz");

            await().atMost(Duration.ofSeconds(20)).until(() -> daemon.networks().containsKey("t-front"));
            await().atMost(Duration.ofSeconds(10)).until(() -> http.send(HttpRequest.newBuilder(readyz).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

            kubeletWrites(spec, "..2026_12_02_10_05_00.456", "net.yaml", "stack: t\nnetworks:\n  t-front: {}\n  t-back: {}\n");

            await().atMost(Duration.ofSeconds(20)).until(() -> daemon.networks().containsKey("t-back"));
            assertThat(loop.status().lastPass().outcome()).isNotEqualTo("error");
        }
    }
}
