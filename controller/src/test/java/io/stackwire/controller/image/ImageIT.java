package io.stackwire.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stackwire as a container against the test daemon: the runtime image that scripts/build-image
 * assembles without a registry, with the daemon's socket mounted and a spec bind-mounted at /spec.
 * The image is rebuilt when its jar label differs from target/stackwire.jar.
 */
class ImageIT {

    static final String IMAGE = "stackwire-image-it:latest";
    private static final Path JAR = Path.of("target", "stackwire.jar");
    private static final String TEST_IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");

    private static String imageId;
    private static String socket;
    private static String socketGroup;

    private final String prefix = "swtest-img-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> containers = new ArrayList<>();

    @TempDir
    Path dir;

    record Run(int exit, String out) {}

    static Run sh(Duration timeout, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out after " + timeout + ": " + cmd);
        }
        reader.join();
        return new Run(p.exitValue(), new String(out[0], StandardCharsets.UTF_8).trim());
    }

    static Run docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return sh(Duration.ofMinutes(2), cmd);
    }

    @BeforeAll
    static void image() throws Exception {
        String host = System.getenv("DOCKER_HOST");
        assumeTrue(host == null || host.isEmpty() || host.startsWith("unix://"),
                "ImageIT mounts the daemon's socket into the container; DOCKER_HOST=" + host + " is not a unix:// socket");
        socket = host == null || host.isEmpty() ? "/var/run/docker.sock" : host.substring("unix://".length());
        socketGroup = String.valueOf(Files.getAttribute(Path.of(socket), "unix:gid"));
        assertThat(JAR).as("the shaded jar (built by the package phase)").exists();
        String sha = sha256(JAR);
        // Rebuilt when the jar or the recipe changed since the image was made.
        String recipe = sha256(Path.of("..", "scripts", "build-image"));
        Run label = docker("image", "inspect", "--format",
                "{{index .Config.Labels \"io.stackwire.jar-sha256\"}} {{index .Config.Labels \"io.stackwire.build-image-sha256\"}}", IMAGE);
        if (label.exit() != 0 || !label.out().equals(sha + " " + recipe)) {
            Run build = sh(Duration.ofMinutes(8), List.of("bash", "../scripts/build-image", "--no-build", "--jar", JAR.toAbsolutePath().toString(),
                    "--tag", IMAGE, "--tag", "stackwire:local"));
            assertThat(build.exit()).as(build.out()).isZero();
        }
        // Run by ID: a concurrent rebuild of the tag cannot swap the image under the test.
        imageId = docker("image", "inspect", "--format", "{{.Id}}", IMAGE).out();
        assertThat(docker("image", "inspect", "--format", "{{index .Config.Labels \"io.stackwire.jar-sha256\"}}", imageId).out())
                .isEqualTo(sha);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @BeforeEach
    void spec() throws Exception {
        Files.createDirectories(dir.resolve("spec"));
        Files.writeString(dir.resolve("spec/stack.yaml"), String.join("\n",
                "stack: " + prefix,
                "networks:",
                "  " + prefix + "-net: {}",
                "containers:",
                "  " + prefix + "-web:",
                "    networks:",
                "      " + prefix + "-net:",
                "        aliases: [www]",
                ""));
        Run web = docker("run", "-d", "--name", prefix + "-web", "--network", "none", "--dns", "127.0.0.1", TEST_IMAGE, "sleep", "3600");
        assertThat(web.exit()).as(web.out()).isZero();
        containers.add(prefix + "-web");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String c : containers) {
            docker("rm", "-f", c);
        }
        for (String net : docker("network", "ls", "-q", "--filter", "name=" + prefix).out().split("\\s+")) {
            if (!net.isBlank()) {
                docker("network", "rm", net);
            }
        }
    }

    /** docker run of the image with the socket and the spec mounted, as the non-root user plus the socket's group. */
    private List<String> stackwireContainer(String... extra) {
        List<String> cmd = new ArrayList<>(List.of("docker", "run",
                "--group-add", socketGroup,
                "-v", socket + ":/var/run/docker.sock",
                "-v", dir.resolve("spec").toAbsolutePath() + ":/spec:ro"));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    private Run stackwire(String... args) throws Exception {
        String name = prefix + "-cli-" + containers.size();
        containers.add(name);
        List<String> cmd = stackwireContainer("--name", name, "--network", "none", imageId);
        cmd.addAll(List.of(args));
        return sh(Duration.ofMinutes(2), cmd);
    }

    @Test
    void runsAsTheNonRootUserOfTheImage() throws Exception {
        assertThat(docker("image", "inspect", "--format", "{{.Config.User}} {{json .Config.Entrypoint}}", imageId).out())
                .isEqualTo("10001:10001 [\"/opt/java/bin/java\",\"-jar\",\"/opt/stackwire/stackwire.jar\"]");
        assertThat(docker("image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", imageId).out())
                .contains("io.stackwire.controller.probe.HealthProbe", "http://127.0.0.1:9090/healthz");
        Run version = stackwire("version");
        assertThat(version.exit()).as(version.out()).isZero();
        assertThat(version.out()).contains("stackwire 0.1.0", "Docker daemon: unix:///var/run/docker.sock");
    }

    @Test
    void validatesAndPlansTheMountedSpecAgainstTheDaemon() throws Exception {
        Run validate = stackwire("validate", "/spec", "--host", "it");
        assertThat(validate.exit()).as(validate.out()).isZero();
        assertThat(validate.out()).contains("Valid: 1 stack, 1 network, 1 container for host it");

        Run plan = stackwire("plan", "/spec", "--host", "it", "--detailed-exitcode", "--no-color");
        assertThat(plan.exit()).as(plan.out()).isEqualTo(2);
        assertThat(plan.out()).contains("+ network." + prefix + "-net (create)", "attachment." + prefix + "-web/" + prefix + "-net");
        // plan changes nothing
        assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-net").out()).isEmpty();
    }

    @Test
    void reportsABrokenSpecAsFileLineColumn() throws Exception {
        Files.writeString(dir.resolve("spec/stack.yaml"), "stack: " + prefix + "\nnetworks:\n  n:\n    driver: [\n");

        Run validate = stackwire("validate", "/spec");

        assertThat(validate.exit()).isEqualTo(1);
        assertThat(validate.out()).contains("stack.yaml:").doesNotContain("\tat ");
    }

    @Test
    void healthProbeInTheImageFailsWhenNothingListens() throws Exception {
        String name = prefix + "-probe";
        containers.add(name);
        Run probe = sh(Duration.ofMinutes(1), List.of("docker", "run", "--name", name, "--network", "none", "--entrypoint",
                "/opt/java/bin/java", imageId, "-cp", "/opt/stackwire/stackwire.jar", "io.stackwire.controller.probe.HealthProbe"));
        assertThat(probe.exit()).isEqualTo(1);
        assertThat(probe.out()).contains("http://127.0.0.1:9090/healthz:");
    }

    @Test
    void runsAsASidecarConvergesTheDaemonAndServesHealthz() throws Exception {
        Run help = stackwire("run", "--help");
        // Without a run command, picocli answers --help with the top-level usage: look for run's own.
        assumeTrue(help.exit() == 0 && help.out().contains("Usage: stackwire run"), "stackwire run is not in this build yet (run --help: " + help.out().lines().findFirst().orElse("") + ")");
        String name = prefix + "-sidecar";
        containers.add(name);
        List<String> cmd = stackwireContainer("-d", "--name", name, "--dns", "127.0.0.1", "-p", "127.0.0.1::9090",
                "--health-interval", "2s", "--health-start-period", "1s", imageId, "run", "/spec", "--host", "it", "--interval", "2s", "--listen", "0.0.0.0:9090");
        Run start = sh(Duration.ofMinutes(1), cmd);
        assertThat(start.exit()).as(start.out()).isZero();
        String port = docker("port", name, "9090/tcp").out().lines().findFirst().orElseThrow().replaceAll(".*:", "");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Run aliases = docker("inspect", prefix + "-web", "--format",
                    "{{json (index .NetworkSettings.Networks \"" + prefix + "-net\").Aliases}}");
            assertThat(aliases.out()).as(docker("logs", name).out()).contains("\"www\"");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("http://127.0.0.1:" + port + "/healthz")).isEqualTo(200));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(docker("inspect", "--format", "{{.State.Health.Status}}", name).out()).isEqualTo("healthy"));
    }

    private static int get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(2000);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }
}
