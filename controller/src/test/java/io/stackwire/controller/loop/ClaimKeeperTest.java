package io.stackwire.controller.loop;

import io.stackwire.reconcile.daemon.InMemoryDaemon;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.controller.loop.ReconcileLoopTest.MutableClock;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.plan.PeerClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loop's claim on the daemon: made when a conflict begins, renewed without a gap, withdrawn when it ends. */
class ClaimKeeperTest {

    private static final Instant NOW = Instant.parse("2026-11-28T05:00:00Z");
    private static final Map<String, String> FRONT = Map.of("network.front", "hash-a");

    private final InMemoryDaemon daemon = new InMemoryDaemon("fake");
    private final MutableClock time = new MutableClock(NOW);
    private final ClaimKeeper keeper = new ClaimKeeper(daemon, time, Duration.ofSeconds(90));

    private void sync(Map<String, String> resources) throws Exception {
        keeper.sync("ctl-a", "inst-a", "rev1", "repo", resources, daemon.observe());
    }

    /** What was asked of the daemon, without the test's own observations. */
    private List<String> changes() {
        return daemon.calls().stream().filter(c -> !c.equals("observe")).toList();
    }

    private List<String> claims() {
        return daemon.networks().keySet().stream().filter(n -> n.startsWith(PeerClaim.NAME_PREFIX)).toList();
    }

    @Test
    void withoutConflictItMakesNoCall() throws Exception {
        keeper.sync("ctl-a", "inst-a", "rev1", "repo", Map.of(), LiveState.empty());
        keeper.withdraw();
        assertThat(daemon.calls()).isEmpty();
    }

    @Test
    void claimsRenewsIntoTheOtherSlotBeforeRemovingTheOldAndWithdraws() throws Exception {
        sync(FRONT);
        assertThat(claims()).containsExactly("stackwire-claim.ctl-a.0");
        PeerClaim first = PeerClaim.parse(daemon.networks().get("stackwire-claim.ctl-a.0")).orElseThrow();
        assertThat(first.resources()).isEqualTo(FRONT);
        assertThat(first.expires()).isEqualTo(NOW.plusSeconds(90));

        int calls = changes().size();
        time.now = NOW.plusSeconds(29);
        sync(FRONT);
        assertThat(changes()).as("not due yet: nothing").hasSize(calls);

        time.now = NOW.plusSeconds(30);
        sync(FRONT);
        assertThat(changes().subList(calls, changes().size()))
                .containsExactly("create stackwire-claim.ctl-a.1", "remove id-stackwire-claim.ctl-a.0");
        PeerClaim renewed = PeerClaim.parse(daemon.networks().get("stackwire-claim.ctl-a.1")).orElseThrow();
        assertThat(renewed.since()).as("the conflict began with the first claim").isEqualTo(NOW);
        assertThat(renewed.expires()).isEqualTo(NOW.plusSeconds(120));

        sync(Map.of("network.front", "hash-a", "attachment.web/front", "hash-w"));
        assertThat(claims()).as("a new word is claimed at once").containsExactly("stackwire-claim.ctl-a.0");

        sync(Map.of());
        assertThat(claims()).isEmpty();
    }

    @Test
    void aRestartedControllerClaimsBeforeItRemovesItsEarlierProcesssClaim() throws Exception {
        daemon.createNetwork(new PeerClaim("ctl-a", "old", "rev0", "repo", NOW, NOW.plusSeconds(60), FRONT).request(0));
        int calls = changes().size();
        sync(FRONT);
        assertThat(changes().subList(calls, changes().size()))
                .containsExactly("create stackwire-claim.ctl-a.1", "remove id-stackwire-claim.ctl-a.0");
    }

    @Test
    void removesAClaimThatLapsedLongAgoOnceAndLeavesALiveOne() throws Exception {
        daemon.createNetwork(new PeerClaim("ctl-c", "dead", "rev0", "repo", NOW, NOW.minusSeconds(91), FRONT).request(0));
        daemon.createNetwork(new PeerClaim("ctl-d", "late", "rev0", "repo", NOW, NOW.minusSeconds(10), FRONT).request(0));
        daemon.createNetwork(new PeerClaim("ctl-e", "other repo", "rev0", "elsewhere", NOW, NOW.minusSeconds(900), FRONT).request(0));
        keeper.sync("ctl-a", "inst-a", "rev1", "repo", Map.of(), daemon.observe());
        assertThat(claims()).as("lapsed only a moment ago: may still be renewed; another repository's: theirs")
                .containsExactly("stackwire-claim.ctl-d.0", "stackwire-claim.ctl-e.0");
    }

    @Test
    void removesAClaimAnEarlierProcessOfThisControllerLeftOnce() throws Exception {
        daemon.createNetwork(new PeerClaim("ctl-a", "old", "rev0", "repo", NOW, NOW.plusSeconds(60), FRONT).request(1));
        daemon.createNetwork(new PeerClaim("ctl-b", "other", "rev0", "repo", NOW, NOW.plusSeconds(60), FRONT).request(0));
        LiveState stale = daemon.observe();
        keeper.sync("ctl-a", "inst-a", "rev1", "repo", Map.of(), stale);
        assertThat(claims()).as("another controller's claim stays").containsExactly("stackwire-claim.ctl-b.0");
        int calls = changes().size();
        keeper.sync("ctl-a", "inst-a", "rev1", "repo", Map.of(), stale);
        assertThat(changes()).as("a stale observation does not make it try again").hasSize(calls);
    }
}
