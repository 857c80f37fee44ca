package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.docker.DockerJavaGateway;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.EventListener;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.daemon.NetworkRef;
import io.stackwire.reconcile.daemon.Subscription;
import io.stackwire.reconcile.plan.Planner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-run apply against the real daemon checks its fresh plan by the daemon's events since the
 * observation: one call when nothing the plan depends on happened, and the old re-read (with its
 * stale handling, unchanged) when something did. Between plan and apply, the test acts from the
 * planner (which runs right after the observation).
 */
class ApplyEventsIT {

    private static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");

    private final String prefix = "swtest-ev-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path dir;

    /** Run by the planner after the observation, i.e. between plan and apply. */
    private volatile Runnable meanwhile = () -> { };

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? output : "ERROR(" + p.exitValue() + "): " + output;
    }

    private static void dockerOrFail(String... args) {
        try {
            assertThat(docker(args)).doesNotStartWith("ERROR");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private RealCli.Run stackwire(String... args) {
        Workflow workflow = new Workflow(SpecLoader::load, (d, l, p) -> {
            var plan = Planner.plan(d, l, p);
            Runnable once = meanwhile;
            meanwhile = () -> { }; // not again when the apply plans again
            once.run();
            return plan;
        }, () -> new Recording(DockerJavaGateway.fromEnvironment().readyForChanges(), log));
        return RealCli.run(workflow, System.getenv(), args);
    }

    @BeforeEach
    void startContainers() throws Exception {
        dockerOrFail("run", "-d", "--name", prefix + "-web", "--network", "none", IMAGE, "sleep", "3600");
        Files.writeString(dir.resolve("stack.yaml"), String.join("\n",
                "stack: " + prefix,
                "networks:",
                "  " + prefix + "-front:",
                "    driver: bridge",
                "containers:",
                "  " + prefix + "-web:",
                "    networks:",
                "      " + prefix + "-front:",
                "        aliases: [www]",
                ""));
        RealCli.Run first = stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        // The next apply adds an alias: web is re-connected to front.
        Files.writeString(dir.resolve("stack.yaml"), Files.readString(dir.resolve("stack.yaml")).replace("[www]", "[www, web]"));
        // The observation's start is taken from the Date header (whole seconds) less a second: let
        // that setup's own events fall before it.
        Thread.sleep(2_100);
        log.clear();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String c : List.of("-web", "-intruder", "-ci-job")) {
            docker("rm", "-f", prefix + c);
        }
        for (String net : docker("network", "ls", "-q", "--filter", "name=" + prefix).split("\\s+")) {
            if (!net.isBlank()) {
                docker("network", "rm", net);
            }
        }
    }

    private List<String> entries(String method) {
        synchronized (log) {
            return log.stream().filter(e -> e.startsWith(method + " ")).toList();
        }
    }

    @Test
    void withNothingItDependsOnChangedTheRecheckIsOneCall() throws Exception {
        // Somebody else's work meanwhile, on a network the plan does not name: events, but none that concern it.
        meanwhile = () -> dockerOrFail("run", "-d", "--name", prefix + "-ci-job", "--network", "none", IMAGE, "sleep", "600");

        RealCli.Run apply = stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease");

        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("Apply complete:").doesNotContain("The daemon changed since");
        assertThat(entries("observe")).as("the plan's observation only: " + log).hasSize(1);
        assertThat(entries("eventsBetween")).as(log.toString()).containsExactly("eventsBetween 1 calls, answered");
        assertThat(docker("inspect", prefix + "-web", "--format",
                "{{json (index .NetworkSettings.Networks \"" + prefix + "-front\").Aliases}}")).contains("\"web\"");
    }

    @Test
    void aChangeToWhatItDependsOnIsCaughtByReadingTheDaemonAgainAsBefore() throws Exception {
        meanwhile = () -> dockerOrFail("run", "-d", "--name", prefix + "-intruder", "--network", prefix + "-front", IMAGE, "sleep", "600");

        RealCli.Run apply = stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease");

        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("The daemon changed since this plan was made, in what it depends on:",
                "network." + prefix + "-front: endpoint " + prefix + "-intruder added",
                "Planned again: the same steps, so they are applied.", "Apply complete:");
        assertThat(entries("eventsBetween")).as(log.toString()).hasSize(1);
        // As before the events: the re-read that found the change, and the re-made plan's own check.
        assertThat(entries("observe")).as("the plan's, the re-read that found the change, the new plan's: " + log).hasSize(3);
    }

    @Test
    void aPlanThatChangedIsShownAgainAndUnderAutoApproveAppliedAsBefore() throws Exception {
        meanwhile = () -> dockerOrFail("network", "disconnect", prefix + "-front", prefix + "-web");

        RealCli.Run apply = stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease");

        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("The daemon changed since this plan was made, in what it depends on:",
                "container." + prefix + "-web: endpoint on " + prefix + "-front removed", "Planned again, and the plan is different:",
                "Applying the new plan (--auto-approve).", "Apply complete:");
        assertThat(entries("observe")).as(log.toString()).hasSize(3);
        assertThat(docker("inspect", prefix + "-web", "--format",
                "{{json (index .NetworkSettings.Networks \"" + prefix + "-front\").Aliases}}")).contains("\"web\"", "\"www\"");
    }

    /** The daemon, logging what the apply asked: observations and event reads, with the API calls each cost. */
    private static final class Recording implements DockerGateway {
        private final DockerJavaGateway inner;
        private final List<String> log;

        Recording(DockerJavaGateway inner, List<String> log) {
            this.inner = inner;
            this.log = log;
        }

        private long calls() {
            return inner.apiCalls();
        }

        @Override
        public LiveState observe() throws GatewayException {
            long before = calls();
            LiveState s = inner.observe();
            log.add("observe " + (calls() - before) + " calls");
            return s;
        }

        @Override
        public LiveState observe(Supplier<ObserveScope> scope) throws GatewayException {
            long before = calls();
            LiveState s = inner.observe(scope);
            log.add("observe " + (calls() - before) + " calls");
            return s;
        }

        @Override
        public LiveState observe(Supplier<ObserveScope> scope, Consumer<Instant> startedAt) throws GatewayException {
            long before = calls();
            LiveState s = inner.observe(scope, startedAt);
            log.add("observe " + (calls() - before) + " calls");
            return s;
        }

        @Override
        public Optional<List<DockerEvent>> eventsBetween(Instant since, Instant until) throws GatewayException {
            long before = calls();
            Optional<List<DockerEvent>> events = inner.eventsBetween(since, until);
            log.add("eventsBetween " + (calls() - before) + " calls, " + (events.isPresent() ? "answered" : "cannot tell"));
            return events;
        }

        @Override
        public LiveState refresh(LiveState base, Collection<String> containers) throws GatewayException {
            return inner.refresh(base, containers);
        }

        @Override
        public String createNetwork(NetworkCreate request) throws GatewayException {
            return inner.createNetwork(request);
        }

        @Override
        public void removeNetwork(String networkId) throws GatewayException {
            inner.removeNetwork(networkId);
        }

        @Override
        public void connect(String container, String network, EndpointConfig endpoint) throws GatewayException {
            inner.connect(container, network, endpoint);
        }

        @Override
        public void connectRunning(String container, String network, EndpointConfig endpoint) throws GatewayException {
            inner.connectRunning(container, network, endpoint);
        }

        @Override
        public void disconnect(String container, String network, boolean force) throws GatewayException {
            inner.disconnect(container, network, force);
        }

        @Override
        public String replaceContainer(String name, ContainerReplace request) throws GatewayException {
            return inner.replaceContainer(name, request);
        }

        @Override
        public String repairReplacement(String name) throws GatewayException {
            return inner.repairReplacement(name);
        }

        @Override
        public Subscription events(EventListener listener) {
            return inner.events(listener);
        }

        @Override
        public List<NetworkRef> networksNamed(String name) throws GatewayException {
            return inner.networksNamed(name);
        }

        @Override
        public String apiVersion() throws GatewayException {
            return inner.apiVersion();
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
