package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DOCKER_HOST=ssh://root@127.0.0.1:PORT} through a real sshd, as the docker CLI does it: the
 * shaded jar runs {@code ssh ... docker system dial-stdio} per connection, and the docker CLI on the
 * "remote" side (this machine) talks to the shared test daemon. plan, apply, destroy, the run loop's
 * event stream (a container started later is attached long before any poll), a docker context with
 * an ssh endpoint, and a refused connection that names what went wrong.
 *
 * <p>The sshd is private: its own config, host key, authorized key and pid file under a temp dir,
 * on a free 127.0.0.1 port, stopped afterwards. The client side is the user's plain {@code ssh}
 * found on PATH; here PATH starts with a wrapper that adds {@code -F} with the test's own client
 * config (key, known_hosts, BatchMode), since ssh reads ~/.ssh from the passwd entry, not $HOME.
 * Needs root, sshd (Debian's openssh-server; scripts/test installs it) and the docker CLI; under
 * {@code CI=true} a missing tool fails the test instead of skipping it.
 */
class SshRemoteIT {

    private static final Path JAR = Path.of("target", "stackwire.jar");
    private static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");

    private final String prefix = "swtest-ssh-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path dir;

    private Process sshd;
    private Process controller;
    private int port;

    record Run(int exit, String out, String err) {}

    @BeforeEach
    void startSshd() throws Exception {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        require(Integer.valueOf(0).equals(uid), "a private sshd that logs in as root needs root (running as uid " + uid + ")");
        for (String tool : List.of("/usr/sbin/sshd", "ssh", "ssh-keygen", "docker")) {
            require(sh("command -v " + tool).exit() == 0, tool + " is not installed (apt-get install openssh-server openssh-client)");
        }
        assertThat(JAR).as("the shaded jar (built by the package phase)").exists();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        must("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
        must("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("id").toString());
        Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
        port = freePort();
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                ""));
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));
        Files.writeString(dir.resolve("ssh_config"), String.join("\n",
                "Host 127.0.0.1",
                "  IdentityFile " + dir.resolve("id"),
                "  IdentitiesOnly yes",
                "  UserKnownHostsFile " + dir.resolve("known_hosts"),
                "  StrictHostKeyChecking yes",
                "  BatchMode yes",
                ""));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("ssh"), "#!/bin/sh\nexec " + sh("command -v ssh").out().strip()
                + " -F '" + dir.resolve("ssh_config") + "' \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("ssh"), PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        must("/usr/sbin/sshd", "-t", "-f", dir.resolve("sshd_config").toString());
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !sshd.isAlive()
                || Files.readString(dir.resolve("sshd.log")).contains("Server listening"));
        assertThat(sshd.isAlive()).as("sshd: " + Files.readString(dir.resolve("sshd.log"))).isTrue();
    }

    private static void require(boolean ok, String why) {
        if (!ok && "true".equals(System.getenv("CI"))) {
            fail(why + "; CI=true, so this is a failure, not a skip");
        }
        assumeTrue(ok, why);
    }

    @AfterEach
    void stop() throws Exception {
        if (controller != null) {
            controller.destroy();
            if (!controller.waitFor(30, TimeUnit.SECONDS)) {
                controller.destroyForcibly();
            }
        }
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor(10, TimeUnit.SECONDS);
        }
        docker("rm", "-f", prefix + "-web", prefix + "-late");
        for (String net : docker("network", "ls", "-q", "--filter", "name=" + prefix).split("\\s+")) {
            if (!net.isBlank()) {
                docker("network", "rm", net);
            }
        }
    }

    private Map<String, String> overSsh() {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", sshUrl());
        env.put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        return env;
    }

    private Path spec() throws IOException {
        Path spec = Files.createDirectories(dir.resolve("spec"));
        Files.writeString(spec.resolve("stack.yaml"), String.join("\n",
                "stack: " + prefix,
                "networks:",
                "  " + prefix + "-net: {}",
                "containers:",
                "  " + prefix + "-web:",
                "    networks:",
                "      " + prefix + "-net:",
                "        aliases: [www]",
                "  " + prefix + "-late:",
                "    networks:",
                "      " + prefix + "-net:",
                "        aliases: [later]",
                ""));
        return spec;
    }

    @Test
    void planApplyAndDestroyGoThroughSsh() throws Exception {
        Path spec = spec();
        docker("run", "-d", "--name", prefix + "-web", "--network", "none", IMAGE, "sleep", "3600");

        Run plan = stackwire(overSsh(), "plan", spec.toString(), "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.err()).isEqualTo(2);
        assertThat(plan.out()).contains(prefix + "-net").contains(prefix + "-web");

        Run apply = stackwire(overSsh(), "apply", spec.toString(), "--auto-approve", "--lease-name", prefix + "-lease");
        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(docker("inspect", "-f", "{{json .NetworkSettings.Networks}}", prefix + "-web"))
                .contains("\"" + prefix + "-net\"").contains("\"www\"");

        Run again = stackwire(overSsh(), "plan", spec.toString(), "--detailed-exitcode");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();

        Run destroy = stackwire(overSsh(), "destroy", spec.toString(), "--auto-approve", "--lease-name", prefix + "-lease");
        assertThat(destroy.exit()).as(destroy.out() + destroy.err()).isZero();
        assertThat(docker("network", "inspect", prefix + "-net")).startsWith("ERROR");
        // No ssh process outlives the command that started it.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(sh("pgrep -a -x ssh || true").out().lines()
                .filter(l -> l.contains("-p " + port + " ") && l.contains("dial-stdio"))).isEmpty());
    }

    @Test
    void theRunLoopHearsEventsThroughSsh() throws Exception {
        Path spec = spec();
        Path out = dir.resolve("run.log");
        ProcessBuilder pb = command(overSsh(), "run", spec.toString(), "--interval", "1h", "--resync", "1h",
                "--listen", "127.0.0.1:0", "--lease-name", prefix + "-lease");
        controller = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        // The first pass creates the network.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(docker("network", "inspect", "-f", "{{.Name}}", prefix + "-net"))
                .as(Files.readString(out)).isEqualTo(prefix + "-net"));
        // No poll for an hour: only the event stream, itself through ssh, can attach a container started now.
        docker("run", "-d", "--name", prefix + "-late", "--network", "none", IMAGE, "sleep", "3600");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                docker("inspect", "-f", "{{json .NetworkSettings.Networks}}", prefix + "-late"))
                .as(Files.readString(out)).contains("\"" + prefix + "-net\"").contains("\"later\""));
        assertThat(controller.isAlive()).isTrue();
    }

    @Test
    void aDockerContextWithAnSshEndpointIsUsedByNameAndAsTheCurrentContext() throws Exception {
        Path config = dir.resolve("docker-config");
        Map<String, String> cli = Map.of("DOCKER_CONFIG", config.toString());
        assertThat(docker(cli, "context", "create", prefix, "--docker", "host=" + sshUrl())).doesNotStartWith("ERROR");
        Path spec = spec();

        Map<String, String> named = overSsh();
        named.remove("DOCKER_HOST");
        named.put("DOCKER_CONFIG", config.toString());
        named.put("DOCKER_CONTEXT", prefix);
        Run plan = stackwire(named, "plan", spec.toString(), "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.err()).isEqualTo(2);
        assertThat(plan.out()).contains(prefix + "-net");

        assertThat(docker(cli, "context", "use", prefix)).doesNotStartWith("ERROR");
        Map<String, String> current = new HashMap<>(named);
        current.remove("DOCKER_CONTEXT");
        Run again = stackwire(current, "plan", spec.toString(), "--detailed-exitcode");
        assertThat(again.exit()).as(again.err()).isEqualTo(2);

        // A context that is not there: one line naming it, before any connection.
        current.put("DOCKER_CONTEXT", "swtest-no-such-context");
        Run missing = stackwire(current, "plan", spec.toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("DOCKER_CONTEXT=swtest-no-such-context: no such Docker context").doesNotContain("\tat ");
    }

    @Test
    void aRefusedSshConnectionSaysWhatSshSaidAndWhatToTry() throws Exception {
        Map<String, String> env = overSsh();
        int closed = freePort();
        env.put("DOCKER_HOST", "ssh://root@127.0.0.1:" + closed);
        Run plan = stackwire(env, "plan", spec().toString());
        assertThat(plan.exit()).isEqualTo(1);
        assertThat(plan.err())
                .contains("cannot reach the Docker daemon at ssh://root@127.0.0.1:" + closed + " over ssh: ")
                .contains("connect to host 127.0.0.1 port " + closed + ": Connection refused")
                .contains("check that 'ssh -o ConnectTimeout=30 -T -l root -p " + closed + " -- 127.0.0.1 docker system dial-stdio' works")
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    /**
     * The daemon behind sshd is the tests' own (scripts/test may have started a private one on its
     * own socket): its socket path goes in the URL, as the docker CLI allows
     * ({@code ssh://user@host:port/path/to/docker.sock} runs {@code docker --host unix://PATH system dial-stdio}).
     */
    private String sshUrl() {
        String local = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        String path = local.startsWith("unix://") ? local.substring("unix://".length()) : "";
        return "ssh://root@127.0.0.1:" + port + path;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static ProcessBuilder command(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("DOCKER_CONTEXT");
        pb.environment().putAll(env);
        return pb;
    }

    /** The shaded jar in a child JVM: its environment (DOCKER_HOST, PATH) is the test's to choose. */
    private static Run stackwire(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = command(env, args);
        Path err = Files.createTempFile("stackwire-err", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String errText = Files.readString(err);
        Files.delete(err);
        return new Run(p.exitValue(), out, errText);
    }

    private static Run sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, "");
    }

    private static void must(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        return docker(Map.of(), args);
    }

    private static String docker(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? output : "ERROR(" + p.exitValue() + "): " + output;
    }
}
