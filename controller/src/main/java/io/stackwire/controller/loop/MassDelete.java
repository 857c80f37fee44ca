package io.stackwire.controller.loop;

import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKind;

/**
 * The unattended-delete rail: a plan that would remove (or replace away) more than a share of the
 * networks stackwire manages is held back. A typo that empties the spec, or a revision that lost
 * a folder, must not wipe a host while nobody watches.
 */
record MassDelete(long removed, long managed) {

    static MassDelete of(Plan plan, LiveState live) {
        long managed = live.networks().values().stream().filter(n -> n.managed()).count();
        long removed = plan.changes().stream()
                .filter(c -> c.key().kind() == ResourceKind.NETWORK)
                .filter(c -> c.action() == Action.DELETE)
                .map(Change::key)
                .distinct()
                .count();
        return new MassDelete(removed, managed);
    }

    /** True when {@code removed} exceeds {@code ratio} of the managed networks. */
    boolean exceeds(double ratio) {
        return removed > 0 && managed > 0 && removed > ratio * managed;
    }

    String message() {
        return "held: " + removed + " of " + managed + " managed networks would be removed;"
                + " apply with --allow-mass-delete or run `stackwire apply`";
    }
}
