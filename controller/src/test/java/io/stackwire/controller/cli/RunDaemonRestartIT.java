package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stackwire.controller.loop.LoopStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import picocli.CommandLine;

/**
 * Issue 19 end to end, what {@code scripts/bench-restart} measures by hand: {@code stackwire run}
 * (in-process) against a private dockerd that is restarted (SIGTERM, same data-root); 1 s after it
 * answers again a spec'd container starts and must be attached, with its aliases, within 2 s, and
 * no pass that started after the daemon answered may say the daemon is down.
 *
 * <p>The daemon is set up like reconcile's {@code DaemonRestartIT}: its own socket, data-root,
 * exec-root and bridge (10.213.112.0/24), no iptables, no {@code --default-address-pool} (with one, a
 * restarted dockerd 20.10 deletes the host's {@code docker0}), and {@code docker0} is checked
 * afterwards. Needs root, {@code dockerd}, {@code docker}, {@code ip} and a static {@code /bin/busybox};
 * skipped with the reason otherwise (and fails instead under {@code CI=true}).
 */
@EnabledOnOs(OS.LINUX)
class RunDaemonRestartIT {

    private static final String BRIDGE_NET = "10.213.112.0/24";
    private static final String BRIDGE_ADDR = "10.213.112.1/24";
    private static final String SUBNET = "10.213.98.0/24";
    private static final String IMAGE = "swtest-runrestart-busybox:latest";
    private static final Duration TARGET = Duration.ofSeconds(2);

    private final String prefix = "swtest-rr-" + UUID.randomUUID().toString().substring(0, 8);
    private final String web = prefix + "-web";
    private final String net = prefix + "-net";
    private Path dir;
    private String bridge;
    private boolean bridgeMade;
    private Process dockerd;
    private String host;
    private boolean docker0Before;
    private RunCommand.Running running;

    @BeforeEach
    void startPrivateDaemon() throws Exception {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        requirement(Integer.valueOf(0).equals(uid), "a private dockerd needs root (running as uid " + uid + ")");
        for (String tool : List.of("dockerd", "docker", "ip")) {
            requirement(run(List.of("sh", "-c", "command -v " + tool)).ok(), tool + " is not installed");
        }
        requirement(run(List.of("sh", "-c", "ldd /bin/busybox 2>&1 | grep -q 'not a dynamic'")).ok(),
                "/bin/busybox is missing or not static (install busybox-static)");
        assumeTrue(!run(List.of("ip", "route", "show", BRIDGE_NET)).out().contains("dev"),
                BRIDGE_NET + " is already routed on this machine (another run of this test?); the private daemon's bridge would clash");

        docker0Before = run(List.of("ip", "link", "show", "docker0")).ok();
        dir = Files.createTempDirectory("swtest-runrestart.");
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("exec"));
        Files.createDirectories(dir.resolve("spec"));
        host = "unix://" + dir.resolve("docker.sock");
        bridge = "swq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        must(List.of("ip", "link", "add", bridge, "type", "bridge"));
        bridgeMade = true;
        must(List.of("ip", "addr", "add", BRIDGE_ADDR, "dev", bridge));
        must(List.of("ip", "link", "set", bridge, "up"));
        startDaemon();
        awaitAnswering(Duration.ofSeconds(60));
        importImage();
    }

    /** Skips when run by hand without what the test needs; under CI=true a missing requirement is a failure. */
    private static void requirement(boolean met, String why) {
        if (!met && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        assumeTrue(met, why);
    }

    @Test
    void aContainerStartedRightAfterARestartIsAttachedWithinTwoSecondsAndTheDaemonIsNeverCalledDown() throws Exception {
        Files.writeString(dir.resolve("spec/stack.yaml"), String.join("\n",
                "stack: " + prefix,
                "networks:",
                "  " + net + ":",
                "    driver: bridge",
                "    ipam:",
                "      config:",
                "        - subnet: " + SUBNET,
                "containers:",
                "  " + web + ":",
                "    networks:",
                "      " + net + ":",
                "        aliases: [www]",
                ""));
        running = launch();
        awaitUntil(Duration.ofSeconds(60), () -> running.loop().status().converged(), "the first pass converged");
        awaitUntil(Duration.ofSeconds(10), () -> running.loop().status().eventsConnected(), "events connected");

        stopDaemon();
        Thread.sleep(1000); // down long enough for the stream to notice and passes to fail
        startDaemon();
        long answered = awaitAnswering(Duration.ofSeconds(60));
        Instant answeredAt = Instant.now();
        List<String> saidDown = new ArrayList<>();
        sampleUntil(answered + TimeUnit.SECONDS.toNanos(1), answeredAt, saidDown);

        must(List.of("docker", "-H", host, "run", "-d", "--name", web, IMAGE));
        long started = System.nanoTime();
        String attached = "";
        while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10)) {
            sample(answeredAt, saidDown);
            attached = run(List.of("docker", "-H", host, "inspect", "-f",
                    "{{with index .NetworkSettings.Networks \"" + net + "\"}}{{json .Aliases}}{{end}}", web)).out();
            if (attached.contains("\"www\"")) {
                break;
            }
            Thread.sleep(50);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("RunDaemonRestartIT: attached " + took.toMillis() + " ms after it started; last pass "
                + running.loop().status().lastPass());

        assertThat(attached).as("aliases on " + net).contains("\"www\"");
        assertThat(took).isLessThan(TARGET);
        sample(answeredAt, saidDown);
        assertThat(saidDown).as("passes that started after the daemon answered and said it was down").isEmpty();
        HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + running.server().address().getPort() + "/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.body()).contains("\"eventsConnected\" : true").doesNotContain("is the Docker daemon running");
    }

    /** Samples /status (in-process) until {@code untilNanos}. */
    private void sampleUntil(long untilNanos, Instant answeredAt, List<String> saidDown) throws InterruptedException {
        while (System.nanoTime() < untilNanos) {
            sample(answeredAt, saidDown);
            Thread.sleep(50);
        }
    }

    /** Notes a last pass that started after the daemon answered and still says it is down. */
    private void sample(Instant answeredAt, List<String> saidDown) {
        LoopStatus s = running.loop().status();
        LoopStatus.LastPass p = s.lastPass();
        if (p == null || Instant.parse(p.startedAt()).isBefore(answeredAt)) {
            return;
        }
        String said = p.message() + " " + String.join(" ", p.failures()) + " " + s.errors();
        if (said.contains("is the Docker daemon running") || said.contains("cannot reach the Docker daemon")) {
            saidDown.add(p.startedAt() + " " + p.outcome() + ": " + said);
        }
    }

    /** {@code stackwire run SPEC} in-process on loopback, its gateway pointed at the private daemon. */
    private RunCommand.Running launch() throws Exception {
        // run's gateway follows the command's environment: DOCKER_HOST names the private daemon.
        java.util.Map<String, String> environment = new java.util.HashMap<>(System.getenv());
        environment.remove("DOCKER_CONTEXT");
        environment.put("DOCKER_HOST", host);
        Env env = RealCli.env(environment);
        CommandLine cl = Main.commandLine(env);
        cl.setOut(new PrintWriter(new StringWriter(), true));
        CommandLine.ParseResult parsed = cl.parseArgs("run", dir.resolve("spec").toString(), "--listen", "127.0.0.1:0",
                "--lease-name", prefix + "-lease");
        RunCommand cmd = (RunCommand) parsed.subcommand().commandSpec().userObject();
        return cmd.launch();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitUntil(Duration within, Check check, String what) {
        await(what).atMost(within).pollInterval(Duration.ofMillis(50)).until(check::ok);
    }

    @AfterEach
    void cleanUp() {
        List<String> problems = new ArrayList<>();
        if (running != null) {
            running.close();
        }
        String netId = "";
        if (dockerd != null && dockerd.isAlive()) {
            run(List.of("docker", "-H", host, "rm", "-f", web));
            netId = run(List.of("docker", "-H", host, "network", "inspect", "-f", "{{.Id}}", net)).out();
            run(List.of("docker", "-H", host, "network", "rm", net));
            try {
                stopDaemon();
            } catch (Exception e) {
                problems.add("stop dockerd: " + e.getMessage());
            }
        }
        if (netId.length() >= 12 && !netId.contains(" ")) {
            run(List.of("ip", "link", "del", "br-" + netId.substring(0, 12))); // if the daemon could not remove it
        }
        if (bridgeMade) {
            Result r = run(List.of("ip", "link", "del", bridge));
            if (!r.ok()) {
                problems.add("ip link del " + bridge + ": " + r.out());
            }
        }
        if (dir != null) {
            run(List.of("rm", "-rf", "--one-file-system", dir.toString()));
        }
        if (docker0Before && !run(List.of("ip", "link", "show", "docker0")).ok()) {
            problems.add("the host's docker0 is gone: the private daemon's restart deleted it; the shared daemon"
                    + " cannot start containers on its default bridge until docker0 is re-created");
        }
        assertThat(problems).as("cleanup").isEmpty();
    }

    private void startDaemon() throws IOException {
        dockerd = new ProcessBuilder("dockerd",
                "--host", host,
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--bridge", bridge,
                "--iptables=false",
                "--ip-masq=false")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
                .start();
    }

    /** SIGTERM, as {@code systemctl restart docker} does. */
    private void stopDaemon() throws Exception {
        dockerd.destroy();
        if (!dockerd.waitFor(45, TimeUnit.SECONDS)) {
            dockerd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Returns {@link System#nanoTime()} of the first answer to {@code GET /_ping}. */
    private long awaitAnswering(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Path socket = dir.resolve("docker.sock");
        while (System.nanoTime() < deadline) {
            if (!dockerd.isAlive()) {
                throw new AssertionError("the private dockerd exited: " + tail());
            }
            if (Files.exists(socket) && pings(socket)) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the private dockerd did not answer within " + within.toSeconds() + " s: " + tail());
    }

    private static boolean pings(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.allocate(64);
            ch.read(b);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.0 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** A busybox-static rootfs, as scripts/lib/engine.sh's build_test_image makes it. */
    private void importImage() throws Exception {
        Path root = dir.resolve("rootfs");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("tmp"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        for (String applet : List.of("sh", "sleep")) {
            Files.createSymbolicLink(root.resolve("bin/" + applet), Path.of("busybox"));
        }
        must(List.of("sh", "-c", "tar -C '" + root + "' -c . | docker -H '" + host
                + "' import -c 'CMD [\"sleep\",\"3600\"]' - " + IMAGE));
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private record Result(boolean ok, String out) {}

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(false, "timed out: " + out);
            }
            return new Result(p.exitValue() == 0, out.strip());
        } catch (IOException e) {
            return new Result(false, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
    }

    private static String must(List<String> command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + " failed: " + r.out());
        }
        return r.out();
    }
}
