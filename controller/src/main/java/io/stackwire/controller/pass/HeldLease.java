package io.stackwire.controller.pass;

import io.stackwire.reconcile.daemon.DockerGateway;

/**
 * The daemon lease held for one apply: the CLI's (waits for it, says who holds it, released on
 * Ctrl-C) or the loop's (one try per pass). How a loss is reported is the holder's business.
 */
public interface HeldLease {

    /** The gateway to apply through: each change first checks that the lease is still ours. */
    DockerGateway guard(DockerGateway gateway);

    /** Releases the lease; false when it was lost during the apply (someone else may have applied). */
    boolean release();
}
