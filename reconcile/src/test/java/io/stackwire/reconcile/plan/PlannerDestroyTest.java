package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.change;
import static io.stackwire.reconcile.plan.Fx.codes;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
import static io.stackwire.reconcile.plan.Fx.ep;
import static io.stackwire.reconcile.plan.Fx.net;
import static io.stackwire.reconcile.plan.Fx.notice;
import static io.stackwire.reconcile.plan.Fx.ops;
import static io.stackwire.reconcile.plan.Fx.predefined;
import static io.stackwire.reconcile.plan.Fx.running;
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.SwarmInfo.Role;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerDestroyTest {

    private final Fx.N front = net("front");
    private final Fx.N proxy = net("proxy").external();

    @Test
    void destroyDisconnectsDeclaredAttachmentsThenRemovesManagedNetworks() {
        var web = container("web", att("front", "www"), att("proxy"));
        var live = state(with(predefined(), front.live(), net("proxy").unmanaged()),
                List.of(running("web", ep("web", "front", "www"), ep("web", "proxy")), running("visitor", ep("visitor", "front"))));
        Plan plan = Planner.plan(desired(List.of(front.spec(), proxy.spec()), List.of(web)), live, PlanPolicy.destroy(Set.of()));
        assertThat(ops(plan)).containsExactly("DISCONNECT front visitor", "DISCONNECT front web", "DISCONNECT proxy web",
                "REMOVE_NETWORK front");
        Change delete = change(plan, ResourceKey.network("front"));
        assertThat(delete.action()).isEqualTo(Action.DELETE);
        assertThat(delete.reason()).isEqualTo("destroy requested for stack app");
        assertThat(delete.endpoints()).extracting(EndpointRef::container).containsExactly("visitor", "web");
        assertThat(change(plan, ResourceKey.attachment("web", "proxy")).action()).isEqualTo(Action.DISCONNECT);
    }

    @Test
    void destroyNeverTakesAContainerOffDockersDefaultBridge() {
        var web = container("web", att("front", "www"), att("bridge"));
        var live = state(with(predefined(), front.live()), List.of(running("web", ep("web", "front", "www"), ep("web", "bridge"))));

        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)), live, PlanPolicy.destroy(Set.of()));

        assertThat(ops(plan)).containsExactly("DISCONNECT front web", "REMOVE_NETWORK front");
    }

    @Test
    void removingANetworkListsAndCountsEveryContainerItTakesOffManagedOrNotRunningOrStopped() {
        var web = container("web", att("front", "www"));
        var live = state(with(predefined(), front.live()), List.of(running("web", ep("web", "front", "www")),
                Fx.stopped("visitor", ep("visitor", "front"))));

        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)), live, PlanPolicy.destroy(Set.of()));

        assertThat(plan.changes()).extracting(c -> c.action() + " " + c.key().address()).containsExactly(
                "DELETE network.front", "DISCONNECT attachment.visitor/front", "DISCONNECT attachment.web/front");
        Change visitor = change(plan, ResourceKey.attachment("visitor", "front"));
        assertThat(visitor.reason()).isEqualTo("network front is removed (destroy requested for stack app); the container is not in the spec");
        assertThat(visitor.endpoints()).extracting(EndpointRef::running, EndpointRef::managed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(false, false));
        assertThat(visitor.disruptive()).as("stopped: it loses nothing until it starts").isFalse();
        assertThat(change(plan, ResourceKey.attachment("web", "front")).disruptive()).isTrue();
        assertThat(io.stackwire.reconcile.render.PlanSummary.of(plan).disconnect()).isEqualTo(2);
    }

    @Test
    void destroyOfAStackNobodyHasIsAnErrorWithADidYouMean() {
        Fx.N billing = net("ledger").stack("billing");
        Plan plan = Planner.plan(desired(List.of(front.spec(), billing.spec()), List.of()),
                state(with(predefined(), front.live(), billing.live()), List.of()), PlanPolicy.destroy(Set.of("biling")));

        assertThat(plan.steps()).isEmpty();
        assertThat(plan.hasErrors()).isTrue();
        Notice n = Fx.notice(plan, "unknown-stack");
        assertThat(n.severity()).isEqualTo(io.stackwire.model.Severity.ERROR);
        assertThat(n.message()).contains("'biling'");
        assertThat(n.hint()).isEqualTo("did you mean 'billing'?");
    }

    @Test
    void destroyOfAStackThatLeftTheSpecButStillHasManagedNetworksIsNoError() {
        Fx.N old = net("old-net").stack("retired");
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()),
                state(with(predefined(), front.live(), old.live()), List.of()), PlanPolicy.destroy(Set.of("retired")));

        assertThat(plan.hasErrors()).isFalse();
        assertThat(ops(plan)).containsExactly("REMOVE_NETWORK old-net");
    }

    @Test
    void destroyRemovesOnlyTheRequestedStacks() {
        Fx.N billing = net("ledger").stack("billing");
        Plan plan = Planner.plan(desired(List.of(front.spec(), billing.spec()), List.of()),
                state(with(predefined(), front.live(), billing.live()), List.of()), PlanPolicy.destroy(Set.of("billing")));
        assertThat(ops(plan)).containsExactly("REMOVE_NETWORK ledger");
    }

    @Test
    void destroyAlsoRemovesTheStacksManagedNetworksThatLeftTheSpec() {
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()),
                state(with(predefined(), front.live(), net("old").live()), List.of()), PlanPolicy.destroy(Set.of()));
        assertThat(ops(plan)).containsExactly("REMOVE_NETWORK front", "REMOVE_NETWORK old");
    }

    @Test
    void destroyKeepsNetworkAnotherStackStillUses() {
        var worker = container("worker", "jobs", att("front"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(worker)),
                state(with(predefined(), front.live()), List.of(running("worker", ep("worker", "front")))), PlanPolicy.destroy(Set.of("app")));
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "destroy-skipped-in-use").message()).contains("worker");
    }

    @Test
    void destroyNeverRemovesExternalUnlabelledOrPredefinedNetworks() {
        Fx.N adopted = net("adopted").adopt();
        Plan plan = Planner.plan(desired(List.of(proxy.spec(), adopted.spec()), List.of()),
                state(with(predefined(), net("proxy").live(), adopted.unmanaged()), List.of()), PlanPolicy.destroy(Set.of()));
        assertThat(plan.changes()).isEmpty();
        assertThat(codes(plan)).containsExactly("destroy-skipped-unlabelled");
    }

    @Test
    void destroyOnAWorkerLeavesSwarmNetworksToTheManager() {
        Fx.N mesh = net("mesh").overlay();
        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of()),
                state(with(predefined(), mesh.live()), List.of(), Role.WORKER), PlanPolicy.destroy(Set.of()));
        assertThat(plan.changes()).isEmpty();
        assertThat(codes(plan)).containsExactly("destroy-skipped-swarm");
    }
}
