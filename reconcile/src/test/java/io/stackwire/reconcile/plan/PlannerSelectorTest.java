package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.DEFAULT;
import static io.stackwire.reconcile.plan.Fx.SELF_HEAL;
import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.change;
import static io.stackwire.reconcile.plan.Fx.codes;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
import static io.stackwire.reconcile.plan.Fx.ep;
import static io.stackwire.reconcile.plan.Fx.idOf;
import static io.stackwire.reconcile.plan.Fx.net;
import static io.stackwire.reconcile.plan.Fx.notice;
import static io.stackwire.reconcile.plan.Fx.ops;
import static io.stackwire.reconcile.plan.Fx.predefined;
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSelector;
import io.stackwire.model.DesiredState;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code select:} entries: matching, conflicts, pending, dependencies (docs/planning.md, "Containers by selector"). */
class PlannerSelectorTest {

    private final Fx.N app = net("app").stack("shop").subnet("10.7.0.0/24");
    private final Fx.N ext = net("ext").stack("shop").external();

    static ContainerSpec compose(String entry, String project, String service, Attachment... attachments) {
        return new ContainerSpec(entry, "shop", List.of(attachments), List.of(), null, null, false,
                new ContainerSelector(entry, Map.of(ContainerSelector.COMPOSE_PROJECT, project,
                        ContainerSelector.COMPOSE_SERVICE, service), null));
    }

    static ContainerSpec labelled(String entry, Map<String, String> labels, Attachment... attachments) {
        return new ContainerSpec(entry, "shop", List.of(attachments), List.of(), null, null, false,
                new ContainerSelector(entry, labels, null));
    }

    static LiveContainer replica(String name, String project, String service, boolean running, LiveEndpoint... endpoints) {
        return new LiveContainer(idOf(name), name, running, "shop_default", Map.of(ContainerSelector.COMPOSE_PROJECT, project,
                ContainerSelector.COMPOSE_SERVICE, service), List.of(endpoints), List.of(), List.of());
    }

    @Test
    void everyMatchingContainerRunningOrStoppedGetsTheEntrysNetworksAndAliases() {
        var web = compose("web", "shop", "web", att("app", "web"));
        Plan plan = Planner.plan(desired(List.of(app.spec()), List.of(web)), state(with(predefined(), app.live()), List.of(
                replica("shop-web-1", "shop", "web", true), replica("shop-web-2", "shop", "web", false),
                replica("shop-db-1", "shop", "db", true), replica("other-web-1", "other", "web", true))), DEFAULT);
        assertThat(ops(plan)).containsExactly("CONNECT app shop-web-1", "CONNECT app shop-web-2");
        Change c = change(plan, ResourceKey.attachment("shop-web-1", "app"));
        assertThat(c.stack()).isEqualTo("shop");
        assertThat(c.after()).isEqualTo(Map.of("aliases", List.of("web")));
        assertThat(c.endpoints()).containsExactly(new EndpointRef("shop-web-1", "app", true, true));
        assertThat(plan.dependencies().selections()).isEqualTo(Map.of("web", new Dependencies.Selected("web",
                "compose project shop, service web", List.of("shop-web-1", "shop-web-2"))));
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void aScopedObservationReadsWhatTheSelectorsMatchInFull() {
        var web = compose("web", "shop", "web", att("app", "web"));
        DesiredState d = desired(List.of(app.spec()), List.of(web));
        io.stackwire.reconcile.ObserveScope scope = io.stackwire.reconcile.ObserveScope.of(d);
        // A new replica not yet on any spec'd network: inspected (its aliases are compared once attached).
        assertThat(scope.needsDetail("shop-web-3", Map.of(ContainerSelector.COMPOSE_PROJECT, "shop",
                ContainerSelector.COMPOSE_SERVICE, "web"), List.of("shop_default"), java.util.Set.of())).isTrue();
        assertThat(scope.needsDetail("shop-db-1", Map.of(ContainerSelector.COMPOSE_PROJECT, "shop",
                ContainerSelector.COMPOSE_SERVICE, "db"), List.of("shop_default"), java.util.Set.of())).isFalse();
        assertThat(scope.networks()).contains("app");
        // A saved plan's re-check reads what the selector matched when it was made.
        Plan plan = Planner.plan(d, state(with(predefined(), app.live()), List.of(replica("shop-web-1", "shop", "web", true))), DEFAULT);
        assertThat(plan.dependencies().scope().containers()).contains("shop-web-1");
    }

    @Test
    void aSelectorThatMatchesNothingIsPendingLikeAMissingNamedContainer() {
        var web = compose("web", "shop", "web", att("app", "web"));
        Plan plan = Planner.plan(desired(List.of(app.spec()), List.of(web)), state(with(predefined(), app.live()), List.of()), DEFAULT);
        Notice n = notice(plan, "pending-selector");
        assertThat(n.severity()).isEqualTo(Severity.WARNING);
        assertThat(n.subject()).isEqualTo(ResourceKey.container("web"));
        assertThat(n.message()).contains("compose project shop, service web").contains("matches no container");
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void twoEntriesWithConflictingSettingsForOneNetworkAreAnErrorNamingBothAndTheContainer() {
        var web = compose("web", "shop", "web", att("app", "web"));
        var front = labelled("front", Map.of(ContainerSelector.COMPOSE_PROJECT, "shop"), att("app", "front"));
        Plan plan = Planner.plan(desired(List.of(app.spec()), List.of(web, front)), state(with(predefined(), app.live()), List.of(
                replica("shop-web-1", "shop", "web", true), replica("shop-db-1", "shop", "db", true))), DEFAULT);
        Notice n = notice(plan, "selector-conflict");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.subject()).isEqualTo(ResourceKey.attachment("shop-web-1", "app"));
        assertThat(n.message()).contains("shop-web-1").contains("entry 'front'").contains("entry 'web'").contains("app");
        // The conflicting attachment is left alone; the container only one entry selects is attached.
        assertThat(ops(plan)).containsExactly("CONNECT app shop-db-1");
        assertThat(plan.hasErrors()).isTrue();
    }

    @Test
    void aConflictKeepsAnExistingEndpointAsItIs() {
        var web = compose("web", "shop", "web", att("app", "web"));
        var front = labelled("front", Map.of(ContainerSelector.COMPOSE_PROJECT, "shop"), att("app", "front"));
        Plan plan = Planner.plan(desired(List.of(app.spec()), List.of(web, front)), state(with(predefined(), app.live()), List.of(
                replica("shop-web-1", "shop", "web", true, ep("shop-web-1", "app", "old")))), SELF_HEAL);
        assertThat(codes(plan)).containsExactly("selector-conflict");
        assertThat(plan.steps()).isEmpty();
    }

    @Test
    void entriesThatAgreeOrNameOtherNetworksMerge() {
        var web = compose("web", "shop", "web", att("app", "web"));
        var all = labelled("all", Map.of(ContainerSelector.COMPOSE_PROJECT, "shop"), att("app", "web"), att("ext"));
        var named = container("shop-web-1", "shop", att("app", "web"));
        Plan plan = Planner.plan(desired(List.of(app.spec(), ext.spec()), List.of(web, all, named)),
                state(with(predefined(), app.live(), ext.unmanaged()), List.of(replica("shop-web-1", "shop", "web", true))), DEFAULT);
        assertThat(plan.notices()).isEmpty();
        assertThat(ops(plan)).containsExactly("CONNECT app shop-web-1", "CONNECT ext shop-web-1");
    }

    @Test
    void aNamedEntryAndASelectorDisagreeingIsAConflictToo() {
        var web = compose("web", "shop", "web", att("app", "web"));
        var named = container("shop-web-1", "shop", att("app", "primary"));
        Plan plan = Planner.plan(desired(List.of(app.spec()), List.of(web, named)),
                state(with(predefined(), app.live()), List.of(replica("shop-web-1", "shop", "web", true))), DEFAULT);
        assertThat(notice(plan, "selector-conflict").message()).contains("entry 'shop-web-1' (by name)").contains("entry 'web'");
    }

    @Test
    void aContainerThatStopsMatchingIsDriftOnANetworkStackwireOwnsAndSelfHealDetachesIt() {
        var web = compose("web", "shop", "web", att("app", "web"));
        LiveState live = state(with(predefined(), app.live()), List.of(
                replica("shop-web-1", "shop", "web", true, ep("shop-web-1", "app", "web")),
                replica("shop-web-2", "shop", "worker", true, ep("shop-web-2", "app", "web"))));
        Plan plan = Planner.plan(desired(List.of(app.spec()), List.of(web)), live, SELF_HEAL);
        assertThat(ops(plan)).containsExactly("DISCONNECT app shop-web-2");
        assertThat(Planner.plan(desired(List.of(app.spec()), List.of(web)), live, DEFAULT).notices())
                .extracting(Notice::code).containsExactly("drift-unmanaged-attachment");
    }

    @Test
    void anAttachmentStackwireDidNotMakeOnANetworkItDoesNotOwnIsNeverRemoved() {
        var web = compose("web", "shop", "web", att("ext"));
        LiveState live = state(with(predefined(), ext.unmanaged()), List.of(
                replica("shop-worker-1", "shop", "worker", true, ep("shop-worker-1", "ext"))));
        Plan plan = Planner.plan(desired(List.of(ext.spec()), List.of(web)), live, SELF_HEAL);
        assertThat(plan.steps()).isEmpty();
    }

    @Test
    void swarmServiceTasksAreNotSelectedAndTheNoticeSaysSo() {
        var web = labelled("web", Map.of("app", "web"), att("app", "web"));
        LiveContainer task = new LiveContainer(idOf("web.1.abc"), "web.1.abc", true, "default",
                Map.of("app", "web", PlanContext.SWARM_TASK_LABEL, "abc"), List.of(), List.of(), List.of());
        Plan plan = Planner.plan(desired(List.of(app.spec()), List.of(web)), state(with(predefined(), app.live()), List.of(task)), DEFAULT);
        assertThat(plan.steps()).isEmpty();
        assertThat(notice(plan, "selector-swarm-task").message()).contains("web.1.abc");
    }

    @Test
    void aSavedPlanGoesStaleWhenANewReplicaAppearsAndNotForAnUnrelatedContainer() {
        var web = compose("web", "shop", "web", att("app", "web"));
        List<LiveContainer> two = new ArrayList<>(List.of(replica("shop-web-1", "shop", "web", true, ep("shop-web-1", "app", "web"))));
        Plan plan = Planner.plan(desired(List.of(app.spec()), List.of(web)), state(with(predefined(), app.live()), two), DEFAULT);
        two.add(replica("unrelated", "other", "x", true));
        assertThat(plan.dependencies().changesIn(state(with(predefined(), app.live()), two))).isEmpty();
        two.add(replica("shop-web-2", "shop", "web", true));
        assertThat(plan.dependencies().changesIn(state(with(predefined(), app.live()), two)))
                .containsExactly("selector.web: matches shop-web-2 now");
    }

    @Test
    void destroyDetachesWhatTheEntryGaveItsContainers() {
        var web = compose("web", "shop", "web", att("ext", "web"));
        LiveState live = state(with(predefined(), ext.unmanaged()), List.of(
                replica("shop-web-1", "shop", "web", true, ep("shop-web-1", "ext", "web"))));
        Plan plan = Planner.plan(desired(List.of(ext.spec()), List.of(web)), live, PlanPolicy.destroy(Set.of()));
        assertThat(ops(plan)).containsExactly("DISCONNECT ext shop-web-1");
    }

    @Test
    void aSelectorPlanConvergesAndANewReplicaIsItsOnlyChange() {
        var web = compose("web", "shop", "web", att("app", "web"), att("ext", "web"));
        var desired = desired(List.of(app.spec(), ext.spec()), List.of(web));
        List<LiveContainer> replicas = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            replicas.add(replica("shop-web-" + i, "shop", "web", i % 2 == 0));
        }
        DaemonModel daemon = new DaemonModel(state(with(predefined(), app.live(), ext.unmanaged()), replicas)).refusingClashes();
        daemon.apply(Planner.plan(desired, daemon.state(), DEFAULT));
        assertThat(Planner.plan(desired, daemon.state(), SELF_HEAL).isEmpty()).isTrue();

        List<LiveContainer> more = new ArrayList<>(daemon.state().containers().values());
        more.add(replica("shop-web-6", "shop", "web", true));
        Plan plan = Planner.plan(desired, state(List.copyOf(daemon.state().networks().values()), more), SELF_HEAL);
        assertThat(ops(plan)).containsExactly("CONNECT app shop-web-6", "CONNECT ext shop-web-6");
        // The same plan whatever order the containers come in.
        java.util.Collections.reverse(more);
        assertThat(Planner.plan(desired, state(List.copyOf(daemon.state().networks().values()), more), SELF_HEAL))
                .isEqualTo(plan);
    }
}
