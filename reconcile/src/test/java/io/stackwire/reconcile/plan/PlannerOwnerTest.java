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

import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveNetwork;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ownership belongs to a repository, not to a stack name: two repositories share one daemon. */
class PlannerOwnerTest {

    private static final String A = "github.com/acme/infra";
    private static final String B = "github.com/acme/billing";

    private final Fx.N front = net("front").subnet("10.1.0.0/24");

    private static DesiredState ours(List<NetworkSpec> networks, List<ContainerSpec> containers) {
        return desired(networks, containers).withOwner(A);
    }

    private static Plan plan(DesiredState d, List<LiveNetwork> networks, List<LiveContainer> containers, PlanPolicy policy) {
        return Planner.plan(d, state(networks, containers), policy);
    }

    @Test
    void labelsEveryNetworkItCreatesWithItsOwner() {
        Plan p = plan(ours(List.of(front.spec()), List.of()), predefined(), List.of(), Fx.DEFAULT);
        assertThat(((Step.CreateNetwork) p.steps().get(0)).create().labels()).containsEntry(Labels.REPO, A).containsEntry(Labels.MANAGED, "true");
    }

    @Test
    void plansWithoutAnOwnerWriteNoOwnerLabel() {
        Plan p = plan(desired(List.of(front.spec()), List.of()), predefined(), List.of(), Fx.DEFAULT);
        assertThat(((Step.CreateNetwork) p.steps().get(0)).create().labels()).doesNotContainKey(Labels.REPO);
    }

    @Test
    void leavesItsOwnEqualNetworkAloneWithoutNotices() {
        Plan p = plan(ours(List.of(front.spec()), List.of()), with(predefined(), front.ownedBy(A)), List.of(), Fx.DEFAULT);
        assertThat(p.changes()).isEmpty();
        assertThat(p.notices()).isEmpty();
    }

    @Test
    void prunesItsOwnNetworkThatLeftTheSpec() {
        Plan p = plan(ours(List.of(front.spec()), List.of()),
                with(predefined(), front.ownedBy(A), net("old").ownedBy(A)), List.of(), Fx.DEFAULT);
        assertThat(ops(p)).containsExactly("REMOVE_NETWORK old");
    }

    @Test
    void adoptsALegacyNetworkItDeclaresWithANoticeAndWithoutReplacingIt() {
        Plan p = plan(ours(List.of(front.spec()), List.of()), with(predefined(), front.live()), List.of(), Fx.DEFAULT);
        assertThat(p.changes()).as("an owner label alone is no reason to cut the containers off").isEmpty();
        Notice n = notice(p, "adopted-legacy-network");
        assertThat(n.severity()).isEqualTo(Severity.INFO);
        assertThat(n.message()).contains("earlier stackwire", "adopted by owner " + A);
        assertThat(n.hint()).contains("next time a spec change replaces it");
        assertThat(p.hasErrors()).isFalse();
    }

    @Test
    void anAdoptedLegacyNetworkThatDiffersIsReplacedAndGetsTheOwnerLabel() {
        Fx.N was = net("front").subnet("10.9.0.0/24");
        Plan p = plan(ours(List.of(front.spec()), List.of()), with(predefined(), was.live()), List.of(), Fx.DEFAULT);
        assertThat(change(p, ResourceKey.network("front")).action()).isEqualTo(Action.REPLACE);
        assertThat(Fx.step(p, Step.CreateNetwork.class, "front", null).create().labels()).containsEntry(Labels.REPO, A);
        assertThat(codes(p)).doesNotContain("adopted-legacy-network");
    }

    @Test
    void anAdoptedLegacyNetworkCountsAsOursForDrift() {
        Plan p = plan(ours(List.of(front.spec()), List.of()), with(predefined(), front.live()),
                List.of(running("stray", ep("stray", "front"))), Fx.SELF_HEAL);
        assertThat(ops(p)).containsExactly("DISCONNECT front stray");
    }

    @Test
    void aDeclaredNetworkOfAnotherOwnerIsAConflictAndBlocksItsAttachments() {
        var web = container("web", att("front", "www"));
        Plan p = plan(ours(List.of(front.spec()), List.of(web)), with(predefined(), net("front").subnet("10.7.0.0/24").ownedBy(B)),
                List.of(running("web")), Fx.SELF_HEAL);
        assertThat(p.changes()).isEmpty();
        assertThat(p.steps()).isEmpty();
        Notice n = notice(p, "conflict-other-owner");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.subject()).isEqualTo(ResourceKey.network("front"));
        assertThat(n.message()).contains("owner " + B);
        assertThat(n.hint()).contains("rename", "owner:", A);
        assertThat(p.hasErrors()).isTrue();
    }

    @Test
    void aDeclaredNetworkOfAnotherOwnerIsAConflictEvenWithAdopt() {
        Fx.N adopting = net("front").subnet("10.1.0.0/24").adopt();
        Plan p = plan(ours(List.of(adopting.spec()), List.of()), with(predefined(), front.ownedBy(B)), List.of(), Fx.DEFAULT);
        assertThat(p.changes()).isEmpty();
        assertThat(codes(p)).containsExactly("conflict-other-owner");
    }

    @Test
    void neverPrunesOtherOwnersNetworksOfTheSameStackAndSaysSoInOneLine() {
        List<LiveNetwork> live = with(predefined(), front.ownedBy(A),
                net("ledger").ownedBy(B), net("queue").ownedBy(B), net("cache").stack("other").ownedBy("gitlab.example.com/x/y"));
        Plan p = plan(ours(List.of(front.spec()), List.of()), live, List.of(), Fx.DEFAULT);
        assertThat(p.changes()).isEmpty();
        assertThat(codes(p)).containsExactly("other-owners-networks");
        Notice n = notice(p, "other-owners-networks");
        assertThat(n.severity()).isEqualTo(Severity.INFO);
        assertThat(n.subject()).isNull();
        assertThat(n.message()).isEqualTo("3 networks of 2 other repositories left alone");
        assertThat(n.hint()).isEqualTo("other repositories: " + B + ", gitlab.example.com/x/y");
    }

    @Test
    void saysOneNetworkOfOneRepositoryInTheSingular() {
        Plan p = plan(ours(List.of(front.spec()), List.of()), with(predefined(), front.ownedBy(A), net("ledger").ownedBy(B)),
                List.of(), Fx.DEFAULT);
        assertThat(notice(p, "other-owners-networks").message()).isEqualTo("1 network of 1 other repository left alone");
    }

    @Test
    void otherOwnersNetworksInUseByUndeclaredContainersAreNotDrift() {
        Plan p = plan(ours(List.of(front.spec()), List.of()), with(predefined(), front.ownedBy(A), net("ledger").ownedBy(B)),
                List.of(running("teller", ep("teller", "ledger"))), Fx.SELF_HEAL);
        assertThat(p.changes()).isEmpty();
        assertThat(codes(p)).containsExactly("other-owners-networks");
    }

    @Test
    void neverPrunesALegacyNetworkOfItsStackButWarnsWithTheManualFix() {
        Plan p = plan(ours(List.of(front.spec()), List.of()), with(predefined(), front.ownedBy(A), net("old").live()),
                List.of(), Fx.DEFAULT);
        assertThat(p.changes()).isEmpty();
        Notice n = notice(p, "legacy-network-not-pruned");
        assertThat(n.severity()).isEqualTo(Severity.WARNING);
        assertThat(n.hint()).contains("docker network rm old");
        assertThat(codes(p)).containsExactly("legacy-network-not-pruned");
    }

    @Test
    void countsLegacyNetworksOfOtherStacksIntoTheInfoLine() {
        Plan p = plan(ours(List.of(front.spec()), List.of()),
                with(predefined(), front.ownedBy(A), net("ledger").stack("billing").live(), net("queue").ownedBy(B)),
                List.of(), Fx.DEFAULT);
        assertThat(codes(p)).containsExactly("other-owners-networks");
        assertThat(notice(p, "other-owners-networks").message()).isEqualTo("1 network of 1 other repository, and 1 network"
                + " of other stacks made by an earlier stackwire without an owner label left alone");
    }

    @Test
    void stillWarnsAboutItsOwnNetworksOfAStackThisHostDoesNotRun() {
        Plan p = plan(ours(List.of(front.spec()), List.of()),
                with(predefined(), front.ownedBy(A), net("ledger").stack("billing").ownedBy(A)), List.of(), Fx.DEFAULT);
        assertThat(p.changes()).isEmpty();
        assertThat(codes(p)).containsExactly("foreign-stack-network");
    }

    @Test
    void withoutAnOwnerOfItsOwnEveryOwnerLabelledNetworkIsAnothers() {
        Plan p = plan(desired(List.of(front.spec()), List.of()), with(predefined(), front.ownedBy(B), net("old").ownedBy(B)),
                List.of(), Fx.DEFAULT);
        assertThat(p.changes()).isEmpty();
        assertThat(codes(p)).containsExactlyInAnyOrder("conflict-other-owner", "other-owners-networks");
    }

    @Test
    void destroyRemovesOnlyItsOwnNetworksOfTheStack() {
        var web = container("web", att("front"));
        List<LiveNetwork> live = with(predefined(), front.ownedBy(A), net("gone").ownedBy(A), net("ledger").ownedBy(B));
        Plan p = plan(ours(List.of(front.spec()), List.of(web)), live, List.of(running("web", ep("web", "front"))),
                PlanPolicy.destroy(Set.of()));
        assertThat(ops(p)).containsExactly("DISCONNECT front web", "REMOVE_NETWORK front", "REMOVE_NETWORK gone");
        assertThat(notice(p, "other-owners-networks").message()).isEqualTo("1 network of 1 other repository left alone");
    }

    @Test
    void destroyLeavesADeclaredNetworkOfAnotherOwnerWithAWarning() {
        Plan p = plan(ours(List.of(front.spec()), List.of()), with(predefined(), front.ownedBy(B)), List.of(),
                PlanPolicy.destroy(Set.of()));
        assertThat(p.steps()).isEmpty();
        assertThat(notice(p, "destroy-skipped-other-owner").message()).contains("owner " + B);
    }

    @Test
    void destroyRemovesAnAdoptedLegacyNetworkButNotAnUndeclaredOne() {
        Plan p = plan(ours(List.of(front.spec()), List.of()), with(predefined(), front.live(), net("old").live()), List.of(),
                PlanPolicy.destroy(Set.of()));
        assertThat(ops(p)).containsExactly("REMOVE_NETWORK front");
        assertThat(notice(p, "destroy-skipped-legacy").hint()).contains("docker network rm old");
    }
}
