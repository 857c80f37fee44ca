package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.controller.http.WebhookAuth;
import io.stackwire.controller.loop.PassReport;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.stackwire.controller.source.DumbHttpGitServer;
import io.stackwire.controller.source.TestRepo;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code stackwire run} in-process against the real daemon: events attach late containers and heal
 * manual disconnects, spec edits land on the next fetch, HTTP answers on loopback, the lease keeps
 * a second controller out. Containers are made with the docker CLI (stackwire never creates them).
 */
class RunLoopIT {

    private static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");
    private static final Duration SOON = Duration.ofSeconds(5);

    private final String prefix = "swtest-run-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<RunCommand.Running> running = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @BeforeEach
    void spec() throws IOException {
        writeSpec("[www]");
    }

    @AfterEach
    void cleanUp() throws Exception {
        running.forEach(RunCommand.Running::close);
        for (String c : docker("ps", "-aq", "--filter", "name=^" + prefix).split("\\s+")) {
            if (!c.isBlank()) {
                docker("rm", "-f", c);
            }
        }
        for (String n : docker("network", "ls", "-q", "--filter", "name=^" + prefix).split("\\s+")) {
            if (!n.isBlank()) {
                docker("network", "rm", n);
            }
        }
    }

    private void writeSpec(String aliases) throws IOException {
        writeSpec(aliases, "");
    }

    private void writeSpec(String aliases, String ports) throws IOException {
        Files.writeString(dir.resolve("stack.yaml"), String.join("\n",
                "stack: " + prefix,
                "networks:",
                "  " + prefix + "-front:",
                "    driver: bridge",
                "containers:",
                "  " + prefix + "-web:",
                ports.isEmpty() ? "    # ports not managed" : "    ports: " + ports,
                "    networks:",
                "      " + prefix + "-front:",
                "        aliases: " + aliases,
                ""));
    }

    private RunCommand.Running start(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", dir.toString()));
        args.addAll(List.of(extra));
        return launch(args);
    }

    /** {@code stackwire run ARGS} on loopback with this test's lease. */
    private RunCommand.Running launch(List<String> given) throws Exception {
        Env env = RealCli.env(System.getenv());
        CommandLine cl = Main.commandLine(env);
        cl.setOut(new PrintWriter(new StringWriter(), true));
        List<String> args = new ArrayList<>(given);
        args.addAll(List.of("--listen", "127.0.0.1:0", "--lease-name", prefix + "-lease"));
        CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
        RunCommand cmd = (RunCommand) parsed.subcommand().commandSpec().userObject();
        RunCommand.Running r = cmd.launch();
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

    private String aliases() throws Exception {
        return docker("inspect", "--format",
                "{{with index .NetworkSettings.Networks \"" + prefix + "-front\"}}{{json .Aliases}}{{else}}none{{end}}",
                prefix + "-web");
    }

    private void startWeb() throws Exception {
        assertThat(docker("run", "-d", "--name", prefix + "-web", "--network", "none", "--dns", "127.0.0.1",
                IMAGE, "sleep", "3600")).doesNotStartWith("ERROR");
    }

    private HttpResponse<String> get(RunCommand.Running r, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(r) + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String base(RunCommand.Running r) {
        return "http://127.0.0.1:" + r.server().address().getPort();
    }

    @Test
    void attachesAContainerThatStartsLaterAndHealsAManualDisconnectThroughEvents() throws Exception {
        // A long interval: only Docker events can make these passes happen in time.
        RunCommand.Running r = start("--interval", "60s", "--resync", "60s");
        await().atMost(SOON).until(() -> !docker("network", "inspect", prefix + "-front").startsWith("ERROR"));

        startWeb();
        await().atMost(SOON).untilAsserted(() -> assertThat(aliases()).contains("\"www\""));

        assertThat(docker("network", "disconnect", prefix + "-front", prefix + "-web")).isEmpty();
        await().atMost(SOON).untilAsserted(() -> assertThat(aliases()).contains("\"www\""));
        assertThat(r.loop().metrics().render()).containsPattern("stackwire_drift_detected_total [1-9]");
        assertThat(docker("network", "inspect", "--format", "{{index .Labels \"io.stackwire.owner\"}}", prefix + "-front"))
                .isEqualTo(r.loop().config().instanceId());
    }

    @Test
    void whileTheGitServerIsDownADisconnectIsHealedAtOnceLivenessStaysUpAndTheFetchErrorClearsWhenItIsBack() throws Exception {
        Path spec = dir.resolve("stack.yaml");
        try (TestRepo repo = TestRepo.init(dir.resolve("origin"))) {
            repo.commit("first", Map.of("stack.yaml", Files.readString(spec)));
            Path password = dir.resolve("password");
            Files.writeString(password, "s3cret\n");
            DumbHttpGitServer git = new DumbHttpGitServer(repo.repository(), "ci", "s3cret");
            int port = git.port();
            startWeb();
            RunCommand.Running r = launch(List.of("run", "--repo", git.url(), "--git-username", "ci", "--git-password-file",
                    password.toString(), "--cache-dir", dir.resolve("cache").toString(), "--interval", "1s", "--resync", "60s"));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(aliases()).contains("\"www\"");
                assertThat(r.loop().status().converged()).isTrue();
            });
            String revision = r.loop().status().revision();
            assertThat(revision).matches("[0-9a-f]{40}");

            // /healthz is probed all along, as a chart's liveness probe would.
            List<Integer> health = new CopyOnWriteArrayList<>();
            ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
            prober.scheduleWithFixedDelay(() -> {
                try {
                    health.add(get(r, "/healthz").statusCode());
                } catch (Exception e) {
                    health.add(-1);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            try {
                git.close(); // the Git server goes down
                await().atMost(Duration.ofSeconds(10)).until(() -> r.loop().status().consecutiveFetchFailures() >= 2);
                assertThat(get(r, "/status").body()).contains("\"fetchError\" : \"git: ", "\"fetchFailingSince\" : \"",
                        "\"kind\" : \"source\"", "\"revision\" : \"" + revision + "\"");
                assertThat(get(r, "/readyz").statusCode()).as("the last good revision is still enforced").isEqualTo(200);
                assertThat(get(r, "/metrics").body()).contains("stackwire_git_fetch_failing 1")
                        .containsPattern("stackwire_git_fetch_failures_total [2-9]");

                long t0 = System.nanoTime();
                assertThat(docker("network", "disconnect", prefix + "-front", prefix + "-web")).isEmpty();
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                        .untilAsserted(() -> assertThat(aliases()).contains("\"www\""));
                long healedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertThat(healedMillis).as("healed against the last good revision, not after the fetch backoff").isLessThan(2000);
                assertThat(r.loop().status().lastPass().outcome()).isIn("applied", "no_changes");
                assertThat(r.loop().status().consecutiveFailures()).as("no pass failed because Git is down").isZero();

                git = new DumbHttpGitServer(repo.repository(), "ci", "s3cret", port); // back on the same address
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(r.loop().status().fetchError()).isNull();
                    assertThat(r.loop().status().errors()).isEmpty();
                });
                assertThat(r.loop().status().fetchFailingSince()).isNull();
                assertThat(get(r, "/metrics").body()).contains("stackwire_git_fetch_failing 0");
            } finally {
                // shutdown, not shutdownNow: interrupting a probe in flight would record -1 for our own interrupt
                prober.shutdown();
                prober.awaitTermination(10, TimeUnit.SECONDS);
                git.close();
            }
            assertThat(health).as("liveness never failed during the Git outage").isNotEmpty().containsOnly(200);
        }
    }

    @Test
    void appliesASpecEditOnTheNextFetch() throws Exception {
        startWeb();
        start("--interval", "1s");
        await().atMost(SOON).untilAsserted(() -> assertThat(aliases()).contains("\"www\""));

        writeSpec("[www, web2]");

        await().atMost(SOON).untilAsserted(() -> assertThat(aliases()).contains("\"www\"", "\"web2\""));
    }

    @Test
    void servesHealthReadinessStatusMetricsAndASignedWebhookOnLoopback() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "s3cret\n");
        startWeb();
        RunCommand.Running r = start("--webhook-secret-file", secret.toString());

        await().atMost(SOON).untilAsserted(() -> assertThat(get(r, "/readyz").statusCode()).isEqualTo(200));
        assertThat(get(r, "/healthz").statusCode()).isEqualTo(200);
        await().atMost(SOON).untilAsserted(() -> assertThat(get(r, "/metrics").body())
                .contains("stackwire_passes_total{result=\"applied\"} 1"));
        HttpResponse<String> metrics = get(r, "/metrics");
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("stackwire_passes_total{result=\"applied\"} 1", "stackwire_docker_api_calls_total ");
        HttpResponse<String> status = get(r, "/status");
        assertThat(status.body()).contains("\"revision\" : \"local:", "Apply complete: 3 applied", "Verified.", "\"eventsConnected\" : true");

        byte[] body = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base(r) + "/webhook"))
                .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(401);
        long before = r.loop().metrics().render().lines().filter(l -> l.startsWith("stackwire_pass_duration_seconds_count")).count();
        assertThat(before).isOne();
        HttpResponse<String> good = http.send(HttpRequest.newBuilder(URI.create(base(r) + "/webhook"))
                .header("X-Hub-Signature-256", new WebhookAuth("s3cret").signature(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(good.statusCode()).isEqualTo(202);
        await().atMost(SOON).until(() -> r.loop().status().lastPass().triggers().contains("webhook"));

        StringWriter out = new StringWriter();
        int exit = Main.run(new CliHarness().env(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "status", "--listen", "127.0.0.1:" + r.server().address().getPort());
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Revision: local:", "Last pass: ");
    }

    @Test
    void statusListsPublishedPortsFromTheControllerAndDirectlyFromTheDaemon() throws Exception {
        // A random host port on loopback: Docker picks it, status shows it, and it is no drift.
        writeSpec("[www]", "[\"127.0.0.1::80\"]");
        // On the default bridge: Docker publishes no ports for a container on --network none.
        assertThat(docker("run", "-d", "--name", prefix + "-web", "--dns", "127.0.0.1",
                "-p", "127.0.0.1::80", IMAGE, "sleep", "3600")).doesNotStartWith("ERROR");
        String port = docker("port", prefix + "-web", "80/tcp").replaceAll("(?s).*:(\\d+).*", "$1");
        assertThat(port).matches("\\d+");
        RunCommand.Running r = start();
        // The first pass creates a network and takes the lease: seconds on a loaded machine.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(r, "/readyz").statusCode()).isEqualTo(200));

        await().atMost(SOON).untilAsserted(() -> assertThat(get(r, "/status").body())
                .contains("\"published\" : [ \"127.0.0.1:" + port + ":80/tcp\" ]", "\"ports\" : [ \"127.0.0.1::80/tcp\" ]",
                        "\"portsDrift\" : null", "\"aliases\" : [ \"www\" ]"));
        String listen = "127.0.0.1:" + r.server().address().getPort();
        StringWriter out = new StringWriter();
        Main.run(new CliHarness().env(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "status", "--listen", listen);
        assertThat(out.toString()).contains("  " + prefix + "-web (running)", "    networks:  " + prefix + "-front [www]",
                "    ports:     127.0.0.1::80/tcp", "    published: 127.0.0.1:" + port + ":80/tcp").doesNotContain("DRIFT");

        r.close();
        running.remove(r);
        StringWriter direct = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new Env(Workflow.real(), new CliHarness().env().prompter(), System.getenv(), false),
                new PrintWriter(direct, true), new PrintWriter(err, true), "status", dir.toString(), "--listen", listen);
        assertThat(exit).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("no controller answers at http://" + listen);
        assertThat(direct.toString()).contains("No controller; read directly from the daemon",
                "    published: 127.0.0.1:" + port + ":80/tcp").doesNotContain("DRIFT");
    }

    @Test
    void aHostModeContainerListedWithANetworkIsAPlanErrorNotConvergedButReady() throws Exception {
        assertThat(docker("run", "-d", "--name", prefix + "-web", "--network", "host", IMAGE, "sleep", "3600"))
                .doesNotStartWith("ERROR");
        RunCommand.Running r = start("--interval", "1s");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(r.loop().status().lastPass()).isNotNull()
                .satisfies(p -> assertThat(p.outcome()).isEqualTo("plan_errors")));
        assertThat(get(r, "/readyz").statusCode()).as("the controller works; the spec is refused in part").isEqualTo(200);
        assertThat(docker("network", "inspect", prefix + "-front")).as("what is not refused is applied").doesNotStartWith("ERROR");
        assertThat(get(r, "/status").body()).contains("\"converged\" : false", "\"kind\" : \"plan\"",
                "\"code\" : \"container-host-network\"", "\"subject\" : \"container." + prefix + "-web\"");
        assertThat(get(r, "/metrics").body()).contains("stackwire_plan_errors{code=\"container-host-network\",resource=\"container."
                + prefix + "-web\"} 1", "stackwire_converged 0", "stackwire_passes_total{result=\"failed\"} 0",
                "stackwire_passes_total{result=\"error\"} 0");
        assertThat(r.loop().status().consecutiveFailures()).isZero();

        StringWriter out = new StringWriter();
        int exit = Main.run(new CliHarness().env(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "status", "--listen", "127.0.0.1:" + r.server().address().getPort());
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("Converged: no", "error: container." + prefix + "-web: container " + prefix
                + "-web uses the host's network stack (--network host) and cannot join other networks [container-host-network]");
    }

    @Test
    void waitsForTheLeaseHolderAndTwoControllersNeverFight() throws Exception {
        long expires = System.currentTimeMillis() / 1000 + 600;
        assertThat(docker("network", "create", "--internal", "--label", "io.stackwire.lease=true",
                "--label", "io.stackwire.lease.owner=ci-apply-7", "--label", "io.stackwire.lease.expires=" + expires,
                prefix + "-lease")).doesNotStartWith("ERROR");
        startWeb();
        RunCommand.Running a = start("--interval", "1s");
        RunCommand.Running b = start("--interval", "1s");

        await().atMost(SOON).untilAsserted(() -> assertThat(a.loop().status().lastPass()).isNotNull()
                .satisfies(p -> assertThat(p.outcome()).isEqualTo("lease_busy"))
                .satisfies(p -> assertThat(p.message()).contains("lease held by ci-apply-7")));
        assertThat(aliases()).isEqualTo("none");

        docker("network", "rm", prefix + "-lease");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(aliases()).contains("\"www\""));
        await().atMost(SOON).untilAsserted(() -> {
            assertThat(a.loop().status().lastPass().outcome()).isIn("no_changes", "applied");
            assertThat(b.loop().status().lastPass().outcome()).isIn("no_changes", "applied");
        });
        long failed = a.loop().metrics().render().lines().filter(l -> l.equals("stackwire_passes_total{result=\"failed\"} 0")).count()
                + b.loop().metrics().render().lines().filter(l -> l.equals("stackwire_passes_total{result=\"failed\"} 0")).count();
        assertThat(failed).as("neither controller saw a failed step").isEqualTo(2);
        assertThat(docker("network", "ls", "-q", "--filter", "name=^" + prefix + "-lease$")).as("lease released").isEmpty();
        assertThat(PassReport.Outcome.LEASE_BUSY.ok()).isTrue();
    }
}
