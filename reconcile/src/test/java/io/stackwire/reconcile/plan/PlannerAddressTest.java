package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.DEFAULT;
import static io.stackwire.reconcile.plan.Fx.NO_PRUNE;
import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.attIp;
import static io.stackwire.reconcile.plan.Fx.change;
import static io.stackwire.reconcile.plan.Fx.codes;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
import static io.stackwire.reconcile.plan.Fx.ep;
import static io.stackwire.reconcile.plan.Fx.epIp;
import static io.stackwire.reconcile.plan.Fx.live;
import static io.stackwire.reconcile.plan.Fx.net;
import static io.stackwire.reconcile.plan.Fx.notice;
import static io.stackwire.reconcile.plan.Fx.ops;
import static io.stackwire.reconcile.plan.Fx.predefined;
import static io.stackwire.reconcile.plan.Fx.running;
import static io.stackwire.reconcile.plan.Fx.shortId;
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.step;
import static io.stackwire.reconcile.plan.Fx.stopped;
import static io.stackwire.reconcile.plan.Fx.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Severity;
import io.stackwire.reconcile.LiveEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Static addresses another endpoint holds, and networks created in space another one still occupies. */
class PlannerAddressTest {

    private final Fx.N front = net("front").subnet("10.1.0.0/24");
    private final Fx.N back = net("back").subnet("10.2.0.0/24");

    /** An endpoint with a dynamic address in use now (no static config), as a hand-started container has. */
    private static LiveEndpoint dynamic(String container, String network, String address) {
        return new LiveEndpoint(network, "id-" + network, List.of(shortId(container)), null, null, address, "");
    }

    @Test
    void addressHeldByAContainerOutsideTheSpecIsAnErrorNamingItAndTheRestGoesAhead() {
        var web = container("web", attIp("front", "10.1.0.5"), att("back"));
        Plan plan = Planner.plan(desired(List.of(front.spec(), back.spec()), List.of(web)),
                state(with(predefined(), front.live(), back.live()),
                        List.of(running("web"), running("legacy", dynamic("legacy", "front", "10.1.0.5")))), NO_PRUNE);
        Notice n = notice(plan, "address-in-use");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.subject()).isEqualTo(ResourceKey.attachment("web", "front"));
        assertThat(n.message()).isEqualTo("10.1.0.5 on front is held by container legacy (not managed by stackwire, running);"
                + " web is not connected to front");
        assertThat(plan.hasErrors()).isTrue();
        assertThat(ops(plan)).containsExactly("CONNECT back web");
    }

    @Test
    void aStoppedContainerConfiguredWithTheAddressHoldsItToo() {
        var web = container("web", attIp("front", "10.1.0.5"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(running("web"), stopped("old", epIp("old", "front", "10.1.0.5")))), NO_PRUNE);
        assertThat(notice(plan, "address-in-use").message()).contains("held by container old (not managed by stackwire, stopped, configured with it)");
        assertThat(plan.steps()).isEmpty();
    }

    @Test
    void aContainerKeepingItsOwnAddressIsNoConflict() {
        var web = container("web", attIp("front", "10.1.0.5", "www"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(running("web", epIp("web", "front", "10.1.0.5")))), NO_PRUNE);
        assertThat(change(plan, ResourceKey.attachment("web", "front")).action()).isEqualTo(Action.RECONNECT);
        assertThat(codes(plan)).doesNotContain("address-in-use");
    }

    @Test
    void theGatewayOfANetworkThatStaysIsTaken() {
        var web = container("web", attIp("front", "10.1.0.1"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(running("web"))), NO_PRUNE);
        assertThat(notice(plan, "address-in-use").message()).startsWith("10.1.0.1 on front is the network's gateway;");
        assertThat(plan.steps()).isEmpty();
    }

    @Test
    void twoDeclaredContainersAskingForOneAddressOnAnExternalNetworkAreBothRefused() {
        // The loader rejects duplicates on networks it knows the subnets of, not on external ones.
        var ext = net("ext").subnet("10.3.0.0/24");
        var a = container("a", attIp("ext", "10.3.0.9"));
        var b = container("b", attIp("ext", "10.3.0.9"));
        Plan plan = Planner.plan(desired(List.of(net("ext").external().spec()), List.of(a, b)),
                state(with(predefined(), ext.unmanaged()), List.of(running("a"), running("b"))), NO_PRUNE);
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.notices()).filteredOn(n -> n.code().equals("address-in-use")).extracting(Notice::message).containsExactly(
                "10.3.0.9 on ext is also asked for by container b in this plan; a is not connected to ext",
                "10.3.0.9 on ext is also asked for by container a in this plan; b is not connected to ext");
    }

    @Test
    void anAddressAnotherContainerLeavesInThePlanIsTakenAfterItLeft() {
        var db = container("db", attIp("front", "10.1.0.6"));
        var web = container("web", attIp("front", "10.1.0.5"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(db, web)),
                state(with(predefined(), front.live()), List.of(running("db", epIp("db", "front", "10.1.0.5")), running("web"))), NO_PRUNE);
        assertThat(codes(plan)).doesNotContain("address-in-use");
        assertThat(step(plan, Step.Connect.class, "front", "web").dependsOn())
                .contains(step(plan, Step.Disconnect.class, "front", "db").id());
        assertThat(change(plan, ResourceKey.attachment("web", "front")).reason()).endsWith("; connected once db has left 10.1.0.5");
    }

    @Test
    void aRefusedMoveKeepsTheOldAddressTakenAndTheContainerOnNone() {
        // db cannot move to .7 (legacy holds it), so it keeps .5, which web then cannot have; web stays on none.
        var db = container("db", attIp("front", "10.1.0.7"));
        var web = container("web", attIp("front", "10.1.0.5"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(db, web)),
                state(with(predefined(), front.live()), List.of(running("db", epIp("db", "front", "10.1.0.5")),
                        live("web", true, "none", ep("web", "none")), running("legacy", epIp("legacy", "front", "10.1.0.7")))), NO_PRUNE);
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).filteredOn(n -> n.code().equals("address-in-use")).extracting(Notice::subject)
                .containsExactly(ResourceKey.attachment("db", "front"), ResourceKey.attachment("web", "front"));
        assertThat(notice(plan, "address-in-use").message()).isEqualTo("10.1.0.7 on front is held by container legacy"
                + " (not managed by stackwire, running); db is not reconnected (it keeps its current endpoint on front)");
    }

    @Test
    void aReplacementWhoseReconnectsWantOneAddressTwiceIsRefused() {
        // web moves to .5, which legacy (outside the spec, reconnected as it is with self-heal off) keeps.
        var changed = net("front").subnet("10.1.0.0/24").label("tier", "x");
        var web = container("web", attIp("front", "10.1.0.5"));
        Plan plan = Planner.plan(desired(List.of(changed.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(running("web", epIp("web", "front", "10.1.0.6")),
                        running("legacy", epIp("legacy", "front", "10.1.0.5")))), NO_PRUNE);
        assertThat(plan.steps()).isEmpty();
        Notice n = notice(plan, "address-in-use");
        assertThat(n.subject()).isEqualTo(ResourceKey.network("front"));
        assertThat(n.message()).contains("10.1.0.5 is wanted by containers legacy, web; not replaced");
    }

    @Test
    void aRenameKeepingTheSubnetCreatesTheNewNetworkAfterTheOldIsGone() {
        var renamed = net("front2").subnet("10.1.0.0/24");
        var web = container("web", att("front2"));
        Plan plan = Planner.plan(desired(List.of(renamed.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(running("web", ep("web", "front")))), DEFAULT);
        assertThat(ops(plan)).containsExactly("DISCONNECT front web", "REMOVE_NETWORK front", "CREATE_NETWORK front2", "CONNECT front2 web");
        assertThat(step(plan, Step.CreateNetwork.class, "front2", null).dependsOn()).containsExactly(step(plan, Step.RemoveNetwork.class, "front", null).id());
        assertThat(change(plan, ResourceKey.network("front2")).reason())
                .isEqualTo("network is in the spec but not on the daemon; created once network front is removed, whose address space it reuses");
    }

    @Test
    void aSubnetMovedIntoTheSpaceAReplacedNetworkLeavesWaitsForItsRemoval() {
        // front moves from 10.1 to 10.2, back from 10.2 to 10.3: front's create waits for back's removal.
        var frontMoved = net("front").subnet("10.2.0.0/24");
        var backMoved = net("back").subnet("10.3.0.0/24");
        Plan plan = Planner.plan(desired(List.of(frontMoved.spec(), backMoved.spec()), List.of()),
                state(with(predefined(), front.live(), back.live()), List.of()), DEFAULT);
        // ...and for back's new create: if that fails, back goes back to 10.2 (rollback), so front must not be there.
        assertThat(step(plan, Step.CreateNetwork.class, "front", null).dependsOn()).containsExactlyInAnyOrder(
                step(plan, Step.RemoveNetwork.class, "front", null).id(), step(plan, Step.RemoveNetwork.class, "back", null).id(),
                step(plan, Step.CreateNetwork.class, "back", null).id());
        assertThat(step(plan, Step.CreateNetwork.class, "back", null).dependsOn()).containsExactly(step(plan, Step.RemoveNetwork.class, "back", null).id());
    }

    @Test
    void aSubnetANetworkThatStaysHoldsIsAnErrorBeforeAnyChange() {
        // Prune is off, so the old name stays and its subnet with it.
        var renamed = net("front2").subnet("10.1.0.128/25");
        var web = container("web", att("front2"));
        Plan plan = Planner.plan(desired(List.of(renamed.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(running("web"))), NO_PRUNE);
        assertThat(plan.steps()).isEmpty();
        Notice n = notice(plan, "subnet-in-use");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.message()).startsWith("network front2 cannot be created: subnet 10.1.0.128/25 overlaps 10.1.0.0/24 of network front"
                + " (stackwire's, stack app), which this plan keeps");
    }

    @Test
    void aReplacementIntoAnotherNetworksSpaceIsRefusedAndKeepsItsOwn() {
        // back would move onto the default bridge's space: refused, so it keeps 10.2, which front's move then cannot have.
        var backMoved = net("back").subnet("172.17.5.0/24");
        var frontMoved = net("front").subnet("10.2.0.0/24");
        Plan plan = Planner.plan(desired(List.of(frontMoved.spec(), backMoved.spec()), List.of()),
                state(with(predefined(), front.live(), back.live()), List.of()), DEFAULT);
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.notices()).filteredOn(n -> n.code().equals("subnet-in-use")).extracting(Notice::subject)
                .containsExactly(ResourceKey.network("back"), ResourceKey.network("front"));
    }

    @Test
    void aNetworkWithoutSubnetsWaitsForNoRemoval() {
        var fresh = net("fresh");
        Plan plan = Planner.plan(desired(List.of(fresh.spec()), List.of()), state(with(predefined(), front.live()), List.of()), DEFAULT);
        assertThat(ops(plan)).containsExactly("REMOVE_NETWORK front", "CREATE_NETWORK fresh");
        assertThat(step(plan, Step.CreateNetwork.class, "fresh", null).dependsOn()).isEmpty();
    }
}
