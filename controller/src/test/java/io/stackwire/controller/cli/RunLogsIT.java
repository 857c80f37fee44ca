package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.controller.PrometheusText;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `stackwire run --log-format json` from the packaged jar (the shaded jar must carry logback's
 * configurator and the System.Logger bridge): every stderr line is a JSON object, the applying
 * pass is logged with its fields, idle passes are not, no library talks at info, and /metrics
 * passes the Prometheus parser.
 */
class RunLogsIT {

    private static final Path JAR = Path.of("").toAbsolutePath().getParent().resolve("controller/target/stackwire.jar");

    private final String prefix = "swtest-logs-" + UUID.randomUUID().toString().substring(0, 8);
    private Process process;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy(); // SIGTERM: the controller stops cleanly
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        new ProcessBuilder("docker", "network", "rm", prefix + "-net").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
    }

    @Test
    void jsonLogsAnApplyingPassButNotTheIdleOnesAndMetricsParse() throws Exception {
        assertThat(JAR).as("packaged before the integration tests").exists();
        Files.writeString(dir.resolve("stack.yaml"), "stack: " + prefix + "\nnetworks:\n  " + prefix + "-net:\n    driver: bridge\n");
        List<String> cmd = List.of("java", "-jar", JAR.toString(), "run", dir.toString(), "--interval", "500ms",
                "--listen", "127.0.0.1:0", "--log-format", "json", "--lease-name", prefix + "-lease");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("STACKWIRE_LOG_LEVEL");
        process = pb.start();
        List<String> err = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    err.add(l);
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        String banner = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = Pattern.compile("http://(127\\.0\\.0\\.1:\\d+)/status").matcher(banner == null ? "" : banner);
        assertThat(m.find()).as("banner: %s; stderr: %s", banner, err).isTrue();

        ObjectMapper json = new ObjectMapper();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> err.stream().anyMatch(l -> l.contains("\"formattedMessage\":\"pass ")));
        int settled = err.size();
        Thread.sleep(3_000); // deliberately idle: about six idle passes at --interval 500ms, which must log nothing

        List<JsonNode> lines = new ArrayList<>();
        for (String l : err) {
            lines.add(json.readTree(l));
        }
        assertThat(lines).as("stderr: %s", err).isNotEmpty();
        JsonNode pass = lines.stream().filter(n -> n.path("formattedMessage").asText().startsWith("pass ")).findFirst().orElseThrow();
        assertThat(pass.path("level").asText()).isEqualTo("INFO");
        assertThat(pass.path("loggerName").asText()).isEqualTo("io.stackwire.loop");
        assertThat(pass.path("timestamp").asLong()).isPositive();
        assertThat(pass.path("kvpList").toString()).contains("{\"event\":\"pass\"}", "{\"outcome\":\"applied\"}", "{\"applied\":\"1\"}");
        assertThat(err.subList(settled, err.size())).as("idle passes log nothing at info").isEmpty();
        assertThat(lines).as("libraries stay quiet at info").allSatisfy(n -> assertThat(n.path("loggerName").asText()).startsWith("io.stackwire"));

        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + m.group(1) + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("stackwire_drift_resources{kind=\"network\"} 0", "stackwire_seconds_since_last_converged ");
        assertThat(PrometheusText.families(metrics.body())).contains("stackwire_held_changes gauge 4");
    }
}
