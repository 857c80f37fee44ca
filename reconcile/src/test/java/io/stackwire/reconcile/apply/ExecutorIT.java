package io.stackwire.reconcile.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.apply.StepResult.Status;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.docker.DockerJavaGateway;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.plan.Fingerprint;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executor's race handling against the real daemon: the outcomes the unit tests simulate
 * (network created meanwhile, already connected, already gone) must come out the same way from the
 * real gateway's error mapping. Resources carry a unique prefix and are removed afterwards.
 */
class ExecutorIT {

    private static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");

    private final String prefix = "swtest-exec-" + UUID.randomUUID().toString().substring(0, 8);
    private final String net = prefix + "-front";
    private final String web = prefix + "-web";
    private final Map<String, String> ours = Map.of(Labels.MANAGED, "true", Labels.STACK, prefix);
    private DockerGateway docker;

    @BeforeEach
    void setUp() throws Exception {
        docker = DockerJavaGateway.fromEnvironment();
        assertThat(cli("run", "-d", "--name", web, IMAGE, "sleep", "3600")).doesNotStartWith("ERROR");
    }

    @AfterEach
    void tearDown() throws Exception {
        cli("rm", "-f", web);
        for (String id : cli("network", "ls", "-q", "--filter", "name=" + prefix).split("\\s+")) {
            if (!id.isBlank()) {
                cli("network", "rm", id);
            }
        }
        docker.close();
    }

    private static String cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? out : "ERROR(" + p.exitValue() + "): " + out;
    }

    private Step create(int id, Map<String, String> labels) {
        return new Step.CreateNetwork(id, net, new NetworkCreate(net, "bridge", false, false, false, null, null, labels), List.of(), 0);
    }

    private Step connect(int id, Integer... deps) {
        return new Step.Connect(id, net, web, new EndpointConfig(List.of("www"), null, null), List.of(deps), 0);
    }

    private static Plan plan(Step... steps) {
        return new Plan(Plan.FORMAT_VERSION, "it", "", "", List.of(), List.of(steps), List.of());
    }

    @Test
    void appliesAndThenFindsEverythingAlreadyDone() {
        Executor executor = new Executor(docker, 4);
        Plan p = plan(create(0, ours), connect(1, 0));

        ApplyResult first = executor.applyFresh(p, null);
        ApplyResult second = executor.applyFresh(p, null);

        assertThat(first.results()).extracting(StepResult::status).containsExactly(Status.APPLIED, Status.APPLIED);
        assertThat(second.results()).extracting(StepResult::status).containsExactly(Status.ALREADY, Status.ALREADY);
        assertThat(second.converged()).isTrue();
    }

    @Test
    void aRunningContainerConnectedTwiceWithoutACheckIsAlreadyDoneAndKeepsItsSettings() throws Exception {
        Executor executor = new Executor(docker, 4);
        LiveState seen = docker.observe();
        assertThat(seen.container(web).running()).isTrue();
        Plan p = plan(create(0, ours), connect(1, 0));

        ApplyResult first = executor.applyFresh(p, seen, null);
        Step other = new Step.Connect(0, net, web, new EndpointConfig(List.of("other"), null, null), List.of(), 0);
        ApplyResult second = executor.applyFresh(plan(other), seen, null);

        assertThat(first.results()).extracting(StepResult::status).containsExactly(Status.APPLIED, Status.APPLIED);
        // The daemon itself refuses the second connect of a running container: nothing silently kept.
        assertThat(second.results()).extracting(StepResult::status).containsExactly(Status.ALREADY);
        assertThat(docker.observe().container(web).endpoint(net).aliases()).contains("www").doesNotContain("other");
    }

    @Test
    void countsDisconnectAndRemoveOfWhatIsGoneAsDone() throws Exception {
        String id = docker.createNetwork(new NetworkCreate(net, "bridge", false, false, false, null, null, ours));
        Step disconnect = new Step.Disconnect(0, net, web, null, List.of(), 0);
        Step remove = new Step.RemoveNetwork(1, net, id, null, List.of(0), 0);
        Executor executor = new Executor(docker, 4);
        executor.applyFresh(plan(connect(0)), null);

        ApplyResult first = executor.applyFresh(plan(disconnect, remove), null);
        ApplyResult second = executor.applyFresh(plan(disconnect, remove), null);

        assertThat(first.results()).extracting(StepResult::status).containsExactly(Status.APPLIED, Status.APPLIED);
        assertThat(second.results()).extracting(StepResult::status).containsExactly(Status.ALREADY, Status.ALREADY);
    }

    @Test
    void failsWhenSomeoneElseOwnsANetworkOfThatName() throws Exception {
        assertThat(cli("network", "create", net)).doesNotStartWith("ERROR");

        ApplyResult r = new Executor(docker, 4).applyFresh(plan(create(0, ours), connect(1, 0)), null);

        assertThat(r.results()).extracting(StepResult::status).containsExactly(Status.FAILED, Status.SKIPPED);
        assertThat(r.results().get(0).message()).contains("created by someone else");
        assertThat(cli("inspect", web, "--format", "{{json .NetworkSettings.Networks}}")).doesNotContain(net);
    }

    @Test
    void refusesASavedPlanOnceTheDaemonChanged() throws Exception {
        Plan p = new Plan(Plan.FORMAT_VERSION, "it", "", Fingerprint.of(docker.observe()), List.of(), List.of(create(0, ours)), List.of());
        assertThat(cli("network", "create", prefix + "-meanwhile")).doesNotStartWith("ERROR");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Executor(docker, 4).apply(p, null))
                .isInstanceOf(StalePlanException.class);
        assertThat(cli("network", "ls", "-q", "--filter", "name=" + net)).isEmpty();
    }
}
