package io.stackwire.controller.multihost;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.controller.http.WebhookAuth;
import io.stackwire.controller.source.DumbHttpGitServer;
import io.stackwire.controller.source.TestRepo;
import io.stackwire.controller.source.GitAuth;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The multi-host testbed for one test class: Docker Engines A, B, C... in their own network
 * namespaces joined in a swarm (scripts/multihost; A leads), one spec repo served over HTTP on
 * loopback, and one {@code stackwire run} process per host, as a sidecar would run, each with
 * DOCKER_HOST pointing at its own engine. Everything it starts it stops in {@link #close()}, also
 * on a JVM shutdown (Ctrl-C, SIGTERM).
 */
final class Cluster implements AutoCloseable {

    static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");
    private static final String TOKEN = "mh-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final String SECRET = "hook-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The prefix of everything this run names: {@code swtest-<random>-}. */
    final String p = "swtest-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36) + "-";
    final List<String> hosts;
    private final Path script;
    private final Path work;
    /** Sidecar logs, kept after the run for a failed test's reader. */
    private final Path logs = Path.of("target", "multihost-logs").toAbsolutePath();
    private final TestRepo repo;
    private final DumbHttpGitServer server;
    private final Map<String, Sidecar> sidecars = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread hook = new Thread(this::close);
    private boolean closed;

    /** Skips (JUnit assumption) where the testbed cannot run: not root, no network namespaces. */
    static void assumeSupported() {
        Assumptions.assumeFalse("1".equals(System.getenv("STACKWIRE_SKIP_MULTIHOST")),
                "multi-host ITs skipped: STACKWIRE_SKIP_MULTIHOST=1");
        Assumptions.assumeTrue(isRoot(), "multi-host ITs need root (network namespaces, one dockerd per host); skipped");
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/ns/net")), "multi-host ITs need network namespaces; skipped");
    }

    Cluster(int n) throws Exception {
        hosts = List.of("A", "B", "C", "D", "E").subList(0, n);
        script = findScript();
        work = Files.createTempDirectory("swtest-mh-work");
        Files.createDirectories(logs);
        Runtime.getRuntime().addShutdownHook(hook);
        Result up = run(List.of(script.toString(), "up", Integer.toString(n)), 300);
        assertThat(up.rc).as("scripts/multihost up %d:\n%s", n, up.out).isZero();
        repo = TestRepo.init(work.resolve("origin"));
        server = new DumbHttpGitServer(repo.repository(), GitAuth.TOKEN_USER, TOKEN);
        Files.writeString(work.resolve("token"), TOKEN + "\n");
        Files.writeString(work.resolve("secret"), SECRET + "\n");
    }

    // ---- Git -----------------------------------------------------------------------------------

    /** Commits the files (path -> content, null deletes) and returns the commit id. */
    String commit(String message, Map<String, String> files) throws Exception {
        return repo.commit(message, files).name();
    }

    // ---- sidecars ------------------------------------------------------------------------------

    /** Starts {@code stackwire run} for host h against the served repo, as its sidecar. */
    Sidecar start(String h, String... extra) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path jar = Path.of("target", "stackwire.jar").toAbsolutePath();
        assertThat(jar).as("the shaded jar (built by the package phase)").exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "run", "--repo", server.url(), "--ref", "main",
                "--git-token-file", work.resolve("token").toString(), "--cache-dir", work.resolve("cache-" + h).toString(),
                "--host", h, "--listen", "127.0.0.1:" + port, "--webhook-secret-file", work.resolve("secret").toString()));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(p + h + ".log").toFile()));
        pb.environment().put("DOCKER_HOST", dockerHost(h));
        Sidecar s = new Sidecar(h, pb.start(), port);
        sidecars.put(h, s);
        return s;
    }

    Sidecar sidecar(String h) {
        return sidecars.get(h);
    }

    /** The last lines a sidecar logged, for assertion messages. */
    String log(String h) {
        try {
            List<String> lines = Files.readAllLines(logs.resolve(p + h + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** One host's {@code stackwire run} process and its HTTP endpoint on loopback. */
    final class Sidecar {
        final String host;
        final Process process;
        final int port;

        Sidecar(String host, Process process, int port) {
            this.host = host;
            this.process = process;
            this.port = port;
        }

        JsonNode status() throws Exception {
            return JSON.readTree(get("/status"));
        }

        String metrics() throws Exception {
            return get("/metrics");
        }

        /** A metric's value (sum over its label sets that contain {@code labels}); 0 when absent. */
        double metric(String name, String labels) throws Exception {
            double sum = 0;
            for (String line : metrics().split("\n")) {
                if (line.startsWith(name + " ") || (line.startsWith(name + "{") && line.contains(labels))) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        }

        /** A signed GitHub-style push webhook; the sidecar fetches at once. */
        void webhook() throws Exception {
            byte[] body = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/webhook")).timeout(Duration.ofSeconds(5))
                    .header("X-Hub-Signature-256", new WebhookAuth(SECRET).signature(body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("webhook on %s: %s", host, r.body()).isEqualTo(202);
        }

        /** SIGTERM, as a container runtime stops a sidecar; returns the exit code. */
        int stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return -1;
            }
            sidecars.remove(host, this);
            return process.exitValue();
        }

        private String get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    // ---- engines -------------------------------------------------------------------------------

    static String dockerHost(String h) {
        return "unix:///run/swtest-mh/" + h + ".sock";
    }

    /** The docker CLI against host h; fails the test when it fails. */
    Result docker(String h, String... args) {
        Result r = dockerMay(h, args);
        assertThat(r.rc).as("docker -H %s %s:\n%s", h, String.join(" ", args), r.out).isZero();
        return r;
    }

    Result dockerMay(String h, String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", dockerHost(h)));
        cmd.addAll(List.of(args));
        return run(cmd, 60);
    }

    /** A long-running test container on host h, with DNS answered only by Docker's embedded server. */
    void runContainer(String h, String name) {
        docker(h, "run", "-d", "--name", name, "--network", "none", "--dns", "127.0.0.1", IMAGE, "sleep", "3600");
    }

    Result exec(String h, String container, String... args) {
        List<String> cmd = new ArrayList<>(List.of("exec", container));
        cmd.addAll(List.of(args));
        return dockerMay(h, cmd.toArray(String[]::new));
    }

    /** Aliases of a container's endpoint on a network, or null when it is not attached. */
    List<String> aliases(String h, String container, String network) throws IOException {
        Result r = dockerMay(h, "inspect", "--format", "{{json .NetworkSettings.Networks}}", container);
        if (r.rc != 0) {
            return null;
        }
        JsonNode ep = JSON.readTree(r.out).get(network);
        if (ep == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        ep.path("Aliases").forEach(a -> out.add(a.asText()));
        return out;
    }

    /** How many networks of exactly this name host h lists (a manager lists every overlay). */
    long networksNamed(String h, String name) {
        return docker(h, "network", "ls", "--format", "{{.Name}}").out.lines().filter(name::equals).count();
    }

    void restartDaemon(String h) {
        Result r = run(List.of(script.toString(), "restart", h), 120);
        assertThat(r.rc).as("scripts/multihost restart %s:\n%s", h, r.out).isZero();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Sidecar s : List.copyOf(sidecars.values())) {
            s.process.destroyForcibly();
        }
        if (server != null) {
            server.close();
        }
        if (repo != null) {
            repo.close();
        }
        Result r = run(List.of(script.toString(), "down"), 300);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
        try (var files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
        assertThat(r.rc).as("scripts/multihost down:\n%s", r.out).isZero();
    }

    // ---- processes -----------------------------------------------------------------------------

    record Result(int rc, String out) {}

    static Result run(List<String> cmd, int timeoutSeconds) {
        try {
            Path log = Files.createTempFile("swtest-mh", ".log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    return new Result(-1, "timed out after " + timeoutSeconds + " s: " + Files.readString(log));
                }
                return new Result(p.exitValue(), Files.readString(log).trim());
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path findScript() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("scripts/multihost"))) {
                return d.resolve("scripts/multihost");
            }
        }
        throw new IllegalStateException("scripts/multihost not found above " + Path.of("").toAbsolutePath());
    }
}
