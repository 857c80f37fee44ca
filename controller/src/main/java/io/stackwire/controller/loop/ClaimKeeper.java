package io.stackwire.controller.loop;

import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkRef;
import io.stackwire.reconcile.plan.PeerClaim;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps this controller's conflict claim on the daemon ({@link PeerClaim}): present, and renewed,
 * while the plan reports a conflict with another controller; removed when none is left or the
 * controller stops. A controller without a conflict makes no Docker call here. Touched only by
 * the thread running passes (and {@link #release} once that has stopped).
 */
final class ClaimKeeper {

    private static final Duration MIN_TTL = Duration.ofSeconds(15);

    private final DockerGateway gateway;
    private final Clock clock;
    private final Duration ttl;
    private PeerClaim current;
    private String currentId;
    private int slot = 1;
    private Instant renewedAt;
    /** Claim networks already removed (or ours), so a stale cached observation does not make us remove them again. */
    private final Set<String> handled = new HashSet<>();

    ClaimKeeper(DockerGateway gateway, Clock clock, Duration ttl) {
        this.gateway = Objects.requireNonNull(gateway);
        this.clock = Objects.requireNonNull(clock);
        this.ttl = Objects.requireNonNull(ttl);
    }

    /** Claims live three intervals (at least 15 s, as the lease) and are renewed after a third of that: two missed passes, or a busy machine, do not lose one. */
    static Duration ttl(Duration interval) {
        Duration three = interval.multipliedBy(3);
        return three.compareTo(MIN_TTL) < 0 ? MIN_TTL : three;
    }

    PeerClaim current() {
        return current;
    }

    /**
     * Leaves {@code resources} (resource address to the hash of what this controller wants for it)
     * claimed for {@code controller}, or withdraws the claim when it is empty. Claims of this
     * controller that an earlier process left behind (seen in {@code live}) are removed after the
     * new one is made, so a restarted controller is never seen without a claim; claims of other
     * controllers of this repository that lapsed more than a TTL ago (a crashed controller's) are
     * removed too, each once.
     */
    void sync(String controller, String instance, String revision, String repo, Map<String, String> resources,
            LiveState live) throws GatewayException {
        Instant now = clock.instant();
        List<String> leftovers = new ArrayList<>();
        Set<String> occupied = new HashSet<>();
        for (LiveNetwork n : live.networks().values()) {
            if (n.id().equals(currentId) || handled.contains(n.id())) {
                continue;
            }
            if (controller.equals(PeerClaim.controllerOf(n.name()))) {
                leftovers.add(n.id());
                occupied.add(n.name());
            } else {
                PeerClaim.parse(n).filter(c -> c.repo().equals(repo) && now.isAfter(c.expires().plus(ttl)))
                        .ifPresent(c -> leftovers.add(n.id()));
            }
        }
        if (resources.isEmpty()) {
            withdraw();
        } else {
            claim(controller, instance, revision, repo, resources, now, occupied);
        }
        for (String id : leftovers) {
            handled.add(id);
            removeQuietly(id);
        }
    }

    private void claim(String controller, String instance, String revision, String repo, Map<String, String> resources,
            Instant now, Set<String> occupied) throws GatewayException {
        Instant since = current != null ? current.since() : Instant.ofEpochSecond(now.getEpochSecond());
        PeerClaim wanted = new PeerClaim(controller, instance, revision, repo, since,
                Instant.ofEpochSecond(now.plus(ttl).getEpochSecond()), resources);
        if (current != null && current.sameWord(wanted) && now.isBefore(renewedAt.plus(ttl.dividedBy(3)))) {
            return;
        }
        // The new word first, then the old one goes: the other side never sees us without a claim.
        int next = (slot + 1) % 2;
        if (occupied.contains(PeerClaim.networkName(controller, next))) {
            next = slot; // an earlier process's claim sits there; it goes once ours is made
        }
        String id = create(wanted, next);
        String old = currentId;
        current = wanted;
        currentId = id;
        slot = next;
        renewedAt = now;
        handled.add(id);
        if (old != null) {
            removeQuietly(old);
        }
    }

    /** Removes the claim, if any: the conflict is over, or this controller stops. */
    void withdraw() throws GatewayException {
        if (currentId != null) {
            String id = currentId;
            currentId = null;
            current = null;
            removeQuietly(id);
        }
    }

    private String create(PeerClaim claim, int into) throws GatewayException {
        try {
            return gateway.createNetwork(claim.request(into));
        } catch (GatewayException e) {
            if (e.kind() != GatewayException.Kind.CONFLICT && e.kind() != GatewayException.Kind.ALREADY) {
                throw e;
            }
            // A leftover in that slot (a crashed process of ours): it is ours to replace.
            String name = PeerClaim.networkName(claim.controller(), into);
            for (NetworkRef r : gateway.networksNamed(name)) {
                removeQuietly(r.id());
            }
            return gateway.createNetwork(claim.request(into));
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
