package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.change;
import static io.stackwire.reconcile.plan.Fx.codes;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
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
import io.stackwire.model.Severity;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Two controllers of one repository whose specs disagree about a network do not replace each other's every pass. */
class PlannerPeerTest {

    private static final String REPO = "github.com/acme/infra";
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private static final Duration QUIET = Duration.ofMinutes(10);
    private static final PlanPolicy LOOP = Fx.DEFAULT.unattended(true).withPeers(new PlanPolicy.Peers("ctl-a", NOW, QUIET));

    /** What this spec wants. */
    private final Fx.N ours = net("front").subnet("10.1.0.0/24");
    /** What the other spec wants, and made. */
    private final Fx.N theirs = net("front").subnet("10.2.0.0/24");

    private static DesiredState spec(Fx.N n, ContainerSpec... containers) {
        return desired(List.of(n.spec()), List.of(containers)).withOwner(REPO);
    }

    /** The network as controller {@code instance} (null: a hand-run apply) made it from {@code n} at {@code revision}. */
    private static LiveNetwork madeBy(Fx.N n, String instance, String revision, Instant created) {
        LiveNetwork l = DaemonModel.realise(NetworkChanges.networkCreate(n.spec(), REPO, revision), "id-" + n.name, 7);
        Map<String, String> labels = new TreeMap<>(l.labels());
        if (instance != null) {
            labels.put(Labels.CONTROLLER, instance);
            labels.put(Labels.OWNER, instance);
        }
        return new LiveNetwork(l.id(), l.name(), l.driver(), l.scope(), l.internal(), l.attachable(), l.ipv6(), l.ipam(),
                l.options(), labels, created);
    }

    private static Plan plan(DesiredState d, LiveNetwork live, PlanPolicy policy) {
        return Planner.plan(d, state(with(predefined(), live), List.of(running("web"))), policy);
    }

    @Test
    void labelsEveryNetworkItCreatesWithItsRevision() {
        DesiredState d = spec(ours).withRevision("0123456789abcdef0123456789abcdef01234567");
        Plan p = Planner.plan(d, state(predefined(), List.of()), Fx.DEFAULT);
        assertThat(((Step.CreateNetwork) p.steps().get(0)).create().labels()).containsEntry(Labels.REVISION, "0123456789ab");
    }

    @Test
    void keepsALocalRevisionAsItIs() {
        assertThat(Labels.revision("local:/srv/spec")).isEqualTo("local:/srv/spec");
        assertThat(Labels.revision("rev1")).isEqualTo("rev1");
    }

    @Test
    void holdsTheReplacementOfANetworkAnotherControllerJustMadeFromADisagreeingSpec() {
        Plan p = plan(spec(ours, container("web", att("front"))), madeBy(theirs, "ctl-b", "bbbbbbbbbbbb", NOW.minusSeconds(60)), LOOP);
        assertThat(ops(p)).as("neither the network nor attachments to it are touched").isEmpty();
        Notice n = notice(p, "conflict-other-revision");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.subject()).isEqualTo(ResourceKey.network("front"));
        assertThat(n.message()).contains("controller ctl-b at revision bbbbbbbbbbbb", "60s ago", "revision rev1",
                "until 2024-05-01T10:09:00Z");
        assertThat(n.hint()).contains("make the two specs agree", "after 10 minutes");
    }

    @Test
    void holdsANetworkAHandRunApplyJustMadeToo() {
        Plan p = plan(spec(ours), madeBy(theirs, null, "local:/home/dev/infra", NOW.minusSeconds(5)), LOOP);
        assertThat(ops(p)).isEmpty();
        assertThat(notice(p, "conflict-other-revision").message()).contains("a `stackwire apply`", "revision local:/home/dev/infra");
    }

    @Test
    void replacesItAfterTheQuietPeriod() {
        Plan p = plan(spec(ours), madeBy(theirs, "ctl-b", "bbbb", NOW.minus(QUIET).minusSeconds(1)), LOOP);
        assertThat(ops(p)).containsExactly("REMOVE_NETWORK front", "CREATE_NETWORK front");
        assertThat(codes(p)).doesNotContain("conflict-other-revision");
        assertThat(change(p, ResourceKey.network("front")).reason()).endsWith("; undoes the network controller ctl-b at revision bbbb created");
    }

    @Test
    void replacesANetworkItMadeItselfAtOnce() {
        // The ordinary case: this controller applies a new commit over its own previous one.
        Plan p = plan(spec(ours), madeBy(theirs, "ctl-a", "aaaa", NOW.minusSeconds(30)), LOOP);
        assertThat(ops(p)).containsExactly("REMOVE_NETWORK front", "CREATE_NETWORK front");
        assertThat(change(p, ResourceKey.network("front")).reason()).doesNotContain("undoes");
    }

    @Test
    void replacesANetworkOfTheSameSpecHashWhateverMadeIt() {
        // The other side agrees with this spec; whatever else differs is no fight between specs.
        LiveNetwork l = madeBy(theirs, "ctl-b", "bbbb", NOW.minusSeconds(30));
        Map<String, String> labels = new TreeMap<>(l.labels());
        labels.put(Labels.SPEC_HASH, Normalizer.specHash(ours.spec()));
        l = new LiveNetwork(l.id(), l.name(), l.driver(), l.scope(), l.internal(), l.attachable(), l.ipv6(), l.ipam(),
                l.options(), labels, l.created());
        assertThat(ops(plan(spec(ours), l, LOOP))).containsExactly("REMOVE_NETWORK front", "CREATE_NETWORK front");
    }

    @Test
    void replacesWhenTheCreationTimeIsUnknown() {
        Plan p = plan(spec(ours), madeBy(theirs, "ctl-b", "bbbb", null), LOOP);
        assertThat(ops(p)).containsExactly("REMOVE_NETWORK front", "CREATE_NETWORK front");
    }

    @Test
    void anAttendedApplyReplacesAndSaysWhoseNetworkItUndoes() {
        Plan p = plan(spec(ours), madeBy(theirs, "ctl-b", "bbbb", NOW.minusSeconds(30)),
                Fx.DEFAULT.withPeers(new PlanPolicy.Peers("", NOW, QUIET)));
        assertThat(ops(p)).containsExactly("REMOVE_NETWORK front", "CREATE_NETWORK front");
        assertThat(codes(p)).doesNotContain("conflict-other-revision");
        assertThat(change(p, ResourceKey.network("front")).reason())
                .isEqualTo("subnet changed: 10.2.0.0/24 -> 10.1.0.0/24 forces replacement;"
                        + " undoes the network controller ctl-b at revision bbbb created");
    }

    @Test
    void aLoopWithoutPeersNeverHolds() {
        Plan p = plan(spec(ours), madeBy(theirs, "ctl-b", "bbbb", NOW.minusSeconds(30)), Fx.DEFAULT.unattended(true));
        assertThat(ops(p)).containsExactly("REMOVE_NETWORK front", "CREATE_NETWORK front");
    }

    // ---- claims: the fight ends, and both sides see it ----

    /** Controller {@code controller}'s claim that it wants {@code n} as it says, lapsing at {@code expires}. */
    private static PeerClaim claim(String controller, Fx.N n, Instant expires) {
        return new PeerClaim(controller, "inst-" + controller, "bbbb", REPO, NOW.minusSeconds(100), expires,
                Map.of("network." + n.name, PeerClaim.hashOf(n.spec())));
    }

    private static PlanPolicy loopSeeing(PeerClaim... claims) {
        return Fx.DEFAULT.unattended(true).withPeers(new PlanPolicy.Peers("ctl-a", NOW, QUIET, List.of(claims)));
    }

    @Test
    void holdsPastTheQuietPeriodWhileTheMakerStillClaimsIt() {
        LiveNetwork old = madeBy(theirs, "ctl-b", "bbbb", NOW.minus(QUIET).minusSeconds(3600));
        Plan p = plan(spec(ours, container("web", att("front"))), old, loopSeeing(claim("ctl-b", theirs, NOW.plusSeconds(60))));
        assertThat(ops(p)).as("the fight ends: no replacement while the other controller runs").isEmpty();
        Notice n = notice(p, "conflict-other-revision");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.message()).contains("controller ctl-b at revision bbbb created it at 2024-05-01T08:50:00Z", "still asserts it",
                "in conflict since 2024-05-01T09:58:20Z", "for as long as that controller runs")
                .as("nothing that changes from pass to pass: the log says it once").doesNotContain("renewed", "s ago");
        assertThat(n.hint()).contains("only once the other has stopped", "stackwire-claim.ctl-b.*");
    }

    @Test
    void replacesOnceTheMakersClaimHasLapsed() {
        LiveNetwork old = madeBy(theirs, "ctl-b", "bbbb", NOW.minus(QUIET).minusSeconds(3600));
        Plan p = plan(spec(ours), old, loopSeeing(claim("ctl-b", theirs, NOW)));
        assertThat(ops(p)).containsExactly("REMOVE_NETWORK front", "CREATE_NETWORK front");
        assertThat(codes(p)).doesNotContain("conflict-other-revision");
    }

    @Test
    void aClaimOfAnotherControllerRepositoryOrNetworkDoesNotHold() {
        LiveNetwork old = madeBy(theirs, "ctl-b", "bbbb", NOW.minus(QUIET).minusSeconds(3600));
        PeerClaim third = claim("ctl-c", theirs, NOW.plusSeconds(60));
        PeerClaim otherRepo = new PeerClaim("ctl-b", "inst-b", "bbbb", "github.com/other/repo", NOW, NOW.plusSeconds(60),
                Map.of("network.front", "x"));
        PeerClaim otherNetwork = new PeerClaim("ctl-b", "inst-b", "bbbb", REPO, NOW, NOW.plusSeconds(60), Map.of("network.back", "x"));
        for (PeerClaim c : List.of(third, otherRepo, otherNetwork)) {
            Plan p = plan(spec(ours), old, loopSeeing(c));
            assertThat(ops(p)).as(c.toString()).containsExactly("REMOVE_NETWORK front", "CREATE_NETWORK front");
        }
    }

    @Test
    void reportsTheConflictOnTheSideWhoseNetworkStandsTooWithoutBlockingIt() {
        LiveNetwork mine = madeBy(ours, "ctl-a", "aaaa", NOW.minusSeconds(600));
        Plan p = plan(spec(ours, container("web", att("front"))), mine, loopSeeing(claim("ctl-b", theirs, NOW.plusSeconds(60))));
        assertThat(ops(p)).as("the network stands, its attachments are reconciled as usual").containsExactly("CONNECT front web");
        Notice n = notice(p, "conflict-other-revision");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.subject()).isEqualTo(ResourceKey.network("front"));
        assertThat(n.message()).contains("is kept as this spec (revision rev1) wants it", "controller inst-ctl-b at revision bbbb",
                "in conflict since 2024-05-01T09:58:20Z").doesNotContain("renewed");
        assertThat(n.hint()).contains("the conflict ends when the specs agree or the other controller stops");
    }

    @Test
    void aClaimThatAgreesOrLapsedOrIsOursIsNoConflict() {
        LiveNetwork mine = madeBy(ours, "ctl-a", "aaaa", NOW.minusSeconds(600));
        for (PeerClaim c : List.of(claim("ctl-b", ours, NOW.plusSeconds(60)), claim("ctl-b", theirs, NOW.minusSeconds(1)),
                claim("ctl-a", theirs, NOW.plusSeconds(60)))) {
            Plan p = plan(spec(ours), mine, loopSeeing(c));
            assertThat(codes(p)).as(c.toString()).doesNotContain("conflict-other-revision");
        }
    }

    @Test
    void withoutClaimsThePlanIsTheSameAsBefore() {
        LiveNetwork old = madeBy(theirs, "ctl-b", "bbbb", NOW.minusSeconds(60));
        assertThat(plan(spec(ours), old, loopSeeing())).isEqualTo(plan(spec(ours), old, LOOP));
    }

    @Test
    void aClaimReadsBackFromTheNetworkThatCarriesIt() {
        PeerClaim c = new PeerClaim("0123456789abcdef", "host-1-99-ab", "c0ffee", REPO, NOW.minusSeconds(5), NOW.plusSeconds(90),
                Map.of("network.front", "h1", "network.back.x", "h2", "attachment.web/front", "h3"));
        var request = c.request(1);
        assertThat(request.name()).isEqualTo("stackwire-claim.0123456789abcdef.1");
        assertThat(request.internal()).isTrue();
        assertThat(request.isConfigOnly()).as("a config-only network's removal sends no event").isFalse();
        LiveNetwork n = DaemonModel.realise(request, "id-claim", 9);
        assertThat(PeerClaim.parse(n)).contains(c);
        assertThat(PeerClaim.of(state(with(predefined(), n), List.of()))).containsExactly(c);
        assertThat(PeerClaim.controllerOf(request.name())).isEqualTo("0123456789abcdef");
        assertThat(PeerClaim.controllerOf("stackwire-lease")).isNull();
        assertThat(PeerClaim.parse(madeBy(ours, "ctl-a", "aaaa", NOW))).isEmpty();
    }

    // ---- attachments: the endpoint's driver options say who connected it ----

    /** web's endpoint on front with {@code aliases}, connected by controller {@code controller} at {@code at} (null: by hand). */
    private static LiveEndpoint stamped(String controller, Instant at, String... aliases) {
        LiveEndpoint e = Fx.ep("web", "front", aliases);
        Map<String, String> opts = new TreeMap<>();
        if (controller != null) {
            opts.put(PeerClaim.STAMP_CONTROLLER, controller);
            opts.put(PeerClaim.STAMP_INSTANCE, "inst-" + controller);
            opts.put(PeerClaim.STAMP_REVISION, "bbbb");
            opts.put(PeerClaim.STAMP_CONNECTED, Long.toString(at.getEpochSecond()));
        }
        return new LiveEndpoint(e.network(), e.networkId(), e.aliases(), e.ipv4Config(), e.ipv6Config(), e.ipv4Address(),
                e.ipv6Address(), opts);
    }

    private Plan planAttachment(LiveEndpoint endpoint, PlanPolicy policy) {
        DesiredState d = spec(ours, container("web", att("front", "mine")));
        LiveNetwork front = madeBy(ours, "ctl-a", "aaaa", NOW.minus(QUIET).minusSeconds(3600));
        return Planner.plan(d, state(with(predefined(), front), List.of(running("web", endpoint))), policy);
    }

    private static PeerClaim attachmentClaim(String controller, String hash, Instant expires) {
        return new PeerClaim(controller, "inst-" + controller, "bbbb", REPO, NOW.minusSeconds(100), expires,
                Map.of("attachment.web/front", hash));
    }

    @Test
    void holdsTheReconnectOfAnEndpointAnotherControllerJustConnected() {
        Plan p = planAttachment(stamped("ctl-b", NOW.minusSeconds(20), "theirs"), LOOP);
        assertThat(ops(p)).isEmpty();
        Notice n = notice(p, "conflict-other-revision");
        assertThat(n.subject()).isEqualTo(ResourceKey.attachment("web", "front"));
        assertThat(n.message()).contains("container web's endpoint on front differs from this spec", "controller inst-ctl-b at revision bbbb",
                "connected it at 2024-05-01T09:59:40Z", "until 2024-05-01T10:09:40Z");
    }

    @Test
    void holdsItPastTheQuietPeriodWhileThatControllerClaimsIt() {
        LiveEndpoint old = stamped("ctl-b", NOW.minus(QUIET).minusSeconds(60), "theirs");
        Plan p = planAttachment(old, loopSeeing(attachmentClaim("ctl-b", "other", NOW.plusSeconds(30))));
        assertThat(ops(p)).isEmpty();
        assertThat(notice(p, "conflict-other-revision").message()).contains("for as long as that controller runs");
        assertThat(ops(planAttachment(old, loopSeeing(attachmentClaim("ctl-b", "other", NOW)))))
                .as("its claim lapsed: reconnected").containsExactly("DISCONNECT front web", "CONNECT front web");
    }

    @Test
    void reconnectsAnEndpointChangedByHandOrByItselfOrInAnAttendedApply() {
        assertThat(ops(planAttachment(stamped(null, null, "theirs"), LOOP))).as("by hand: drift")
                .containsExactly("DISCONNECT front web", "CONNECT front web");
        assertThat(ops(planAttachment(stamped("ctl-a", NOW.minusSeconds(5), "theirs"), LOOP))).as("its own, older commit")
                .containsExactly("DISCONNECT front web", "CONNECT front web");
        assertThat(ops(planAttachment(stamped("ctl-b", NOW.minusSeconds(5), "theirs"), Fx.DEFAULT.withPeers(
                new PlanPolicy.Peers("", NOW, QUIET))))).as("attended").containsExactly("DISCONNECT front web", "CONNECT front web");
    }

    @Test
    void reportsAnAttachmentConflictOnTheSideWhoseEndpointStands() {
        LiveEndpoint mine = stamped("ctl-a", NOW.minusSeconds(600), "mine");
        Plan p = planAttachment(mine, loopSeeing(attachmentClaim("ctl-b", "other", NOW.plusSeconds(30))));
        assertThat(ops(p)).isEmpty();
        Notice n = notice(p, "conflict-other-revision");
        assertThat(n.subject()).isEqualTo(ResourceKey.attachment("web", "front"));
        assertThat(n.message()).contains("is kept as this spec (revision rev1) wants it", "controller inst-ctl-b at revision bbbb");
        String agreeing = PeerClaim.hashOf(att("front", "mine"));
        assertThat(codes(planAttachment(mine, loopSeeing(attachmentClaim("ctl-b", agreeing, NOW.plusSeconds(30))))))
                .doesNotContain("conflict-other-revision");
    }
}
