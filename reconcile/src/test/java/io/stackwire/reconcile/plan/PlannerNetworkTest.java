package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.DEFAULT;
import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.attIp;
import static io.stackwire.reconcile.plan.Fx.change;
import static io.stackwire.reconcile.plan.Fx.codes;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
import static io.stackwire.reconcile.plan.Fx.ep;
import static io.stackwire.reconcile.plan.Fx.epIp;
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

import io.stackwire.model.Ipam;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.SwarmInfo.Role;
import io.stackwire.reconcile.daemon.EndpointConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PlannerNetworkTest {

    @Test
    void createsMissingNetworkWithOwnershipLabels() {
        Fx.N front = net("front").subnet("10.1.0.0/24").label("team", "web");
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()), state(predefined(), List.of()), DEFAULT);

        assertThat(plan.changes()).hasSize(1);
        Change c = plan.changes().get(0);
        assertThat(c.key()).isEqualTo(ResourceKey.network("front"));
        assertThat(c.action()).isEqualTo(Action.CREATE);
        assertThat(c.before()).isEmpty();
        assertThat(c.after()).isEqualTo(Normalizer.network(front.spec()));
        assertThat(c.disruptive()).isFalse();
        assertThat(ops(plan)).containsExactly("CREATE_NETWORK front");
        var create = ((Step.CreateNetwork) plan.steps().get(0)).create();
        assertThat(create.labels()).containsEntry(Labels.MANAGED, "true").containsEntry(Labels.STACK, "app")
                .containsEntry(Labels.SPEC_HASH, Normalizer.specHash(front.spec())).containsEntry("team", "web");
        assertThat(create.ipam().pools()).extracting(p -> p.subnet()).containsExactly("10.1.0.0/24");
        assertThat(plan.steps().get(0).change()).isZero();
    }

    @Test
    void leavesNetworkThatMatchesTheSpecAlone() {
        Fx.N front = net("front").subnet("10.1.0.0/24").ipv6().subnet("fd00:1::/64");
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()), state(with(predefined(), front.live()), List.of()), DEFAULT);
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void replacesNetworkWhenSubnetChangesAndReconnectsEveryEndpointWithItsConfig() {
        Fx.N was = net("front").subnet("10.1.0.0/24");
        Fx.N now = net("front").subnet("10.2.0.0/24");
        var web = container("web", att("front", "www"));
        var live = state(with(predefined(), was.live()), List.of(
                running("web", ep("web", "front", "www")),
                stopped("legacy", ep("legacy", "front", "old-name")),
                running("sidecar", ep("sidecar", "front"))));
        Plan plan = Planner.plan(desired(List.of(now.spec()), List.of(web)), live, DEFAULT);

        Change c = change(plan, ResourceKey.network("front"));
        assertThat(c.action()).isEqualTo(Action.REPLACE);
        assertThat(c.reason()).isEqualTo("subnet changed: 10.1.0.0/24 -> 10.2.0.0/24 forces replacement");
        assertThat(c.forcesReplacement()).containsExactly("ipam.config");
        assertThat(c.disruptive()).isTrue();
        assertThat(c.endpoints()).containsExactly(
                new EndpointRef("legacy", "front", false, false),
                new EndpointRef("sidecar", "front", false, true),
                new EndpointRef("web", "front", true, true));
        assertThat(ops(plan)).containsExactly(
                "DISCONNECT front legacy", "DISCONNECT front sidecar", "DISCONNECT front web",
                "REMOVE_NETWORK front",
                "CREATE_NETWORK front",
                "CONNECT front legacy", "CONNECT front sidecar", "CONNECT front web");
        assertThat(step(plan, Step.RemoveNetwork.class, "front", null).networkId()).isEqualTo("id-front");
        // unmanaged containers keep their full endpoint config, without Docker's own alias
        assertThat(step(plan, Step.Connect.class, "front", "legacy").endpoint())
                .isEqualTo(new EndpointConfig(List.of("old-name"), null, null));
        assertThat(step(plan, Step.Connect.class, "front", "sidecar").endpoint()).isEqualTo(EndpointConfig.NONE);
        assertThat(step(plan, Step.Connect.class, "front", "web").endpoint()).isEqualTo(new EndpointConfig(List.of("www"), null, null));
        assertThat(plan.steps()).allMatch(s -> s.change() == 0);
        // hand-attached endpoints on a managed network are still reported as drift
        assertThat(codes(plan)).containsOnly("drift-unmanaged-attachment");
    }

    @Test
    void replaceGivesDeclaredContainersTheirDesiredConfig() {
        Fx.N was = net("front").subnet("10.1.0.0/24");
        Fx.N now = net("front").subnet("10.2.0.0/24");
        var web = container("web", attIp("front", "10.2.0.10", "www", "api"));
        var live = state(with(predefined(), was.live()), List.of(running("web", epIp("web", "front", "10.1.0.10", "www"))));
        Plan plan = Planner.plan(desired(List.of(now.spec()), List.of(web)), live, DEFAULT);
        assertThat(step(plan, Step.Connect.class, "front", "web").endpoint())
                .isEqualTo(new EndpointConfig(List.of("api", "www"), "10.2.0.10", null));
        assertThat(plan.changes()).hasSize(1);
    }

    @Test
    void replaceConnectsDeclaredContainersThatWereNotAttachedAsTheirOwnChange() {
        Fx.N was = net("front").internal();
        Fx.N now = net("front");
        var web = container("web", att("front"));
        var live = state(with(predefined(), was.live()), List.of(running("web")));
        Plan plan = Planner.plan(desired(List.of(now.spec()), List.of(web)), live, DEFAULT);
        assertThat(plan.changes()).extracting(Change::action).containsExactly(Action.REPLACE, Action.CONNECT);
        Step connect = step(plan, Step.Connect.class, "front", "web");
        assertThat(connect.dependsOn()).containsExactly(step(plan, Step.CreateNetwork.class, "front", null).id());
        assertThat(change(plan, ResourceKey.network("front")).reason()).isEqualTo("internal changed: true -> false forces replacement");
    }

    @Test
    void replaceReasonNamesEveryDifferingAttribute() {
        Fx.N was = net("front").subnet("10.1.0.0/24");
        Fx.N now = net("front").subnet("10.2.0.0/24").internal().label("tier", "1");
        Plan plan = Planner.plan(desired(List.of(now.spec()), List.of()), state(with(predefined(), was.live()), List.of()), DEFAULT);
        Change c = change(plan, ResourceKey.network("front"));
        assertThat(c.forcesReplacement()).containsExactly("internal", "ipam.config", "labels");
        assertThat(c.reason()).isEqualTo("internal changed: false -> true; subnet changed: 10.1.0.0/24 -> 10.2.0.0/24;"
                + " label tier changed: (none) -> 1 forces replacement");
        assertThat(c.disruptive()).isFalse(); // nobody is attached
    }

    @Test
    void reportsUnlabelledNetworkWithTheSameNameAsConflictAndLeavesItAlone() {
        Fx.N front = net("front").subnet("10.1.0.0/24");
        LiveNetwork handmade = net("front").subnet("10.9.0.0/24").unmanaged();
        var web = container("web", att("front"));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), handmade), List.of(running("web"))), Fx.SELF_HEAL);
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.steps()).isEmpty();
        Notice n = notice(plan, "conflict-unmanaged-network");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.subject()).isEqualTo(ResourceKey.network("front"));
        assertThat(n.hint()).contains("external: true").contains("adopt: true").contains("rename");
    }

    @Test
    void usesExternalNetworkAsIsAndNeverChangesIt() {
        Fx.N proxy = net("proxy").external();
        LiveNetwork live = net("proxy").internal().subnet("10.5.0.0/24").unmanaged();
        var web = container("web", att("proxy", "web-proxy"));
        Plan plan = Planner.plan(desired(List.of(proxy.spec()), List.of(web)), state(with(predefined(), live), List.of(running("web"))), DEFAULT);
        assertThat(plan.changes()).extracting(Change::key).containsExactly(ResourceKey.attachment("web", "proxy"));
        assertThat(ops(plan)).containsExactly("CONNECT proxy web");
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void reportsMissingExternalNetworkAndWaits() {
        Fx.N proxy = net("proxy").external();
        var web = container("web", att("proxy"));
        Plan plan = Planner.plan(desired(List.of(proxy.spec()), List.of(web)), state(predefined(), List.of(running("web"))), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "external-network-missing").severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void adoptsMatchingUnlabelledNetworkWithoutTouchingIt() {
        Fx.N front = net("front").adopt().subnet("10.1.0.0/24");
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()),
                state(with(predefined(), front.unmanaged()), List.of()), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "adopted-unlabelled").severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void adoptedNetworkThatDiffersIsReplacedWithLabels() {
        Fx.N front = net("front").adopt().subnet("10.1.0.0/24");
        LiveNetwork old = net("front").subnet("10.7.0.0/24").unmanaged();
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()), state(with(predefined(), old), List.of()), DEFAULT);
        Change c = change(plan, ResourceKey.network("front"));
        assertThat(c.action()).isEqualTo(Action.REPLACE);
        assertThat(c.reason()).startsWith("adopting unlabelled network: subnet changed");
        assertThat(step(plan, Step.CreateNetwork.class, "front", null).create().labels()).containsEntry(Labels.MANAGED, "true");
    }

    @Test
    void adoptedNetworkCountsAsManagedForDrift() {
        Fx.N front = net("front").adopt();
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()),
                state(with(predefined(), front.unmanaged()), List.of(running("intruder", ep("intruder", "front")))), Fx.SELF_HEAL);
        assertThat(ops(plan)).containsExactly("DISCONNECT front intruder");
    }

    @Test
    void neverTouchesPredefinedNetworks() {
        var web = container("web", att("bridge"));
        Plan plan = Planner.plan(desired(List.of(), List.of(web)), state(predefined(), List.of(
                running("web", ep("web", "bridge")),
                running("other", ep("other", "bridge")))), Fx.SELF_HEAL);
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void reportsDeclaredPredefinedNetworkInsteadOfCreatingIt() {
        Plan plan = Planner.plan(desired(List.of(net("host").spec()), List.of()), state(predefined(), List.of()), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "predefined-network").severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void prunesManagedNetworkThatLeftTheSpecAfterDisconnectingItsEndpoints() {
        LiveNetwork old = net("old").live();
        Fx.N front = net("front");
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()),
                state(with(predefined(), front.live(), old), List.of(running("a", ep("a", "old")), stopped("b", ep("b", "old")))), DEFAULT);
        Change c = change(plan, ResourceKey.network("old"));
        assertThat(c.action()).isEqualTo(Action.DELETE);
        assertThat(c.stack()).isEqualTo("app");
        assertThat(c.reason()).isEqualTo("network is managed by stackwire (stack app) but no longer in the spec");
        assertThat(c.endpoints()).containsExactly(new EndpointRef("a", "old", false, true), new EndpointRef("b", "old", false, false));
        assertThat(c.disruptive()).isTrue();
        assertThat(c.before()).isEqualTo(Normalizer.network(old));
        assertThat(ops(plan)).containsExactly("DISCONNECT old a", "DISCONNECT old b", "REMOVE_NETWORK old");
        assertThat(step(plan, Step.RemoveNetwork.class, "old", null).dependsOn()).containsExactly(0, 1);
    }

    @Test
    void reportsSkippedPruneWhenPruneIsDisabled() {
        Fx.N front = net("front");
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()),
                state(with(predefined(), front.live(), net("old").live()), List.of()), Fx.NO_PRUNE);
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "prune-skipped").message()).endsWith("skipped (prune disabled)");
    }

    @Test
    void neverPrunesUnlabelledNetworks() {
        Fx.N front = net("front");
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()),
                state(with(predefined(), front.live(), net("someones").unmanaged()), List.of()), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void leavesNetworksOfStacksThisHostDoesNotRun() {
        Fx.N front = net("front");
        LiveNetwork local = net("billing-net").stack("billing").live();
        LiveNetwork swarm = net("mesh").stack("billing").overlay().live();
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of()),
                state(with(predefined(), front.live(), local, swarm), List.of(), Role.MANAGER), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).extracting(Notice::code, n -> n.subject().name())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("foreign-stack-network", "billing-net"));
    }

    @Test
    void neverPrunesNetworkAnotherDeclaredContainerStillWants() {
        LiveNetwork shared = net("shared").live();
        var api = container("api", "app", att("shared"));
        Plan plan = Planner.plan(desired(List.of(), List.of(api)),
                state(with(predefined(), shared), List.of(running("api"))), DEFAULT);
        assertThat(plan.changes()).extracting(Change::action).containsExactly(Action.CONNECT);
        assertThat(notice(plan, "prune-skipped-in-use").message()).contains("api");
    }

    @Test
    void managerCreatesOverlayAsAttachableAndEncrypted() {
        Fx.N mesh = net("mesh").overlay().encrypted().subnet("10.10.0.0/24");
        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of()), state(predefined(), List.of(), Role.MANAGER), DEFAULT);
        var create = step(plan, Step.CreateNetwork.class, "mesh", null).create();
        assertThat(create.driver()).isEqualTo("overlay");
        assertThat(create.attachable()).isTrue();
        assertThat(create.options()).isEqualTo(new TreeMap<>(Map.of("encrypted", "")));
    }

    @Test
    void workerAttachesThroughTheSwarmToAnOverlayItCannotSeeButNeverCreatesIt() {
        // A worker lists a swarm overlay only once one of its containers uses it.
        Fx.N mesh = net("mesh").overlay();
        var web = container("web", att("mesh", "www"));
        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of(web)), state(predefined(), List.of(running("web")), Role.WORKER), DEFAULT);
        assertThat(ops(plan)).containsExactly("CONNECT mesh web");
        assertThat(change(plan, ResourceKey.attachment("web", "mesh")).reason()).contains("through the swarm");
        Notice n = notice(plan, "overlay-pending");
        assertThat(n.message()).contains("created by stackwire on the swarm").contains("only attaches its own containers");
        assertThat(n.hint()).contains("swarm leader");
        assertThat(plan.notices()).allMatch(x -> x.severity() == Severity.WARNING);
    }

    @Test
    void managerSaysItCreatesOverlaysSwarmWide() {
        Plan plan = Planner.plan(desired(List.of(net("mesh").overlay().spec()), List.of()), state(predefined(), List.of(), Role.MANAGER), DEFAULT);
        assertThat(change(plan, ResourceKey.network("mesh")).reason()).contains("this swarm leader creates it swarm-wide");
    }

    @Test
    void workerDetachesItsContainersFromAnOverlayThatLeftTheSpecAndLeavesTheRemovalToAManager() {
        LiveNetwork mesh = net("mesh").overlay().live();
        var web = container("web");
        Plan plan = Planner.plan(desired(List.of(net("front").spec()), List.of(web)),
                state(with(predefined(), net("front").live(), mesh), List.of(running("web", ep("web", "mesh"))), Role.WORKER), DEFAULT);
        assertThat(ops(plan)).containsExactly("DISCONNECT mesh web");
        assertThat(change(plan, ResourceKey.attachment("web", "mesh")).reason()).contains("stackwire on the swarm leader removes the network");
    }

    @Test
    void aManagerThatIsNotTheLeaderNeverCreatesReplacesOrRemovesOverlaysSoTwoManagersNeverRace() {
        Fx.N mesh = net("mesh").overlay();
        var web = container("web", att("mesh", "www"));
        LiveState missing = state(predefined(), List.of(running("web")), new SwarmInfo(Role.MANAGER, "node2", false));
        Plan create = Planner.plan(desired(List.of(mesh.spec()), List.of(web)), missing, DEFAULT);
        assertThat(ops(create)).containsExactly("CONNECT mesh web");
        assertThat(notice(create, "overlay-pending").message()).contains("not the swarm leader");

        LiveNetwork drifted = net("mesh").overlay().subnet("10.9.0.0/24").live();
        LiveState live = state(with(predefined(), drifted), List.of(running("web", ep("web", "mesh", "www"))),
                new SwarmInfo(Role.MANAGER, "node2", false));
        Plan replace = Planner.plan(desired(List.of(net("mesh").overlay().subnet("10.10.0.0/24").spec()), List.of(web)), live, DEFAULT);
        assertThat(replace.steps()).isEmpty();
        assertThat(notice(replace, "overlay-drift").message()).contains("only stackwire on the swarm leader");

        Plan prune = Planner.plan(desired(List.of(net("front").spec()), List.of(container("web"))), state(with(predefined(),
                net("front").live(), drifted), List.of(running("web", ep("web", "mesh"))), new SwarmInfo(Role.MANAGER, "node2", false)), DEFAULT);
        assertThat(ops(prune)).containsExactly("DISCONNECT mesh web");
    }

    @Test
    void theLeaderCreatesTheOverlay() {
        LiveState leader = state(predefined(), List.of(), new SwarmInfo(Role.MANAGER, "node1", true));
        Plan plan = Planner.plan(desired(List.of(net("mesh").overlay().spec()), List.of()), leader, DEFAULT);
        assertThat(ops(plan)).containsExactly("CREATE_NETWORK mesh");
    }

    @Test
    void workerKeepsItsContainersOnAnOverlayThatLeftTheSpecWhenPruneIsOff() {
        LiveNetwork mesh = net("mesh").overlay().live();
        Plan plan = Planner.plan(desired(List.of(net("front").spec()), List.of(container("web"))),
                state(with(predefined(), net("front").live(), mesh), List.of(running("web", ep("web", "mesh"))), Role.WORKER), Fx.NO_PRUNE);
        assertThat(plan.changes()).isEmpty();
        assertThat(codes(plan)).containsExactly("prune-skipped");
    }

    @Test
    void managerRemovesAnOverlayThatLeftTheSpecAfterTheWorkersDetach() {
        LiveNetwork mesh = net("mesh").overlay().live();
        Plan plan = Planner.plan(desired(List.of(net("front").spec()), List.of(container("api"))),
                state(with(predefined(), net("front").live(), mesh), List.of(running("api", ep("api", "mesh"))), Role.MANAGER), DEFAULT);
        assertThat(ops(plan)).containsExactly("DISCONNECT mesh api", "REMOVE_NETWORK mesh");
        assertThat(change(plan, ResourceKey.network("mesh")).reason()).contains("once every worker has detached");
    }

    @Test
    void workerNeverReplacesOverlaysButStillAttachesToThem() {
        Fx.N mesh = net("mesh").overlay().subnet("10.10.0.0/24");
        LiveNetwork old = net("mesh").overlay().subnet("10.11.0.0/24").live();
        var web = container("web", att("mesh"));
        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of(web)), state(with(predefined(), old), List.of(running("web")), Role.WORKER), DEFAULT);
        assertThat(ops(plan)).containsExactly("CONNECT mesh web");
        assertThat(codes(plan)).containsExactly("overlay-drift");
    }

    @Test
    void anOverlayTheSwarmHasNotAllocatedYetIsNotReplaced() {
        // Listed moments after its create: no pools, no VXLAN id, not even the encryption option.
        Fx.N mesh = net("mesh").overlay().encrypted().subnet("10.10.0.0/24");
        LiveNetwork whole = mesh.live();
        LiveNetwork allocating = new LiveNetwork(whole.id(), whole.name(), whole.driver(), whole.scope(), whole.internal(),
                whole.attachable(), whole.ipv6(), Ipam.DEFAULT, Map.of(), whole.labels());
        var web = container("web", att("mesh", "www"));
        LiveState leader = state(with(predefined(), allocating), List.of(running("web")), new SwarmInfo(Role.MANAGER, "node1", true));

        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of(web)), leader, DEFAULT);

        assertThat(ops(plan)).as("attachments go ahead, the network is left alone").containsExactly("CONNECT mesh web");
        assertThat(codes(plan)).containsExactly("overlay-allocating");
        assertThat(notice(plan, "overlay-allocating").message()).contains("compared on the next pass");

        // Once allocated, a real difference is a replacement again, as before.
        LiveNetwork otherSubnet = net("mesh").overlay().encrypted().subnet("10.11.0.0/24").live();
        Plan replace = Planner.plan(desired(List.of(mesh.spec()), List.of()),
                state(with(predefined(), otherSubnet), List.of(), new SwarmInfo(Role.MANAGER, "node1", true)), DEFAULT);
        assertThat(ops(replace)).contains("REMOVE_NETWORK mesh", "CREATE_NETWORK mesh");
        assertThat(codes(replace)).doesNotContain("overlay-allocating");
    }

    @Test
    void aLocalNetworkWithoutPoolsIsComparedAsUsual() {
        // Only swarm-scoped networks get the benefit of the doubt.
        LiveNetwork l = net("front").subnet("10.1.0.0/24").live();
        LiveNetwork bare = new LiveNetwork(l.id(), l.name(), l.driver(), l.scope(), l.internal(), l.attachable(), l.ipv6(),
                Ipam.DEFAULT, Map.of(), l.labels());
        assertThat(NetworkClassifier.stillAllocating(bare)).isFalse();
        Plan plan = Planner.plan(desired(List.of(net("front").subnet("10.1.0.0/24").spec()), List.of()),
                state(with(predefined(), bare), List.of()), DEFAULT);
        assertThat(ops(plan)).contains("REMOVE_NETWORK front", "CREATE_NETWORK front");
    }

    @Test
    void theAddressASwarmAllocatedToAnOverlayEndpointIsNotDrift() {
        // The daemon writes the manager's allocation into the endpoint's IPAM config.
        Fx.N mesh = net("mesh").overlay().subnet("10.10.0.0/24");
        var web = container("web", att("mesh", "www"));
        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of(web)),
                state(with(predefined(), mesh.live()), List.of(running("web", epIp("web", "mesh", "10.10.0.4", "www"))), Role.MANAGER),
                DEFAULT);
        assertThat(plan.changes()).isEmpty();
    }

    @Test
    void aStaticAddressTheSpecDeclaresOnAnOverlayIsStillCompared() {
        Fx.N mesh = net("mesh").overlay().subnet("10.10.0.0/24");
        var web = container("web", attIp("mesh", "10.10.0.9", "www"));
        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of(web)),
                state(with(predefined(), mesh.live()), List.of(running("web", epIp("web", "mesh", "10.10.0.4", "www"))), Role.MANAGER),
                DEFAULT);
        assertThat(ops(plan)).containsExactly("DISCONNECT mesh web", "CONNECT mesh web");
        assertThat(change(plan, ResourceKey.attachment("web", "mesh")).reason()).contains("10.10.0.4 -> 10.10.0.9");
    }

    @Test
    void replacingAnOverlayDoesNotAskForTheOldSwarmAllocationAgain() {
        // The new overlay's pool is the swarm's to pick; the old allocation would not fit it.
        Fx.N mesh = net("mesh").overlay().label("tier", "b");
        LiveNetwork old = net("mesh").overlay().label("tier", "a").subnet("10.10.0.0/24").live();
        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of()),
                state(with(predefined(), old), List.of(running("legacy", epIp("legacy", "mesh", "10.10.0.4", "old-api"))), Role.MANAGER),
                DEFAULT);
        assertThat(codes(plan)).doesNotContain("replace-address-conflict");
        Step.Connect reconnect = step(plan, Step.Connect.class, "mesh", "legacy");
        assertThat(reconnect.endpoint().ipv4Address()).isNull();
        assertThat(reconnect.endpoint().aliases()).containsExactly("old-api");
    }

    @Test
    void aStaticAddressOnALocalNetworkIsStillKeptOnReplacement() {
        Fx.N app = net("app").subnet("10.10.0.0/24").label("tier", "b");
        LiveNetwork old = net("app").subnet("10.10.0.0/24").label("tier", "a").live();
        Plan plan = Planner.plan(desired(List.of(app.spec()), List.of()),
                state(with(predefined(), old), List.of(running("legacy", epIp("legacy", "app", "10.10.0.4"))), Role.MANAGER),
                DEFAULT);
        assertThat(step(plan, Step.Connect.class, "app", "legacy").endpoint().ipv4Address()).isEqualTo("10.10.0.4");
    }

    @Test
    void workerNeverPrunesSwarmScopedNetworks() {
        LiveNetwork mesh = net("mesh").overlay().live();
        Plan plan = Planner.plan(desired(List.of(net("front").spec()), List.of()),
                state(with(predefined(), net("front").live(), mesh), List.of(), Role.WORKER), DEFAULT);
        assertThat(plan.changes()).isEmpty();
    }

    @Test
    void overlayWithoutSwarmModeIsAnErrorWithTheFix() {
        Fx.N mesh = net("mesh").overlay();
        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of()), state(predefined(), List.of()), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        Notice n = notice(plan, "swarm-required");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.hint()).contains("docker swarm init").contains("docker swarm join");
    }

    @Test
    void reportsContainersJoiningAnOverlayThatIsNotAttachable() {
        Fx.N mesh = net("mesh").driver("overlay");
        var web = container("web", att("mesh"));
        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of(web)), state(predefined(), List.of(running("web")), Role.MANAGER), DEFAULT);
        assertThat(ops(plan)).containsExactly("CREATE_NETWORK mesh");
        assertThat(notice(plan, "overlay-not-attachable").severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void refusesToReplaceANetworkWithANonAttachableOverlayWhileContainersUseIt() {
        Fx.N mesh = net("mesh").driver("overlay");
        LiveNetwork old = net("mesh").live();
        Plan plan = Planner.plan(desired(List.of(mesh.spec()), List.of()),
                state(with(predefined(), old), List.of(running("someone", ep("someone", "mesh"))), Role.MANAGER), DEFAULT);
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "replace-would-strand").severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void replaceKeepsUnmanagedStaticAddressesThatFitTheNewNetwork() {
        Fx.N was = net("front").subnet("10.1.0.0/24").internal();
        Fx.N now = net("front").subnet("10.1.0.0/24");
        var live = state(with(predefined(), was.live()), List.of(stopped("legacy", epIp("legacy", "front", "10.1.0.50", "db"))));
        Plan plan = Planner.plan(desired(List.of(now.spec()), List.of()), live, DEFAULT);
        assertThat(step(plan, Step.Connect.class, "front", "legacy").endpoint()).isEqualTo(new EndpointConfig(List.of("db"), "10.1.0.50", null));
    }

    @Test
    void refusesReplaceThatWouldLeaveAStaticAddressOutsideTheNewSubnet() {
        Fx.N was = net("front").subnet("10.1.0.0/24");
        for (Fx.N now : List.of(net("front").subnet("10.2.0.0/24"), net("front").internal())) {
            var live = state(with(predefined(), was.live()), List.of(stopped("legacy", epIp("legacy", "front", "10.1.0.50"))));
            Plan plan = Planner.plan(desired(List.of(now.spec()), List.of()), live, DEFAULT);
            assertThat(plan.changes()).isEmpty();
            Notice n = notice(plan, "replace-address-conflict");
            assertThat(n.severity()).isEqualTo(Severity.ERROR);
            assertThat(n.message()).contains("legacy (10.1.0.50)");
        }
    }
}
