package io.stackwire.controller.lease;

import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.docker.DockerGateway;
import io.stackwire.reconcile.docker.GatewayException;
import io.stackwire.reconcile.docker.NetworkCreate;
import io.stackwire.reconcile.docker.NetworkRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A lock held on the daemon itself, so two controllers (two sidecars, or a loop and a CI apply)
 * never apply at the same time. The lock object is an internal bridge network named
 * {@code stackwire-lease} labelled with its owner and an expiry; the gateway hides it from
 * observations, so it is never planned or pruned. Design and limits: docs/operations.md.
 *
 * <ul>
 *   <li>Acquire = create the network. The daemon refuses a second one of the same name
 *       (CheckDuplicate); as that check is best effort, the creator lists the name again and
 *       only the oldest lease network (then the lowest ID) counts: a loser removes its own.
 *   <li>Held for one apply only, then removed, so a crashed holder blocks others at most until
 *       its expiry; a contender that finds an expired lease removes it by its exact ID and tries
 *       once more (two contenders removing the same ID is harmless; only one create wins).
 *   <li>Not renewed: an apply that outlasts the TTL could lose the lock to a contender; the
 *       holder notices on release and says so.
 * </ul>
 */
public final class Lease {

    public static final String DEFAULT_NAME = "stackwire-lease";
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    private static final Duration RETRY = Duration.ofSeconds(2);

    /** Waits between attempts; tests pass one that advances their clock instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d.toMillis());
    }

    /** The outcome of an attempt: acquired (with the lease network's ID), or held by someone else. */
    public record Attempt(boolean acquired, String networkId, String holder, Instant expires) {
        static Attempt held(String holder, Instant expires) {
            return new Attempt(false, null, holder, expires);
        }

        public String describe() {
            return acquired ? "acquired" : "lease held by " + holder + " until " + expires;
        }
    }

    private final DockerGateway gateway;
    private final String name;
    private final String owner;
    private final Duration ttl;
    private final Clock clock;

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
            try {
                mine = gateway.createNetwork(request());
            } catch (GatewayException e) {
                if (e.kind() != GatewayException.Kind.CONFLICT && e.kind() != GatewayException.Kind.ALREADY) {
                    throw e;
                }
                NetworkRef holder = first(gateway.networksNamed(name));
                if (holder == null) {
                    continue; // released meanwhile: try again
                }
                Instant expires = expires(holder);
                if (expires.isAfter(clock.instant())) {
                    return Attempt.held(owner(holder), expires);
                }
                removeQuietly(holder.id()); // a crashed holder's: remove exactly that one, then retry
                continue;
            }
            NetworkRef winner = first(gateway.networksNamed(name));
            if (winner == null || winner.id().equals(mine)) {
                return new Attempt(true, mine, owner, clock.instant().plus(ttl));
            }
            removeQuietly(mine); // a concurrent create slipped past CheckDuplicate; the older one holds
            return Attempt.held(owner(winner), expires(winner));
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

    private NetworkCreate request() {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return new NetworkCreate(name, "bridge", true, false, false, null, null, Map.of(
                Labels.LEASE, "true",
                Labels.LEASE_OWNER, owner,
                Labels.LEASE_EXPIRES, Long.toString(expires)));
    }

    private static NetworkRef first(List<NetworkRef> refs) {
        return refs.isEmpty() ? null : refs.get(0);
    }

    private static String owner(NetworkRef n) {
        return n.labels().getOrDefault(Labels.LEASE_OWNER, "unknown (no owner label on " + n.name() + ")");
    }

    /** A lease without a readable expiry never expires by itself: better wait than fight. */
    private static Instant expires(NetworkRef n) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(n.labels().getOrDefault(Labels.LEASE_EXPIRES, "")));
        } catch (NumberFormatException e) {
            return Instant.MAX;
        }
    }

    private void removeQuietly(String id) throws GatewayException {
        try {
            gateway.removeNetwork(id);
        } catch (GatewayException e) {
            if (e.kind() != GatewayException.Kind.NOT_FOUND) {
                throw e;
            }
        }
    }
}
