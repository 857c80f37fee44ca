package io.stackwire.controller.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.daemon.NetworkRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Acquire, renew, take over and guard, against an in-memory daemon and a clock the test moves. */
class LeaseTest {

    private static final Instant T = Instant.parse("2026-11-28T05:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);

    static final class TestClock extends Clock {
        Instant now = T;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final InMemoryDaemon daemon = new InMemoryDaemon("fake");
    private final TestClock clock = new TestClock();
    private final Lease a = new Lease(daemon, "lease", "a", TTL, clock);
    private final Lease b = new Lease(daemon, "lease", "b", TTL, clock);
    private final List<Keeper> keepers = new ArrayList<>();

    @AfterEach
    void stopRenewing() throws GatewayException {
        for (Keeper k : keepers) {
            k.release();
        }
    }

    private Keeper hold(Lease lease) throws GatewayException {
        Lease.Attempt held = lease.tryAcquire();
        assertThat(held.acquired()).as(held.describe()).isTrue();
        Keeper k = lease.keep(held);
        keepers.add(k);
        return k;
    }

    @Test
    void aRenewalKeepsAContenderOutPastTheFirstExpiry() throws GatewayException {
        Keeper k = hold(a);
        clock.now = T.plusSeconds(100);
        k.renew();
        assertThat(k.expires()).isEqualTo(T.plusSeconds(400));

        clock.now = T.plusSeconds(310); // the lease network's own label has expired, its renewal has not
        Lease.Attempt contender = b.tryAcquire();

        assertThat(contender.acquired()).isFalse();
        assertThat(contender.describe()).isEqualTo("lease held by a until " + T.plusSeconds(400));
        assertThat(k.valid()).isTrue();
    }

    @Test
    void renewalsAlternateTwoSlotsAndReleaseRemovesEverything() throws GatewayException {
        Keeper k = hold(a);
        for (int i = 1; i <= 4; i++) {
            clock.now = T.plusSeconds(100L * i);
            k.renew();
        }

        assertThat(daemon.networks()).containsOnlyKeys("lease", "lease.renew-0", "lease.renew-1");
        assertThat(k.expires()).isEqualTo(T.plusSeconds(700));
        assertThat(k.release()).isTrue();
        assertThat(daemon.networks()).isEmpty();
    }

    @Test
    void aContenderTakesOverOnlyAfterTheLastRenewalExpiredAndTheOldHolderThenStopsStartingSteps() throws GatewayException {
        Keeper k = hold(a);
        clock.now = T.plusSeconds(100);
        k.renew();
        clock.now = T.plusSeconds(400); // a stalled past its renewed expiry

        Keeper taken = hold(b);

        assertThat(daemon.networks().get("lease").labels()).containsEntry("io.stackwire.lease.owner", "b");
        assertThat(daemon.networks()).doesNotContainKey("lease.renew-0"); // a's renewal went with it
        k.renew();
        assertThat(k.lost()).contains("expired");
        assertThatThrownBy(() -> k.guard(daemon).connect("web", "front", null))
                .isInstanceOf(GatewayException.class).hasMessageContaining("connect web to front: not started");
        assertThat(k.release()).isFalse();
        assertThat(daemon.networks()).as("the old holder never removes the new one's lease").containsKey("lease");
        assertThat(taken.valid()).isTrue();
    }

    @Test
    void stepsStopStartingNearTheExpiryWhenRenewalsFail() throws GatewayException {
        Keeper k = hold(a);
        DockerGateway guarded = k.guard(daemon);
        guarded.connect("web", "front", null);

        clock.now = T.plus(TTL).minusSeconds(59); // within TTL/5 of the expiry, never renewed

        assertThat(k.valid()).isFalse();
        assertThatThrownBy(() -> guarded.connect("api", "front", null))
                .hasMessageContaining("expires at " + T.plus(TTL) + " and could not be renewed");
        assertThat(daemon.changes()).contains("connect web/front").doesNotContain("connect api/front");
    }

    @Test
    void aRenewalThatLandsAfterTheExpiryDoesNotCount() throws GatewayException {
        Keeper k = hold(a);
        clock.now = T.plus(TTL).minusSeconds(1);
        daemon.onCreate(() -> clock.now = T.plus(TTL).plusSeconds(1)); // a slow create

        k.renew();

        assertThat(k.lost()).isEqualTo("the lease could not be renewed before it expired at " + T.plus(TTL));
        assertThat(k.expires()).isEqualTo(T.plus(TTL));
    }

    @Test
    void aKilledHoldersLeaseStopsBlockingWithinTwentySecondsWhileALiveHolderKeepsItByRenewing() throws GatewayException {
        assertThat(Lease.DEFAULT_TTL).isLessThanOrEqualTo(Duration.ofSeconds(20));
        Lease dead = new Lease(daemon, "lease", "killed-apply", Lease.DEFAULT_TTL, clock);
        Lease live = new Lease(daemon, "other", "live", Lease.DEFAULT_TTL, clock);
        Lease deadsContender = new Lease(daemon, "lease", "next-apply", Lease.DEFAULT_TTL, clock);
        Lease livesContender = new Lease(daemon, "other", "next-apply", Lease.DEFAULT_TTL, clock);
        assertThat(dead.tryAcquire().acquired()).isTrue(); // then killed: never renewed, never released
        Keeper k = hold(live);
        for (int s = 5; s <= 30; s += 5) { // what the renewal timer does every TTL/3
            clock.now = T.plusSeconds(s);
            k.renew();
        }

        clock.now = T.plusSeconds(31);
        assertThat(deadsContender.tryAcquire().acquired()).as("the killed holder's lease expired at +15 s").isTrue();
        Lease.Attempt refused = livesContender.tryAcquire();
        assertThat(refused.acquired()).isFalse();
        assertThat(refused.holder()).isEqualTo("live");
        assertThat(k.valid()).isTrue();
    }

    /**
     * Docker stamps a network's Created time when its create starts and shows it in lists when the
     * create ends; CheckDuplicate is best effort. So a create that started first (older) can become
     * visible after a younger contender listed and found itself alone: "the oldest holds" would
     * then make both hold. Here A's create starts, B's whole attempt runs, then A's create ends.
     */
    @Test
    void anOlderCreateThatBecomesVisibleLateNeverMakesTwoHolders() throws GatewayException {
        List<NetworkRef> visible = new ArrayList<>();
        Lease[] bLease = new Lease[1];
        Lease.Attempt[] bAttempt = new Lease.Attempt[1];
        DockerGateway racy = new InMemoryDaemon("fake") {
            int ids;

            @Override
            public synchronized String createNetwork(NetworkCreate r) throws GatewayException {
                String id = "id" + (++ids);
                Instant created = Instant.ofEpochSecond(ids); // stamped at the start
                if (r.labels().containsValue("a") && bAttempt[0] == null) {
                    bAttempt[0] = bLease[0].tryAcquire(); // B runs while A's create is under way
                }
                visible.add(new NetworkRef(id, r.name(), created, r.labels())); // visible at the end
                return id;
            }

            @Override
            public synchronized void removeNetwork(String id) {
                visible.removeIf(n -> n.id().equals(id));
            }

            @Override
            public synchronized List<NetworkRef> networksNamed(String name) {
                return visible.stream().filter(n -> n.name().equals(name))
                        .sorted(java.util.Comparator.comparing(NetworkRef::created)).toList();
            }
        };
        Lease la = new Lease(racy, "lease", "a", TTL, clock);
        bLease[0] = new Lease(racy, "lease", "b", TTL, clock);

        Lease.Attempt aAttempt = la.tryAcquire();

        assertThat(bAttempt[0].acquired()).as("B listed alone: it holds").isTrue();
        assertThat(aAttempt.acquired()).as("A is older but not alone: it backs off, never a second holder").isFalse();
        assertThat(visible).extracting(NetworkRef::id).containsExactly(bAttempt[0].networkId());
    }
}
