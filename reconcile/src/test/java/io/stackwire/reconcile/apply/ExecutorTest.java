package io.stackwire.reconcile.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.apply.StepResult.Status;
import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.plan.Dependencies;
import io.stackwire.reconcile.plan.Fingerprint;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ExecutorTest {

    private static final Map<String, String> OURS = Map.of(Labels.MANAGED, "true", Labels.STACK, "shop");

    private static Step create(int id, String network, Integer... deps) {
        return new Step.CreateNetwork(id, network, new NetworkCreate(network, "bridge", false, false, false, null, null, OURS),
                List.of(deps), 0);
    }

    private static Step connect(int id, String container, String network, Integer... deps) {
        return new Step.Connect(id, network, container, new EndpointConfig(List.of(container + "-alias"), null, null), List.of(deps), 0);
    }

    private static Step disconnect(int id, String container, String network, Integer... deps) {
        return new Step.Disconnect(id, network, container, null, List.of(deps), 0);
    }

    private static Step remove(int id, String network, String networkId, Integer... deps) {
        return new Step.RemoveNetwork(id, network, networkId, null, List.of(deps), 0);
    }

    private static Plan plan(String fingerprint, Step... steps) {
        return new Plan(Plan.FORMAT_VERSION, "host1", "test", fingerprint, List.of(), List.of(steps), List.of());
    }

    private static List<Status> statuses(ApplyResult r) {
        return r.results().stream().map(StepResult::status).toList();
    }

    @Test
    void runsIndependentStepsInParallel() {
        InMemoryDaemon docker = new InMemoryDaemon().rendezvous(3);

        ApplyResult r = new Executor(docker, 8).applyFresh(plan("", create(0, "a"), create(1, "b"), create(2, "c")), null);

        assertThat(docker.maxInFlight()).isEqualTo(3);
        assertThat(statuses(r)).containsExactly(Status.APPLIED, Status.APPLIED, Status.APPLIED);
        assertThat(r.converged()).isTrue();
    }

    @Test
    void connectsContainersThePlanSawRunningWithoutCheckingThemFirst() {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", OURS);
        LiveState seen = new LiveState(null, new TreeMap<>(Map.of(
                "web", new LiveContainer("cid-web", "web", true, "bridge", null, null, null, null),
                "batch", new LiveContainer("cid-batch", "batch", false, "bridge", null, null, null, null))), null, "1.41");

        ApplyResult r = new Executor(docker, 1).applyFresh(
                plan("", connect(0, "web", "front"), connect(1, "batch", "front"), connect(2, "late", "front")), seen, null);

        assertThat(r.converged()).isTrue();
        // A stopped container accepts a second connect silently, and one the plan never saw may be stopped.
        assertThat(docker.uncheckedConnects()).containsExactly("web/front");
        assertThat(docker.changes()).contains("connect batch/front", "connect late/front");
    }

    @Test
    void withoutTheObservationEveryConnectIsChecked() {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", OURS);

        new Executor(docker, 1).applyFresh(plan("", connect(0, "web", "front")), null);

        assertThat(docker.uncheckedConnects()).isEmpty();
    }

    @Test
    void aSavedPlanConnectsByTheRunningStateObservedWhenApplying() throws Exception {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", OURS).withEndpoint("web", "back");
        String fingerprint = Fingerprint.of(docker.observe());

        new Executor(docker, 1).apply(plan(fingerprint, connect(0, "web", "front")), null);

        assertThat(docker.uncheckedConnects()).containsExactly("web/front"); // the fake's containers run
    }

    @Test
    void neverRunsMoreStepsAtOnceThanTheParallelism() {
        InMemoryDaemon docker = new InMemoryDaemon();

        new Executor(docker, 1).applyFresh(plan("", create(0, "a"), create(1, "b"), create(2, "c"), create(3, "d")), null);

        assertThat(docker.maxInFlight()).isEqualTo(1);
        assertThat(docker.changes()).containsExactly("create a", "create b", "create c", "create d");
    }

    @Test
    void runsAStepOnlyAfterEveryStepItDependsOn() {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("old", OURS).withEndpoint("web", "old");
        Plan p = plan("",
                disconnect(0, "web", "old"),
                remove(1, "old", "id-old", 0),
                create(2, "front"),
                connect(3, "web", "front", 2),
                connect(4, "api", "front", 2));

        ApplyResult r = new Executor(docker, 8).applyFresh(p, null);

        List<String> calls = docker.changes();
        assertThat(calls.indexOf("disconnect web/old")).isLessThan(calls.indexOf("remove id-old"));
        assertThat(calls.indexOf("create front")).isLessThan(calls.indexOf("connect web/front"));
        assertThat(calls.indexOf("create front")).isLessThan(calls.indexOf("connect api/front"));
        assertThat(r.converged()).isTrue();
    }

    @Test
    void skipsEveryTransitiveDependantOfAFailedStepAndRunsTheRest() {
        InMemoryDaemon docker = new InMemoryDaemon()
                .failing("create front", new GatewayException(GatewayException.Kind.REFUSED, "pool overlaps with other one on this address space"));
        Plan p = plan("",
                create(0, "front"),
                connect(1, "web", "front", 0),
                connect(2, "api", "front", 1),
                create(3, "back"),
                connect(4, "db", "back", 3));

        ApplyResult r = new Executor(docker, 8).applyFresh(p, null);

        assertThat(statuses(r)).containsExactly(Status.FAILED, Status.SKIPPED, Status.SKIPPED, Status.APPLIED, Status.APPLIED);
        assertThat(r.results().get(0).message()).contains("pool overlaps");
        assertThat(r.results().get(1).message()).isEqualTo("skipped: depends on failed step 0 (create network front)");
        assertThat(r.results().get(2).message()).isEqualTo("skipped: depends on failed step 0 (create network front)");
        assertThat(docker.changes()).doesNotContain("connect web/front", "connect api/front").contains("connect db/back");
        assertThat(r.converged()).isFalse();
        assertThat(r.summary()).isEqualTo("Apply incomplete: 2 applied, 0 already in place, 1 failed, 2 skipped.");
    }

    @Test
    void countsANetworkCreatedMeanwhileWithOurLabelsAsDone() {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", OURS);

        ApplyResult r = new Executor(docker, 8).applyFresh(plan("", create(0, "front"), connect(1, "web", "front", 0)), null);

        assertThat(statuses(r)).containsExactly(Status.ALREADY, Status.APPLIED);
        assertThat(r.results().get(0).message()).startsWith("already exists with our labels");
        assertThat(r.converged()).isTrue();
    }

    @Test
    void failsWhenANetworkOfThatNameAppearedWithoutOurLabels() {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", Map.of("owner", "someone-else"));

        ApplyResult r = new Executor(docker, 8).applyFresh(plan("", create(0, "front"), connect(1, "web", "front", 0)), null);

        assertThat(statuses(r)).containsExactly(Status.FAILED, Status.SKIPPED);
        assertThat(r.results().get(0).message()).contains("created by someone else");
    }

    @Test
    void countsAnAlreadyConnectedContainerAsDone() {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", OURS).withEndpoint("web", "front");

        ApplyResult r = new Executor(docker, 8).applyFresh(plan("", connect(0, "web", "front")), null);

        assertThat(r.results().get(0).status()).isEqualTo(Status.ALREADY);
        assertThat(r.results().get(0).message()).startsWith("already connected (endpoint with name web already exists");
    }

    @Test
    void countsDisconnectAndRemoveOfWhatIsAlreadyGoneAsDone() {
        InMemoryDaemon docker = new InMemoryDaemon();

        ApplyResult r = new Executor(docker, 8).applyFresh(plan("", disconnect(0, "web", "old"), remove(1, "old", "id-old", 0)), null);

        assertThat(statuses(r)).containsExactly(Status.ALREADY, Status.ALREADY);
        assertThat(r.converged()).isTrue();
    }

    @Test
    void failsConnectWhenTheContainerIsGone() {
        InMemoryDaemon docker = new InMemoryDaemon()
                .failing("connect web/front", new GatewayException(GatewayException.Kind.NOT_FOUND, "No such container: web"));

        ApplyResult r = new Executor(docker, 8).applyFresh(plan("", connect(0, "web", "front")), null);

        assertThat(r.results().get(0).status()).isEqualTo(Status.FAILED);
        assertThat(r.results().get(0).message()).isEqualTo("No such container: web");
    }

    @Test
    void neverRemovesANetworkByName() {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("old", OURS);

        ApplyResult r = new Executor(docker, 8).applyFresh(plan("", remove(0, "old", null)), null);

        assertThat(r.results().get(0).status()).isEqualTo(Status.FAILED);
        assertThat(docker.changes()).isEmpty();
    }

    @Test
    void refusesAStalePlanWithoutTouchingTheDaemon() throws GatewayException {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", OURS);
        String before = Fingerprint.of(docker.observe());
        docker.withNetwork("surprise", Map.of());

        assertThatThrownBy(() -> new Executor(docker, 8).apply(plan(before, create(0, "back")), null))
                .isInstanceOf(StalePlanException.class)
                .hasMessageContaining("the daemon changed since this plan was made")
                .hasMessageContaining("run plan again");
        assertThat(docker.changes()).isEmpty();
    }

    @Test
    void refusesAPlanWithoutFingerprint() {
        InMemoryDaemon docker = new InMemoryDaemon();

        assertThatThrownBy(() -> new Executor(docker, 8).apply(plan("", create(0, "back")), null))
                .isInstanceOf(StalePlanException.class)
                .hasMessageContaining("no live fingerprint");
        assertThat(docker.changes()).isEmpty();
    }

    @Test
    void appliesASavedPlanWhenTheDaemonIsUnchanged() throws Exception {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", OURS);
        Plan p = plan(Fingerprint.of(docker.observe()), create(0, "back"));

        ApplyResult r = new Executor(docker, 8).apply(p, null);

        assertThat(r.converged()).isTrue();
        assertThat(docker.changes()).containsExactly("create back");
    }

    /** A plan made from {@code live} that creates back and depends on front (every endpoint) and back. */
    private static Plan planFrom(LiveState live) {
        Dependencies deps = Dependencies.of(live, List.of("front", "back"), List.of("front"), List.of(), false);
        return new Plan(Plan.FORMAT_VERSION, "host1", "test", deps.fingerprint(), List.of(), List.of(create(0, "back")),
                List.of(), deps);
    }

    private static final java.time.Instant SINCE = java.time.Instant.parse("2026-01-01T10:00:00Z");
    private static final java.time.Instant UNTIL = SINCE.plusSeconds(30);

    @Test
    void whenNoEventSinceThePlanConcernsItTheDaemonIsNotReadAgain() throws Exception {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", OURS).withEvents(
                new DockerEvent(DockerEvent.Type.CONTAINER, "start", "cid-ci", "ci-job", null, null, SINCE.plusSeconds(1)));
        LiveState observed = docker.observe();
        Plan p = planFrom(observed);

        ApplyResult r = new Executor(docker, 8).apply(p, observed, SINCE, UNTIL, null);

        assertThat(r.converged()).isTrue();
        assertThat(docker.eventReads()).isEqualTo(1);
        assertThat(docker.observations()).as("only the plan's own").isEqualTo(1);
        assertThat(docker.changes()).containsExactly("create back");
    }

    @Test
    void whenAnEventConcernsThePlanItIsCheckedByReadingTheDaemonAndAStalePlanIsRefusedAsBefore() throws GatewayException {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", OURS);
        LiveState observed = docker.observe();
        Plan p = planFrom(observed);
        docker.withEndpoint("intruder", "front").withEvents(
                new DockerEvent(DockerEvent.Type.NETWORK, "connect", "id-front", "front", "front", "cid-intruder", SINCE.plusSeconds(1)));

        assertThatThrownBy(() -> new Executor(docker, 8).apply(p, observed, SINCE, UNTIL, null))
                .isInstanceOf(StalePlanException.class)
                .hasMessageContaining("network.front: endpoint intruder added");
        assertThat(docker.observations()).isEqualTo(2);
        assertThat(docker.changes()).isEmpty();
    }

    @Test
    void aConcerningEventThatChangedNothingOnlyCostsTheReadAndAGatewayThatCannotTellReadsAgain() throws Exception {
        InMemoryDaemon busy = new InMemoryDaemon().withNetwork("front", OURS).withEvents(
                new DockerEvent(DockerEvent.Type.NETWORK, "create", "id-back", "back", "back", null, SINCE.plusSeconds(1)),
                new DockerEvent(DockerEvent.Type.NETWORK, "destroy", "id-back", "back", "back", null, SINCE.plusSeconds(2)));
        LiveState observed = busy.observe();
        assertThat(new Executor(busy, 8).apply(planFrom(observed), observed, SINCE, UNTIL, null).converged()).isTrue();
        assertThat(busy.observations()).isEqualTo(2);

        InMemoryDaemon blind = new InMemoryDaemon().withNetwork("front", OURS);
        LiveState seen = blind.observe();
        assertThat(new Executor(blind, 8).apply(planFrom(seen), seen, SINCE, UNTIL, null).converged()).isTrue();
        assertThat(blind.eventReads()).isEqualTo(1);
        assertThat(blind.observations()).isEqualTo(2);

        InMemoryDaemon unknownTime = new InMemoryDaemon().withNetwork("front", OURS).withEvents();
        LiveState again = unknownTime.observe();
        assertThat(new Executor(unknownTime, 8).apply(planFrom(again), again, null, UNTIL, null).converged()).isTrue();
        assertThat(unknownTime.eventReads()).isZero();
        assertThat(unknownTime.observations()).isEqualTo(2);
    }

    @Test
    void applyingAnEmptyPlanMakesNoMutatingCalls() throws Exception {
        InMemoryDaemon docker = new InMemoryDaemon().withNetwork("front", OURS);
        Executor executor = new Executor(docker, 8);
        executor.applyFresh(plan("", create(0, "back")), null);
        List<String> afterFirst = docker.changes();

        ApplyResult second = executor.apply(plan(Fingerprint.of(docker.observe())), null);

        assertThat(second.results()).isEmpty();
        assertThat(second.converged()).isTrue();
        assertThat(docker.changes()).isEqualTo(afterFirst);
    }

    @Test
    void tellsTheListenerAboutEveryStepFromOneThread() {
        InMemoryDaemon docker = new InMemoryDaemon()
                .failing("create front", new GatewayException(GatewayException.Kind.REFUSED, "no"));
        List<String> events = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void started(Step step) {
                events.add("start " + step.id());
                threads.add(Thread.currentThread());
            }

            @Override
            public void finished(StepResult result) {
                events.add("end " + result.step().id() + " " + result.status());
                threads.add(Thread.currentThread());
            }
        };

        new Executor(docker, 1).applyFresh(plan("", create(0, "front"), connect(1, "web", "front", 0)), listener);

        assertThat(events).containsExactly("start 0", "end 0 FAILED", "end 1 SKIPPED");
        assertThat(threads).containsOnly(Thread.currentThread());
    }

    @Test
    void rejectsAStepThatDependsOnALaterStep() {
        Plan p = plan("", connect(0, "web", "front", 1), create(1, "front"));

        assertThatThrownBy(() -> new Executor(new InMemoryDaemon(), 8).applyFresh(p, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step 0 depends on step 1, which does not come before it");
    }

    @Test
    void ordersResultsByStepId() {
        Step a = create(0, "a");
        Step b = create(1, "b");

        ApplyResult r = new ApplyResult(List.of(new StepResult(b, Status.APPLIED, "", 1), new StepResult(a, Status.APPLIED, "", 1)));

        assertThat(r.results()).extracting(x -> x.step().id()).containsExactly(0, 1);
    }

    @Test
    void rejectsAParallelismBelowOne() {
        assertThatThrownBy(() -> new Executor(new InMemoryDaemon(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
