package io.stackwire.controller.lease;

import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held lease: renews it, tells whether steps may still start, and releases it. Thread-safe:
 * the renewing thread and the applying thread share it.
 */
public final class Keeper {
    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.lease");

    private final Lease lease;
    private final Lease.Attempt held;
    volatile Renewals.Ticking ticking;
    private final List<String> renewals = new ArrayList<>();
    private Instant expires;
    private String lost;
    private int next;

    Keeper(Lease lease, Lease.Attempt held) {
        this.lease = lease;
        this.held = held;
        this.expires = held.expires();
    }

    public synchronized Instant expires() {
        return expires;
    }

    /** Why the lease can no longer be trusted, or null while it is held. */
    public synchronized String lost() {
        return lost;
    }

    /** True while steps may start: held, and not within TTL/5 of the expiry. */
    public synchronized boolean valid() {
        return lost == null && lease.clock.instant().isBefore(expires.minus(lease.ttl.dividedBy(5)));
    }

    void renewQuietly() {
        try {
            renew();
        } catch (GatewayException e) {
            // Not lost yet: the next tick tries again, and steps stop near the expiry.
            LOG.warn("renewing the lease {}: {}", lease.name(), e.getMessage());
        }
    }

    /** One renewal (the timer calls this; tests call it directly). */
    public synchronized void renew() throws GatewayException {
        if (lost != null) {
            return;
        }
        Instant now = lease.clock.instant();
        if (!now.isBefore(expires)) {
            lost = "the lease expired at " + expires + " before it could be renewed";
            return;
        }
        NetworkRef primary = Lease.first(lease.gateway.networksNamed(lease.name()));
        if (primary == null || !primary.id().equals(held.networkId())) {
            lost = "the lease network " + lease.name() + " was removed or taken over";
            return;
        }
        String slot = lease.slot(next % 2);
        next++;
        for (NetworkRef old : lease.gateway.networksNamed(slot)) {
            // Ours, or a crashed holder's that has expired; never someone else's live one.
            if (held.networkId().equals(old.labels().get(Lease.LEASE_OF)) || !Lease.expires(old).isAfter(now)) {
                lease.removeQuietly(old.id());
                renewals.remove(old.id());
            }
        }
        Instant later = lease.expiry(now);
        String id = lease.gateway.createNetwork(lease.request(slot, later, held.networkId()));
        renewals.add(id);
        if (!lease.clock.instant().isBefore(expires)) {
            // Landed after the expiry in force: a contender may already have taken over.
            lost = "the lease could not be renewed before it expired at " + expires;
            return;
        }
        expires = later;
    }

    /**
     * Wraps the gateway so that no change starts once the lease is lost or about to expire: the
     * step fails with a clear message and its dependants are skipped.
     */
    public DockerGateway guard(DockerGateway inner) {
        return new GuardedGateway(inner, this);
    }

    void check(String what) throws GatewayException {
        if (!valid()) {
            String why = lost();
            throw new GatewayException(GatewayException.Kind.REFUSED, what + ": not started: "
                    + (why != null ? why : "the lease " + lease.name() + " expires at " + expires() + " and could not be renewed"));
        }
    }

    /**
     * Stops renewing and removes the lease network and our renewals. False when the lease was
     * lost meanwhile (expired, or taken over): {@link #lost()} says how.
     */
    public boolean release() throws GatewayException {
        ticking.stop();
        synchronized (this) {
            boolean present = lease.release(held);
            for (String id : renewals) {
                lease.removeQuietly(id);
            }
            renewals.clear();
            if (!present && lost == null) {
                lost = "the lease network " + lease.name() + " was gone at release (taken over after expiring)";
            }
            return present && lost == null;
        }
    }
}
