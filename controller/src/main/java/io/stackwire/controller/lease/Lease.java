package io.stackwire.controller.lease;

import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.daemon.NetworkRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock held on the daemon itself, so two controllers (two sidecars, or a loop and a CI apply)
 * never apply at the same time. The lock object is a configuration-only network named
 * {@code stackwire-lease} labelled with its owner and an expiry: no bridge and no iptables rules,
 * so creating or removing it costs the daemon about 20 ms instead of the 60-120 ms of a bridge
 * network's set-up or tear-down (docs/benchmarks.md). The gateway hides it from observations, so it is never planned
 * or pruned. Design and limits: docs/operations.md.
 *
 * <ul>
 *   <li>Acquire = create the network. The daemon refuses a second one of the same name
 *       (CheckDuplicate); as that check is best effort, the creator lists the name again and holds
 *       only if its network is the only one: otherwise it removes its own and tries again later.
 *       (Not "the oldest holds": Created is stamped before a network becomes visible, so an
 *       older create can appear after a younger contender listed and found itself alone.)
 *   <li>Held for one apply only, then removed, so a crashed holder blocks others at most until
 *       its expiry; a contender that finds an expired lease removes it by its exact ID and tries
 *       once more (two contenders removing the same ID is harmless; only one create wins).
 *   <li>Renewed while held ({@link Keeper}): network labels cannot change, so every TTL/3 the
 *       holder creates a renewal network {@code <name>.renew-0} or {@code .renew-1} (alternating)
 *       labelled with a later expiry and the lease network's ID. A contender that finds the lease
 *       network's own expiry passed also reads the renewals of that ID and takes over only when
 *       the latest has passed too. It reads its clock <em>before</em> listing, and the holder
 *       counts a renewal only if it landed before the expiry then in force, so a contender never
 *       misses a renewal that kept the lease alive.
 *   <li>The holder starts no step within TTL/5 of its expiry (renewals failing) or after losing
 *       the lease ({@link Keeper#guard}); a step already running is not stopped.
 * </ul>
 */
public final class Lease {

    public static final String DEFAULT_NAME = "stackwire-lease";
    /**
     * Short, so the lease of a killed holder (kill -9 skips the shutdown hook) blocks others for
     * at most 15 s; a live holder keeps it by renewing every 5 s (a network create and the removal
     * of its previous renewal: two Docker calls, only while an apply runs).
     */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.lease");
    /** Which lease network a renewal extends. */
    static final String LEASE_OF = Labels.LEASE + ".of";

    /** Waits between attempts; tests pass one that advances their clock instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d.toMillis());
    }

    /**
     * The outcome of an attempt: acquired (with the lease network's ID), or held by someone else.
     *
     * @param taken when acquired: the lease network's creation time by the daemon's clock, after
     *     anything an earlier holder changed (an apply's staleness check reads the events up to
     *     it); null when unknown
     */
    public record Attempt(boolean acquired, String networkId, String holder, Instant expires, Instant taken) {
        public Attempt(boolean acquired, String networkId, String holder, Instant expires) {
            this(acquired, networkId, holder, expires, null);
        }

        static Attempt held(String holder, Instant expires) {
            return new Attempt(false, null, holder, expires);
        }

        public String describe() {
            return acquired ? "acquired" : "lease held by " + holder + " until " + expires;
        }
    }

    final DockerGateway gateway;
    private final String name;
    private final String owner;
    final Duration ttl;
    final Clock clock;

    public Lease(DockerGateway gateway, String name, String owner, Duration ttl, Clock clock) {
        this.gateway = Objects.requireNonNull(gateway);
        this.name = Objects.requireNonNull(name);
        this.owner = Objects.requireNonNull(owner);
        this.ttl = Objects.requireNonNull(ttl);
        this.clock = Objects.requireNonNull(clock);
    }

    public String name() {
        return name;
    }

    /**
     * Tries until acquired or {@code timeout} has passed (zero: one attempt), every 2 s; calls
     * {@code waiting} whenever the holder or its expiry changes, so a user sees who blocks them.
     * Returns the last attempt: acquired, or who held it at the end.
     */
    public Attempt acquire(Duration timeout, Consumer<Attempt> waiting, Sleeper sleeper)
            throws GatewayException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        Attempt last = null;
        while (true) {
            Attempt a = tryAcquire();
            if (a.acquired()) {
                return a;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return a;
            }
            if (last == null || !Objects.equals(last.holder(), a.holder()) || !Objects.equals(last.expires(), a.expires())) {
                waiting.accept(a);
            }
            last = a;
            sleeper.sleep(left.compareTo(RETRY) < 0 ? left : RETRY);
        }
    }

    public Attempt tryAcquire() throws GatewayException {
        for (int round = 0; round < 2; round++) {
            String mine;
            Instant expires = expiry(clock.instant());
            try {
                mine = gateway.createNetwork(request(name, expires, null));
            } catch (GatewayException e) {
                if (e.kind() != GatewayException.Kind.CONFLICT && e.kind() != GatewayException.Kind.ALREADY) {
                    throw e;
                }
                Instant now = clock.instant(); // before listing: see the class comment
                NetworkRef holder = first(gateway.networksNamed(name));
                if (holder == null) {
                    continue; // released meanwhile: try again
                }
                Instant until = expires(holder);
                List<NetworkRef> renewals = List.of();
                if (!until.isAfter(now)) {
                    renewals = renewalsOf(holder.id());
                    for (NetworkRef r : renewals) {
                        until = expires(r).isAfter(until) ? expires(r) : until;
                    }
                }
                if (until.isAfter(now)) {
                    return Attempt.held(owner(holder), until);
                }
                // A crashed holder's: remove exactly that one (and its renewals), then retry.
                removeQuietly(holder.id());
                for (NetworkRef r : renewals) {
                    removeQuietly(r.id());
                }
                continue;
            }
            List<NetworkRef> named = gateway.networksNamed(name);
            NetworkRef other = named.stream().filter(n -> !n.id().equals(mine)).findFirst().orElse(null);
            if (other == null) {
                // Alone: every create that finished before this list is in it, and every one that
                // finishes later lists after ours is visible, so at most one contender is ever alone.
                NetworkRef ours = first(named);
                Instant taken = ours == null || Instant.MAX.equals(ours.created()) ? null : ours.created();
                return new Attempt(true, mine, owner, expires, taken);
            }
            // A concurrent create slipped past CheckDuplicate. Not "the older one holds": a create
            // that started first gets the older Created time but may become visible after a younger
            // one listed and found itself alone; so whoever is not alone backs off (the next try,
            // after RETRY, finds the holder or nobody).
            removeQuietly(mine);
            return Attempt.held(owner(other), expires(other));
        }
        return Attempt.held("another controller (contended)", clock.instant());
    }

    /** Removes our lease network; false when it was no longer there (taken over after expiring). */
    public boolean release(Attempt held) throws GatewayException {
        if (!held.acquired()) {
            return true;
        }
        try {
            gateway.removeNetwork(held.networkId());
            return true;
        } catch (GatewayException e) {
            if (e.kind() == GatewayException.Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Now plus the TTL, to the second: what the label says is what counts. */
    Instant expiry(Instant now) {
        return Instant.ofEpochSecond(now.plus(ttl).getEpochSecond());
    }

    NetworkCreate request(String networkName, Instant expires, String of) {
        Map<String, String> labels = new java.util.TreeMap<>(Map.of(
                Labels.LEASE, "true",
                Labels.LEASE_OWNER, owner,
                Labels.LEASE_EXPIRES, Long.toString(expires.getEpochSecond())));
        if (of != null) {
            labels.put(LEASE_OF, of);
        }
        return NetworkCreate.configOnly(networkName, labels);
    }

    String slot(int i) {
        return name + ".renew-" + i;
    }

    /** The renewal networks of the lease network with this ID, in both slots. */
    private List<NetworkRef> renewalsOf(String leaseId) throws GatewayException {
        List<NetworkRef> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            for (NetworkRef r : gateway.networksNamed(slot(i))) {
                if (leaseId.equals(r.labels().get(LEASE_OF))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Starts renewing a lease just acquired, every TTL/3 on a daemon thread, until released. */
    public Keeper keep(Attempt held) {
        return keep(held, Renewals.THREAD);
    }

    /** Starts renewing a lease just acquired, every TTL/3 on {@code renewals}, until released. */
    public Keeper keep(Attempt held, Renewals renewals) {
        if (!held.acquired()) {
            throw new IllegalArgumentException("not acquired: " + held.describe());
        }
        Keeper k = new Keeper(this, held);
        long period = Math.max(1, ttl.toMillis() / 3);
        k.ticking = renewals.every(Duration.ofMillis(period), k::renewQuietly);
        return k;
    }

    static NetworkRef first(List<NetworkRef> refs) {
        return refs.isEmpty() ? null : refs.get(0);
    }

    private static String owner(NetworkRef n) {
        return n.labels().getOrDefault(Labels.LEASE_OWNER, "unknown (no owner label on " + n.name() + ")");
    }

    /** A lease without a readable expiry never expires by itself: better wait than fight. */
    static Instant expires(NetworkRef n) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(n.labels().getOrDefault(Labels.LEASE_EXPIRES, "")));
        } catch (NumberFormatException e) {
            return Instant.MAX;
        }
    }

    void removeQuietly(String id) throws GatewayException {
        try {
            gateway.removeNetwork(id);
        } catch (GatewayException e) {
            if (e.kind() != GatewayException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }
}
