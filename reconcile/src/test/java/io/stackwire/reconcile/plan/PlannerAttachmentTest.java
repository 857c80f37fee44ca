package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.DEFAULT;
import static io.stackwire.reconcile.plan.Fx.SELF_HEAL;
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
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.step;
import static io.stackwire.reconcile.plan.Fx.stopped;
import static io.stackwire.reconcile.plan.Fx.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Severity;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.daemon.EndpointConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerAttachmentTest {

    private final Fx.N front = net("front").subnet("10.1.0.0/24");
    private final Fx.N back = net("back").subnet("10.2.0.0/24");

    @Test
    void connectsMissingAttachmentWithAliasesAndStaticIp() {
        var web = container("web", attIp("front", "10.1.0.010", "www", "api", "www"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(running("web"))), DEFAULT);
        Change c = change(plan, ResourceKey.attachment("web", "front"));
        assertThat(c.action()).isEqualTo(Action.CONNECT);
        assertThat(c.after()).isEqualTo(Map.of("aliases", List.of("api", "www"), "ipv4_address", "10.1.0.10"));
        assertThat(c.reason()).isEqualTo("attachment is in the spec but the container is not connected");
        assertThat(c.disruptive()).isFalse();
        assertThat(c.endpoints()).containsExactly(new EndpointRef("web", "front", true, true));
        assertThat(step(plan, Step.Connect.class, "front", "web").endpoint())
                .isEqualTo(new EndpointConfig(List.of("api", "www"), "10.1.0.10", null));
    }

    @Test
    void connectsToANewNetworkAfterItIsCreated() {
        var web = container("web", att("front"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)), state(predefined(), List.of(running("web"))), DEFAULT);
        assertThat(ops(plan)).containsExactly("CREATE_NETWORK front", "CONNECT front web");
        assertThat(plan.steps().get(1).dependsOn()).containsExactly(0);
    }

    @Test
    void leavesMatchingAttachmentAlone() {
        var web = container("web", attIp("front", "10.1.0.10", "www", "api"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(running("web", epIp("web", "front", "10.1.0.10", "api", "www", "web")))),
                DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void replacesAttachmentWhenAliasesChange() {
        var web = container("web", att("front", "a", "b"), att("back", "x"));
        Plan plan = Planner.plan(desired(List.of(front.spec(), back.spec()), List.of(web)),
                state(with(predefined(), front.live(), back.live()), List.of(running("web", ep("web", "back", "x"), ep("web", "front", "a")))),
                DEFAULT);
        assertThat(plan.changes()).hasSize(1);
        Change c = plan.changes().get(0);
        assertThat(c.key()).isEqualTo(ResourceKey.attachment("web", "front"));
        assertThat(c.action()).isEqualTo(Action.RECONNECT);
        assertThat(c.reason()).isEqualTo("aliases changed: [a] -> [a, b] (Docker cannot edit an endpoint in place: disconnect + connect)");
        assertThat(c.disruptive()).isTrue();
        assertThat(ops(plan)).containsExactly("DISCONNECT front web", "CONNECT front web");
        assertThat(plan.steps().get(1).dependsOn()).containsExactly(0);
    }

    @Test
    void replacesAttachmentWhenStaticIpChanges() {
        var web = container("web", attIp("front", "10.1.0.11"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(stopped("web", epIp("web", "front", "10.1.0.10")))), DEFAULT);
        Change c = change(plan, ResourceKey.attachment("web", "front"));
        assertThat(c.action()).isEqualTo(Action.RECONNECT);
        assertThat(c.reason()).startsWith("IPv4 address changed: 10.1.0.10 -> 10.1.0.11");
        assertThat(c.disruptive()).as("a stopped container loses nothing now").isFalse();
    }

    @Test
    void reportsExtraEndpointOnManagedNetworkAsDriftWithoutSelfHeal() {
        var web = container("web", att("front"));
        Plan plan = Planner.plan(desired(List.of(front.spec(), back.spec()), List.of(web)),
                state(with(predefined(), front.live(), back.live()), List.of(running("web", ep("web", "front"), ep("web", "back")))), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        Notice n = notice(plan, "drift-unmanaged-attachment");
        assertThat(n.subject()).isEqualTo(ResourceKey.attachment("web", "back"));
        assertThat(n.severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void selfHealDisconnectsExtraEndpointOfDeclaredContainer() {
        var web = container("web", att("front"));
        Plan plan = Planner.plan(desired(List.of(front.spec(), back.spec()), List.of(web)),
                state(with(predefined(), front.live(), back.live()), List.of(running("web", ep("web", "front"), ep("web", "back")))), SELF_HEAL);
        Change c = change(plan, ResourceKey.attachment("web", "back"));
        assertThat(c.action()).isEqualTo(Action.DISCONNECT);
        assertThat(c.disruptive()).isTrue();
        assertThat(ops(plan)).containsExactly("DISCONNECT back web");
    }

    @Test
    void selfHealDisconnectsUndeclaredContainerFromManagedNetwork() {
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()),
                state(with(predefined(), front.live()), List.of(stopped("intruder", ep("intruder", "front")))), SELF_HEAL);
        Change c = change(plan, ResourceKey.attachment("intruder", "front"));
        assertThat(c.stack()).isEqualTo("app");
        assertThat(c.endpoints()).containsExactly(new EndpointRef("intruder", "front", false, false));
        assertThat(c.disruptive()).isFalse();
    }

    @Test
    void neverRemovesAttachmentsOnNetworksStackwireDoesNotOwn() {
        var web = container("web", att("front"));
        var legacy = net("legacy").unmanaged();
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.live(), legacy),
                        List.of(running("web", ep("web", "bridge"), ep("web", "front"), ep("web", "legacy")),
                                running("other", ep("other", "legacy")))), SELF_HEAL);
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void leavesNoneBeforeJoiningOtherNetworks() {
        var web = container("web", att("front"), att("back"));
        LiveEndpoint none = new LiveEndpoint("none", "id-none", List.of(), null, null, "", "");
        Plan plan = Planner.plan(desired(List.of(front.spec(), back.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(live("web", true, "none", none))), DEFAULT);
        assertThat(ops(plan)).containsExactly("DISCONNECT none web", "CREATE_NETWORK back", "CONNECT back web", "CONNECT front web");
        assertThat(step(plan, Step.Connect.class, "back", "web").dependsOn()).containsExactly(0, 1);
        assertThat(step(plan, Step.Connect.class, "front", "web").dependsOn()).containsExactly(0);
        Change leave = change(plan, ResourceKey.attachment("web", "none"));
        assertThat(leave.action()).isEqualTo(Action.DISCONNECT);
        assertThat(leave.reason()).isEqualTo("leaves `none` before joining other networks");
        assertThat(leave.disruptive()).isFalse();
    }

    @Test
    void staysInNoneWhenThereIsNothingToJoin() {
        var web = container("web", att("front"));
        LiveEndpoint none = new LiveEndpoint("none", "id-none", List.of(), null, null, "", "");
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.unmanaged()), List.of(live("web", true, "none", none))), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(codes(plan)).containsExactly("conflict-unmanaged-network");
    }

    @Test
    void reportsDeclaredContainerThatDoesNotExistAsPending() {
        var web = container("web", att("front"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)), state(with(predefined(), front.live()), List.of()), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        Notice n = notice(plan, "pending-container");
        assertThat(n.severity()).isEqualTo(Severity.WARNING);
        assertThat(n.subject()).isEqualTo(ResourceKey.container("web"));
    }

    @Test
    void reportsHostModeContainerWithTheFix() {
        var web = container("web", att("front"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(live("web", true, "host", ep("web", "host")))), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        Notice n = notice(plan, "container-host-network");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.hint()).contains("without --network host");
    }

    @Test
    void reportsContainerSharingAnotherContainersNetwork() {
        var web = container("web", att("front"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of(live("web", true, "container:abc"))), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(codes(plan)).containsExactly("container-shared-network");
    }

    @Test
    void refusesAliasesOnTheDefaultBridge() {
        var web = container("web", att("bridge", "www"));
        Plan plan = Planner.plan(desired(List.of(), List.of(web)), state(predefined(), List.of(running("web"))), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "aliases-on-default-bridge").severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void connectsToAnExistingUndeclaredNetworkAsIs() {
        var web = container("web", att("bridge"));
        Plan plan = Planner.plan(desired(List.of(), List.of(web)),
                state(predefined(), List.of(live("web", true, "front-only", ep("web", "elsewhere")))), DEFAULT);
        assertThat(ops(plan)).containsExactly("CONNECT bridge web");
    }

    @Test
    void reportsAttachmentToANetworkNobodyDeclaresOrHas() {
        var web = container("web", att("ghost"));
        Plan plan = Planner.plan(desired(List.of(), List.of(web)), state(predefined(), List.of(running("web"))), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "attachment-network-missing").subject()).isEqualTo(ResourceKey.attachment("web", "ghost"));
    }

    @Test
    void reportsListingNoneForAContainerNotInThatModeAsAMismatch() {
        var web = container("web", att("none"));
        Plan plan = Planner.plan(desired(List.of(), List.of(web)), state(predefined(), List.of(running("web"))), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(codes(plan)).containsExactly("network-mode-mismatch");
    }

    @Test
    void treatsEveryInterfaceSpellingsOfPortsAsEqual() {
        var web = Fx.withPorts(container("web"), "8080:80", "5000-5001:6000-6001/udp");
        var live = Fx.withPorts(running("web"), "0.0.0.0:8080:80", "[::]:8080:80", "5000:6000/udp", "5001:6001/udp");
        Plan plan = Planner.plan(desired(List.of(), List.of(web)), state(predefined(), List.of(live)), DEFAULT);
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void leavesSwarmServiceTasksOnManagedNetworksToTheirService() {
        var task = new io.stackwire.reconcile.LiveContainer(Fx.idOf("svc.1.x"), "svc.1.x", true, "default",
                Map.of("com.docker.swarm.task.id", "x"), List.of(ep("svc.1.x", "front")), List.of(), List.of());
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()), state(with(predefined(), front.live()), List.of(task)), SELF_HEAL);
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).isEmpty();
    }
}
