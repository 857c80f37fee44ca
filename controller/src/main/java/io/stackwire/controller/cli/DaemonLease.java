package io.stackwire.controller.cli;

import io.stackwire.controller.lease.Keeper;
import io.stackwire.controller.lease.Lease;
import io.stackwire.controller.pass.HeldLease;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import java.io.PrintWriter;
import java.time.Clock;

/**
 * The daemon lease held by a hand-run apply or destroy from just before the first change until
 * the end, so it never applies at the same time as a controller or another apply. A shutdown hook
 * releases it on Ctrl-C, so an interrupted apply does not block others until the lease expires.
 * Its renewals run on a thread of their own ({@link io.stackwire.controller.lease.Renewals#THREAD}): a CLI command has no
 * scheduler, and the process ends with the apply.
 */
final class DaemonLease implements HeldLease {

    private final Lease lease;
    private final Keeper keeper;
    private final PrintWriter err;
    private final Thread hook;
    private boolean released;
    private boolean lost;

    private final java.time.Instant taken;

    private DaemonLease(Lease lease, Lease.Attempt held, PrintWriter err) {
        this.lease = lease;
        this.taken = held.taken();
        this.keeper = lease.keep(held);
        this.err = err;
        this.hook = new Thread(this::release, "stackwire-lease-release");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Takes the lease, waiting up to the timeout and saying who holds it; null (with the error
     * printed) when it was not obtained. Nothing has been changed either way.
     */
    static DaemonLease take(DockerGateway gateway, LeaseOptions options, String owner, PrintWriter err)
            throws GatewayException {
        Lease lease = new Lease(gateway, options.name, owner, Lease.DEFAULT_TTL, Clock.systemUTC());
        Lease.Attempt a;
        try {
            a = lease.acquire(options.timeout, busy -> {
                err.println("Waiting up to " + Durations.format(options.timeout) + " for the daemon lease "
                        + lease.name() + ": held by " + busy.holder() + " until " + busy.expires() + " ...");
                err.flush();
            }, Lease.Sleeper.REAL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted while waiting for the daemon lease " + lease.name() + "; nothing was changed.");
            return null;
        }
        if (!a.acquired()) {
            err.println("error: the daemon lease " + lease.name() + " is held by " + a.holder() + " until " + a.expires()
                    + "; nothing was changed.");
            err.println("  Another stackwire (a controller's apply, or another apply) is changing this daemon."
                    + " Try again when it is done, or wait longer with --lock-timeout.");
            return null;
        }
        return new DaemonLease(lease, a, err);
    }

    /** When the lease was taken, by the daemon's clock; null when unknown. */
    java.time.Instant taken() {
        return taken;
    }

    /** The gateway to apply through: each change first checks that the lease is still ours. */
    @Override
    public DockerGateway guard(DockerGateway gateway) {
        return keeper.guard(gateway);
    }

    /**
     * Releases the lease (once; also from the shutdown hook). False when it had expired and been
     * taken over during the apply, which is then reported: someone else may have applied too.
     */
    @Override
    public synchronized boolean release() {
        if (released) {
            return !lost;
        }
        released = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // Shutting down: this is the hook itself, or it already ran.
        }
        try {
            lost = !keeper.release();
        } catch (GatewayException e) {
            err.println("warning: could not remove the daemon lease " + lease.name() + " (" + Errors.oneLine(e)
                    + "); it expires by itself at " + keeper.expires());
            return true;
        }
        if (lost) {
            err.println("error: the daemon lease " + lease.name() + " was lost during this apply (" + keeper.lost()
                    + "); another stackwire may have applied at the same time. Run 'stackwire plan' to check.");
        }
        err.flush();
        return !lost;
    }
}
