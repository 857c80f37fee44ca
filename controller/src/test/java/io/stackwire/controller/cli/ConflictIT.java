package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.controller.loop.LoopStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two {@code stackwire run} controllers of one repository, in-process against the real daemon,
 * whose spec folders disagree (issue 19, "two controllers with different intentions never
 * fight"): the network is made once and never replaced while both run, both {@code /status} show
 * the conflict naming the other, the metric counts it, and bringing one spec in line clears it on
 * both sides.
 */
class ConflictIT {

    /** Short, so that without claims the second controller would replace the network several times in this test. */
    private static final String QUIET = "3s";

    private final String prefix = "swtest-cfx-" + UUID.randomUUID().toString().substring(0, 8);
    private final String net = prefix + "-net";
    private final String web = prefix + "-web";
    private static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");
    private final List<RunCommand.Running> running = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        running.forEach(RunCommand.Running::close);
        docker("rm", "-f", web);
        List<String> ids = new ArrayList<>();
        ids.addAll(lines(docker("network", "ls", "-q", "--filter", "name=^" + prefix)));
        // Claims are named after the controller, not the test: found by this test's owner identity.
        ids.addAll(lines(docker("network", "ls", "-q", "--filter", "label=io.stackwire.claim.repo=" + prefix)));
        for (String id : ids) {
            docker("network", "rm", id);
        }
    }

    private static List<String> lines(String out) {
        return out.startsWith("ERROR") ? List.of() : out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** A spec folder of this test's repository declaring the network with label {@code side}. */
    private Path spec(String folder, String side) throws IOException {
        Path d = Files.createDirectories(dir.resolve(folder));
        Files.writeString(d.resolve("stackwire.yaml"), "owner: " + prefix + "\n");
        writeNetwork(d, side);
        return d;
    }

    private void writeNetwork(Path folder, String side) throws IOException {
        Files.writeString(folder.resolve("stack.yaml"), String.join("\n",
                "stack: " + prefix,
                "networks:",
                "  " + net + ":",
                "    labels:",
                "      side: " + side,
                ""));
    }

    /** {@code stackwire run FOLDER} on loopback, with this test's lease and a short quiet period. */
    private RunCommand.Running run(Path folder) throws Exception {
        Env env = RealCli.env(System.getenv());
        CommandLine cl = Main.commandLine(env);
        cl.setOut(new PrintWriter(new StringWriter(), true));
        CommandLine.ParseResult parsed = cl.parseArgs("run", folder.toString(), "--interval", "1s", "--resync", "60s",
                "--peer-quiet", QUIET, "--listen", "127.0.0.1:0", "--lease-name", prefix + "-lease");
        RunCommand.Running r = ((RunCommand) parsed.subcommand().commandSpec().userObject()).launch();
        running.add(r);
        return r;
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? output : "ERROR(" + p.exitValue() + "): " + output;
    }

    private String get(RunCommand.Running r, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.server().address().getPort() + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<LoopStatus.ErrorView> conflicts(RunCommand.Running r) {
        return r.loop().status().errors().stream().filter(e -> "conflict-other-revision".equals(e.code())).toList();
    }

    @Test
    void twoControllersThatDisagreeAboutANetworkHoldBothReportItAndConvergeWhenOneSpecAgrees() throws Exception {
        Path a = spec("a", "a");
        Path b = spec("b", "b");
        RunCommand.Running first = run(a);
        await().atMost(Duration.ofSeconds(15)).until(() -> first.loop().status().converged());
        String id = docker("network", "inspect", "--format", "{{.Id}} {{index .Labels \"side\"}}", net);
        assertThat(id).endsWith(" a");

        // Watch the network's ID all along: any replacement shows as a second ID.
        Set<String> seen = new ConcurrentSkipListSet<>();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleWithFixedDelay(() -> {
            try {
                seen.add(docker("network", "inspect", "--format", "{{.Id}} {{index .Labels \"side\"}}", net));
            } catch (Exception e) {
                seen.add("ERROR " + e);
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        try {
            RunCommand.Running second = run(b);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(conflicts(second)).as("the second one holds").isNotEmpty();
                assertThat(conflicts(first)).as("the first one sees it too").isNotEmpty();
            });
            String firstId = first.loop().config().instanceId();
            String secondId = second.loop().config().instanceId();
            assertThat(conflicts(second).get(0).subject()).isEqualTo("network." + net);
            assertThat(conflicts(second).get(0).message()).contains("controller " + firstId + " at revision local:");
            assertThat(conflicts(first).get(0).subject()).isEqualTo("network." + net);
            assertThat(conflicts(first).get(0).message()).contains("controller " + secondId + " at revision local:",
                    "in conflict since");

            // Several quiet periods (3 s each) with both running: the hold does not end, nothing is replaced.
            Thread.sleep(10_000);
            assertThat(seen).as("made once, never replaced").containsExactly(id);
            assertThat(conflicts(second)).isNotEmpty();
            assertThat(conflicts(second).get(0).message()).contains("for as long as that controller runs");
            assertThat(conflicts(first)).isNotEmpty();
            for (RunCommand.Running r : List.of(first, second)) {
                assertThat(get(r, "/status")).contains("conflict-other-revision");
                assertThat(get(r, "/metrics")).containsPattern("stackwire_conflicts_total\\{code=\"conflict-other-revision\"} [1-9]")
                        .contains("stackwire_plan_errors{code=\"conflict-other-revision\",resource=\"network." + net + "\"} 1");
                assertThat(r.loop().status().converged()).isFalse();
            }
            assertThat(get(second, "/metrics")).doesNotContain("stackwire_changes_applied_total{action=\"replace\"}");
            assertThat(lines(docker("network", "ls", "-q", "--filter", "label=io.stackwire.claim.repo=" + prefix)))
                    .as("a claim each (two while one is renewed)").hasSizeBetween(2, 4);

            // The second spec is brought in line: the conflict clears on both sides, claims are withdrawn.
            writeNetwork(b, "a");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(conflicts(first)).isEmpty();
                assertThat(conflicts(second)).isEmpty();
                assertThat(first.loop().status().converged()).isTrue();
                assertThat(second.loop().status().converged()).isTrue();
                assertThat(lines(docker("network", "ls", "-q", "--filter", "label=io.stackwire.claim.repo=" + prefix))).isEmpty();
            });
            assertThat(seen).as("still the first network").containsExactly(id);
        } finally {
            watch.shutdownNow();
        }
    }

    /** A spec folder where the network agrees and container web wants {@code aliases} on it. */
    private Path attachmentSpec(String folder, String aliases) throws IOException {
        Path d = Files.createDirectories(dir.resolve(folder));
        Files.writeString(d.resolve("stackwire.yaml"), "owner: " + prefix + "\n");
        writeAttachment(d, aliases);
        return d;
    }

    private void writeAttachment(Path folder, String aliases) throws IOException {
        Files.writeString(folder.resolve("stack.yaml"), String.join("\n",
                "stack: " + prefix,
                "networks:",
                "  " + net + ": {}",
                "containers:",
                "  " + web + ":",
                "    networks:",
                "      " + net + ":",
                "        aliases: [" + aliases + "]",
                ""));
    }

    /** web's endpoint on the network: its ID and aliases, or an error. */
    private String endpoint() throws Exception {
        return docker("inspect", "--format", "{{with index .NetworkSettings.Networks \"" + net + "\"}}{{.EndpointID}} {{json .Aliases}}"
                + "{{else}}none{{end}}", web);
    }

    @Test
    void twoControllersThatDisagreeAboutAContainersAliasesDoNotReconnectItBackAndForth() throws Exception {
        assertThat(docker("run", "-d", "--name", web, "--network", "none", IMAGE, "sleep", "3600")).doesNotStartWith("ERROR");
        Path a = attachmentSpec("a", "from-a");
        Path b = attachmentSpec("b", "from-b");
        RunCommand.Running first = run(a);
        await().atMost(Duration.ofSeconds(15)).until(() -> first.loop().status().converged());
        String attached = endpoint();
        assertThat(attached).contains("\"from-a\"");
        assertThat(docker("inspect", "--format", "{{json (index .NetworkSettings.Networks \"" + net + "\").DriverOpts}}", web))
                .as("stamped: who connected it").contains("\"io.stackwire.controller\"", "\"io.stackwire.connected\"");

        Set<String> seen = new ConcurrentSkipListSet<>();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleWithFixedDelay(() -> {
            try {
                seen.add(endpoint());
            } catch (Exception e) {
                seen.add("ERROR " + e);
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        try {
            RunCommand.Running second = run(b);
            String subject = "attachment." + web + "/" + net;
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(conflicts(second)).extracting(LoopStatus.ErrorView::subject).containsExactly(subject);
                assertThat(conflicts(first)).extracting(LoopStatus.ErrorView::subject).containsExactly(subject);
            });
            assertThat(conflicts(second).get(0).message()).contains("controller " + first.loop().config().instanceId(),
                    "aliases");
            assertThat(conflicts(first).get(0).message()).contains("controller " + second.loop().config().instanceId());

            Thread.sleep(8_000); // well past the 3 s quiet period
            assertThat(seen).as("never reconnected").containsExactly(attached);
            for (RunCommand.Running r : List.of(first, second)) {
                assertThat(get(r, "/metrics")).containsPattern("stackwire_conflicts_total\\{code=\"conflict-other-revision\"} [1-9]")
                        .contains("stackwire_plan_errors{code=\"conflict-other-revision\",resource=\"" + subject + "\"} 1");
            }

            // The first spec is brought in line with the second: it reconnects web once, and both converge.
            writeAttachment(a, "from-b");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(conflicts(first)).isEmpty();
                assertThat(conflicts(second)).isEmpty();
                assertThat(first.loop().status().converged()).isTrue();
                assertThat(second.loop().status().converged()).isTrue();
                assertThat(endpoint()).contains("\"from-b\"");
            });
            assertThat(lines(docker("network", "ls", "-q", "--filter", "label=io.stackwire.claim.repo=" + prefix))).isEmpty();
        } finally {
            watch.shutdownNow();
        }
    }
}
