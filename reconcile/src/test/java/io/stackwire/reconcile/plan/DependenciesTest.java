package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.DEFAULT;
import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
import static io.stackwire.reconcile.plan.Fx.ep;
import static io.stackwire.reconcile.plan.Fx.net;
import static io.stackwire.reconcile.plan.Fx.predefined;
import static io.stackwire.reconcile.plan.Fx.running;
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.with;
import static io.stackwire.reconcile.plan.Fx.withPorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.apply.Executor;
import io.stackwire.reconcile.apply.StalePlanException;
import io.stackwire.reconcile.render.JsonPlan;
import io.stackwire.reconcile.render.PlanFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A plan goes stale only when something it read to decide changed. */
class DependenciesTest {

    private final Fx.N front = net("front").subnet("10.1.0.0/24");
    private final Fx.N back = net("back").subnet("10.2.0.0/24");

    /** front exists and web is on it; back is missing (the plan creates it and connects api). */
    private DesiredState spec() {
        return desired(List.of(front.spec(), back.spec()),
                List.of(container("web", att("front", "www")), container("api", att("back"), att("bridge"))));
    }

    private LiveState live(LiveNetwork extraNetwork, LiveContainer... extra) {
        List<LiveNetwork> networks = new ArrayList<>(with(predefined(), front.live()));
        if (extraNetwork != null) {
            networks.add(extraNetwork);
        }
        List<LiveContainer> containers = new ArrayList<>(List.of(
                running("web", ep("web", "front", "www")),
                running("api", ep("api", "bridge"))));
        containers.addAll(List.of(extra));
        return state(networks, containers);
    }

    private Plan plan() {
        return Planner.plan(spec(), live(null), DEFAULT);
    }

    @Test
    void anUnrelatedContainerOrNetworkChangesNothing() {
        Plan plan = plan();
        LiveState busier = live(net("someone-elses").subnet("10.9.0.0/24").unmanaged(),
                running("ci-job", ep("ci-job", "bridge")), // joins Docker's bridge, which the spec also uses
                running("other", ep("other", "someone-elses")));

        assertThat(plan.dependencies().changesIn(busier)).isEmpty();
        assertThat(Planner.plan(spec(), busier, DEFAULT).liveFingerprint()).isEqualTo(plan.liveFingerprint());
        assertThat(plan.dependencies().resources()).doesNotContainKeys("container.ci-job", "container.other", "network.someone-elses");
    }

    @Test
    void anEndpointAddedToANetworkStackwireManagesMakesThePlanStaleAndSaysWhich() {
        Plan plan = plan();

        List<String> changed = plan.dependencies().changesIn(live(null, running("intruder", ep("intruder", "front"))));

        assertThat(changed).containsExactly("network.front: endpoint intruder added");
    }

    @Test
    void aDeclaredContainerThatChangedOrWentAwayIsNamed() {
        Plan plan = plan();
        LiveState moved = state(with(predefined(), front.live()), List.of(
                withPorts(running("web", ep("web", "front", "www", "more")), "8080:80"),
                running("api-2", ep("api-2", "bridge"))));

        assertThat(plan.dependencies().changesIn(moved)).containsExactly(
                "container.api: removed since the plan was made",
                "container.web: endpoint on front changed (aliases), ports changed: [] -> [\"8080:80\"]",
                "network.front: endpoint web changed (aliases)");
    }

    @Test
    void aNetworkTheSpecWantsThatAppearedOrWasRecreatedIsNamed() {
        Plan plan = plan();
        LiveNetwork backNow = back.live();
        LiveNetwork frontAgain = new LiveNetwork("another-id", "front", front.live().driver(), "local", false, false, false,
                front.live().ipam(), front.live().options(), front.live().labels());
        LiveState now = state(with(predefined(), frontAgain, backNow),
                List.of(running("web", ep("web", "front", "www")), running("api", ep("api", "bridge"))));

        assertThat(plan.dependencies().changesIn(now)).containsExactly(
                "network.back: created since the plan was made",
                "network.front: re-created (id " + front.live().id().substring(0, Math.min(12, front.live().id().length()))
                        + " -> another-id)");
    }

    @Test
    void theExecutorRefusesOnlyWhatChangedInItsDependencies() throws Exception {
        Plan plan = plan();

        Executor.check(plan, live(null, running("bystander")));
        assertThatThrownBy(() -> Executor.check(plan, live(null, running("intruder", ep("intruder", "front")))))
                .isInstanceOf(StalePlanException.class)
                .hasMessageContaining("network.front: endpoint intruder added")
                .satisfies(e -> assertThat(((StalePlanException) e).now()).isNotNull());
    }

    @Test
    void aSavedPlanKeepsItsDependenciesExactly() throws Exception {
        Plan plan = plan();

        Plan back = JsonPlan.read(JsonPlan.write(plan));

        assertThat(back.dependencies()).isEqualTo(plan.dependencies());
        assertThat(back.dependencies().changesIn(live(null, running("bystander")))).isEmpty();
        assertThat(back.dependencies().changesIn(live(null, running("intruder", ep("intruder", "front"))))).hasSize(1);
    }

    @Test
    void aSavedPlanWhoseDependenciesWereEditedIsRefused() {
        String json = JsonPlan.write(plan()).replace("\"www\"", "\"edited\"");

        assertThatThrownBy(() -> JsonPlan.read(json)).isInstanceOf(PlanFormatException.class)
                .hasMessageContaining("do not match its live_fingerprint");
    }

    @Test
    void aPlanWithoutRecordedDependenciesIsCheckedAgainstTheWholeDaemon() throws Exception {
        LiveState now = live(null);
        Plan legacy = new Plan(Plan.FORMAT_VERSION, "h", "", Fingerprint.of(now), List.of(), List.of(), List.of());

        Executor.check(legacy, now);
        assertThatThrownBy(() -> Executor.check(legacy, live(null, running("bystander"))))
                .isInstanceOf(StalePlanException.class).hasMessageContaining("earlier stackwire");
    }

    @Test
    void dependenciesDoNotDependOnInputOrder() {
        Plan plan = plan();
        Random r = new Random(3);
        for (int i = 0; i < 10; i++) {
            Plan shuffled = Planner.plan(PlanOrderingTest.shuffle(spec(), r), PlanOrderingTest.shuffle(live(null), r), DEFAULT);
            assertThat(shuffled.dependencies()).isEqualTo(plan.dependencies());
        }
    }
}
