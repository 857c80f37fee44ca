package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * examples/compose-project end to end against the real daemon, with Debian's docker-compose: a
 * selector entry wires every replica of a compose service to a shared network, one alias answers
 * with every replica's address, the loop attaches a new replica on its start event, and a removed
 * replica leaves nothing behind. The example is copied with its names prefixed (swtest-cp-...).
 */
class ComposeProjectIT {

    private static final Path EXAMPLE = Path.of("..", "examples", "compose-project");
    private static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");

    // compose 1.x names containers PROJECT_SERVICE_N and keeps '-' in the project name.
    private final String project = "swtest-cp-" + UUID.randomUUID().toString().substring(0, 8);
    private final String net = project + "-net";
    private final String peer = project + "-peer";
    private final List<RunCommand.Running> running = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void copyExample() throws Exception {
        if (!run("docker-compose", "version").startsWith("docker-compose")) {
            if ("true".equals(System.getenv("CI"))) {
                fail("docker-compose is missing (scripts/test installs Debian's docker-compose)");
            }
            Assumptions.abort("docker-compose is not installed");
        }
        Files.writeString(dir.resolve("docker-compose.yml"), Files.readString(EXAMPLE.resolve("docker-compose.yml"))
                .replace("stackwire-test-busybox:latest", IMAGE));
        Files.writeString(dir.resolve("shop.yaml"), Files.readString(EXAMPLE.resolve("shop.yaml")).replace("shop", project));
        // A peer named in the spec, on the shared network only: what it resolves there is stackwire's doing.
        Files.writeString(dir.resolve("probe.yaml"), String.join("\n",
                "stack: " + project + "-probe",
                "containers:",
                "  " + peer + ":",
                "    networks: [" + net + "]",
                ""));
        assertThat(docker("run", "-d", "--name", peer, "--network", "none", IMAGE, "sleep", "3600")).doesNotStartWith("ERROR");
    }

    @AfterEach
    void cleanUp() throws Exception {
        running.forEach(RunCommand.Running::close);
        compose("down", "--timeout", "1");
        docker("rm", "-f", peer);
        for (String n : docker("network", "ls", "-q", "--filter", "name=^" + project).split("\\s+")) {
            if (!n.isBlank()) {
                docker("network", "rm", n);
            }
        }
    }

    @Test
    void everyReplicaOfAComposeServiceIsWiredAndOneAliasAnswersWithEveryReplica() throws Exception {
        assertThat(compose("up", "-d", "--scale", "web=3")).doesNotStartWith("ERROR");
        List<String> webs = List.of(project + "_web_1", project + "_web_2", project + "_web_3");

        RealCli.Run plan = stackwire("plan", dir.toString());
        assertThat(plan.out()).contains("Entry web selects compose project " + project + ", service web, matching "
                + String.join(", ", webs) + ":");
        for (String w : webs) {
            assertThat(plan.out()).contains("+ attachment." + w + "/" + net + " (connect)");
        }
        RealCli.Run apply = stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", project + "-lease");
        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();

        TreeSet<String> addresses = new TreeSet<>();
        for (String w : webs) {
            addresses.add(address(w));
        }
        assertThat(addresses).hasSize(3).doesNotContain("", "none");
        // Docker's embedded DNS answers the shared alias with every replica; so does the second one.
        assertThat(resolve("web")).isEqualTo(addresses);
        assertThat(resolve(project + "-web")).isEqualTo(addresses);
        assertThat(resolve("worker")).containsExactly(address(project + "_worker_1"));

        RealCli.Run again = stackwire("plan", dir.toString(), "--detailed-exitcode");
        assertThat(again.exit()).as(again.out()).isZero();
        assertThat(again.out()).contains("No changes");
    }

    @Test
    void theLoopAttachesANewReplicaOnItsEventAndARemovedOneLeavesNothingBehind() throws Exception {
        assertThat(compose("up", "-d", "--scale", "web=2")).doesNotStartWith("ERROR");
        // A long interval: only the Docker event can make the pass that attaches the new replica.
        RunCommand.Running r = launch("run", dir.toString(), "--interval", "60s", "--resync", "60s");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(resolve("web")).hasSize(2));

        long since = Instant.now().getEpochSecond() - 1;
        assertThat(compose("up", "-d", "--scale", "web=3")).doesNotStartWith("ERROR");
        String third = project + "_web_3";
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(address(third)).matches("[0-9.]+"));
        // From the daemon's own clock: its start event to its connect event on the shared network.
        String until = String.valueOf(Instant.now().getEpochSecond() + 1);
        long start = Long.parseLong(docker("events", "--since", String.valueOf(since), "--until", until, "--filter", "container=" + third,
                "--filter", "event=start", "--format", "{{.TimeNano}}").split("\n")[0]);
        String id = docker("inspect", "--format", "{{.Id}}", third);
        long connect = java.util.Arrays.stream(docker("events", "--since", String.valueOf(since), "--until", until, "--filter",
                        "network=" + net, "--filter", "event=connect", "--format", "{{.Actor.Attributes.container}} {{.TimeNano}}")
                        .split("\n"))
                .filter(l -> l.startsWith(id + " ")).mapToLong(l -> Long.parseLong(l.substring(id.length() + 1).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no connect event for " + third));
        Duration latency = Duration.ofNanos(connect - start);
        System.out.println("ComposeProjectIT: replica attached " + latency.toMillis() + " ms after its start event");
        assertThat(latency).as("from the replica's start event to its attachment").isLessThan(Duration.ofSeconds(1));
        assertThat(resolve("web")).hasSize(3);

        assertThat(compose("up", "-d", "--scale", "web=1")).doesNotStartWith("ERROR");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(resolve("web")).hasSize(1);
            assertThat(docker("network", "inspect", "--format", "{{range .Containers}}{{.Name}} {{end}}", net).split(" "))
                    .containsExactlyInAnyOrder(peer, project + "_web_1", project + "_worker_1");
            assertThat(r.loop().status().converged()).isTrue();
        });
        RealCli.Run plan = stackwire("plan", dir.toString(), "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.out()).isZero();
    }

    @Test
    void aContainerThatStopsMatchingANamePatternIsDetachedUnderSelfHealAndOneThatStartsMatchingIsAttached() throws Exception {
        Files.writeString(dir.resolve("stackwire.yaml"), "self_heal: true\n");
        Files.writeString(dir.resolve("jobs.yaml"), String.join("\n",
                "stack: " + project + "-jobs",
                "containers:",
                "  jobs:",
                "    select: {name: \"" + project + "-job-*\"}",
                "    networks:",
                "      " + net + ": {aliases: [job]}",
                ""));
        RunCommand.Running r = launch("run", dir.toString(), "--interval", "60s", "--resync", "60s");
        await().atMost(Duration.ofSeconds(20)).until(() -> !docker("network", "inspect", net).startsWith("ERROR"));

        String job = project + "-job-1";
        assertThat(docker("run", "-d", "--name", job, "--network", "none", IMAGE, "sleep", "3600")).doesNotStartWith("ERROR");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(resolve("job")).containsExactly(address(job)));

        // Renamed out of the pattern: it no longer matches, and self-heal takes back what the entry gave it.
        String done = project + "-done-1";
        assertThat(docker("rename", job, done)).doesNotStartWith("ERROR");
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(address(done)).isEqualTo("none"));
            assertThat(resolve("job")).isEmpty();
            assertThat(r.loop().status().converged()).isTrue();
        } finally {
            docker("rm", "-f", done);
        }
    }

    private String address(String container) throws Exception {
        return docker("inspect", "--format", "{{with index .NetworkSettings.Networks \"" + net + "\"}}{{.IPAddress}}{{else}}none{{end}}",
                container);
    }

    /** The IPv4 addresses the peer's resolver gets for {@code name} (busybox nslookup against 127.0.0.11). */
    private TreeSet<String> resolve(String name) throws Exception {
        String out = docker("exec", peer, "nslookup", "-type=a", name, "127.0.0.11");
        TreeSet<String> addresses = new TreeSet<>();
        boolean answers = false;
        for (String line : out.split("\n")) {
            answers |= line.startsWith("Name:");
            if (answers && line.startsWith("Address:")) {
                addresses.add(line.substring("Address:".length()).trim().split("\\s+")[0]);
            }
        }
        return addresses;
    }

    private static RealCli.Run stackwire(String... args) {
        return RealCli.run(System.getenv(), args);
    }

    /** {@code stackwire run ARGS} in-process on loopback with this test's lease. */
    private RunCommand.Running launch(String... given) throws Exception {
        Env env = RealCli.env(System.getenv());
        CommandLine cl = Main.commandLine(env);
        cl.setOut(new PrintWriter(new StringWriter(), true));
        List<String> args = new ArrayList<>(List.of(given));
        args.addAll(List.of("--listen", "127.0.0.1:0", "--lease-name", project + "-lease"));
        CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
        RunCommand.Running r = ((RunCommand) parsed.subcommand().commandSpec().userObject()).launch();
        running.add(r);
        return r;
    }

    private String compose(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "-p", project, "-f", dir.resolve("docker-compose.yml").toString()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    private static String docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "ERROR(not found): " + e.getMessage();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? output : "ERROR(" + p.exitValue() + "): " + output;
    }
}
