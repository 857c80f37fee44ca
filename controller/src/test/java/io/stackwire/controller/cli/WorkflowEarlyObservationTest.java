package io.stackwire.controller.cli;

import io.stackwire.controller.pass.Loader;
import io.stackwire.controller.pass.HostCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwire.model.DesiredState;
import io.stackwire.model.Diagnostic;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.LoadResult;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The CLI reads the daemon while the spec loads; a spec with errors still wins and changes nothing. */
class WorkflowEarlyObservationTest {

    private static final LoadResult GOOD = new LoadResult(DesiredState.of("edge-1", "test", List.of(), RepoPolicy.DEFAULT), List.of());
    private static final LoadResult BAD = new LoadResult(null,
            List.of(Diagnostic.error("bad-name", new SourceRef("stacks/web.yaml", 3, 5), "invalid network name '-x'", "rename it")));

    /** A daemon whose observation runs {@code observe}; every other call is a change and is recorded. */
    private static InMemoryDaemon daemon(InMemoryDaemon.Observation observe) {
        return new InMemoryDaemon("test").onObserve(observe);
    }

    private static Workflow workflow(Loader loader, DockerGateway daemon) {
        return new Workflow(loader, (d, l, p) -> new Plan(Plan.FORMAT_VERSION, d.host(), d.revision(), "fp", null, null, null),
                () -> daemon, HostCheck.NONE, true);
    }

    private static Workflow.Planned plan(Workflow w) throws GatewayException {
        try (Workflow.Session s = w.session()) {
            return w.plan(s, Path.of("."), "edge-1", d -> PlanPolicy.from(d.policy()), false);
        }
    }

    @Test
    void theDaemonIsReadWhileTheSpecLoads() throws Exception {
        CountDownLatch observing = new CountDownLatch(1);
        LiveState live = new LiveState(null, null, null, "1.41");
        InMemoryDaemon daemon = daemon(scope -> {
            observing.countDown();
            return live;
        });
        // The loader only finishes once the observation has begun: proof that they overlap.
        Loader loader = (root, host) -> {
            try {
                assertThat(observing.await(10, TimeUnit.SECONDS)).as("observation started during the load").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return GOOD;
        };

        Workflow.Planned planned = plan(workflow(loader, daemon));

        assertThat(planned.ok()).isTrue();
        assertThat(planned.live()).isSameAs(live);
        assertThat(daemon.changes()).isEmpty();
    }

    @Test
    void theObservationListsDuringTheLoadThenInspectsOnlyWhatTheLoadedSpecNeeds() throws Exception {
        CountDownLatch listing = new CountDownLatch(1);
        AtomicReference<ObserveScope> asked = new AtomicReference<>();
        LiveState live = new LiveState(null, null, null, "1.41");
        InMemoryDaemon daemon = daemon(scope -> {
            listing.countDown(); // the lists are read before the spec is known...
            asked.set(scope.get()); // ...and the inspects wait for it
            return live;
        });
        Loader loader = (root, host) -> {
            try {
                assertThat(listing.await(10, TimeUnit.SECONDS)).as("observation started during the load").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return GOOD;
        };

        Workflow.Planned planned = plan(workflow(loader, daemon));

        assertThat(planned.live()).isSameAs(live);
        assertThat(asked.get()).isEqualTo(ObserveScope.of(GOOD.state()));
        assertThat(asked.get().all()).isFalse();
    }

    @Test
    void aSpecWithErrorsIsReportedWithoutWaitingForADaemonThatDoesNotAnswer() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        InMemoryDaemon hanging = daemon(scope -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new GatewayException(GatewayException.Kind.UNAVAILABLE, "interrupted");
        });

        long start = System.nanoTime();
        Workflow.Planned planned = plan(workflow((root, host) -> BAD, hanging));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(planned.ok()).isFalse();
        assertThat(planned.load().diagnostics()).extracting(Diagnostic::code).containsExactly("bad-name");
        assertThat(hanging.changes()).isEmpty();
        never.countDown();
    }

    @Test
    void aSpecWithErrorsIsReportedEvenWhenTheDaemonIsDown() throws Exception {
        InMemoryDaemon down = daemon(scope -> {
            throw new GatewayException(GatewayException.Kind.UNAVAILABLE, "cannot reach the Docker daemon at test");
        });

        Workflow.Planned planned = plan(workflow((root, host) -> BAD, down));

        assertThat(planned.ok()).isFalse();
        assertThat(planned.load().diagnostics()).extracting(Diagnostic::code).containsExactly("bad-name");
    }

    @Test
    void aGoodSpecAgainstADaemonThatIsDownFailsAsBefore() {
        InMemoryDaemon down = daemon(scope -> {
            throw new GatewayException(GatewayException.Kind.UNAVAILABLE, "cannot reach the Docker daemon at test");
        });

        assertThatThrownBy(() -> plan(workflow((root, host) -> GOOD, down)))
                .isInstanceOf(GatewayException.class)
                .hasMessage("cannot reach the Docker daemon at test");
    }

    @Test
    void withoutEarlyObservationASpecWithErrorsNeverOpensTheDaemon() throws Exception {
        AtomicReference<String> opened = new AtomicReference<>();
        Workflow w = new Workflow((root, host) -> BAD, (d, l, p) -> null, () -> {
            opened.set("opened");
            return daemon(scope -> null);
        });

        try (Workflow.Session s = w.session()) {
            assertThat(w.plan(s, Path.of("."), "edge-1", d -> PlanPolicy.from(d.policy()), false).ok()).isFalse();
        }
        assertThat(opened).hasValue(null);
    }
}
