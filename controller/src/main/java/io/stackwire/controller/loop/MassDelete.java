package io.stackwire.controller.loop;

import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKind;
import java.util.Locale;
import org.eclipse.jgit.revwalk.FooterLine;

/**
 * The unattended-delete rail: a plan that would remove (or replace away) more than a share of the
 * networks stackwire manages is held back. A typo that empties the spec, or a revision that lost
 * a folder, must not wipe a host while nobody watches.
 */
record MassDelete(long removed, long managed) {

    /**
     * The commit trailer that confirms a held mass delete in the repo itself, for the revision that
     * carries it only (the next commit without it is held again).
     */
    static final String TRAILER = "Stackwire-Allow-Mass-Delete";

    /**
     * Counts only this repository's networks: those labelled with its owner, and those an earlier
     * stackwire made without an owner label that its spec declares (the planner adopts them).
     * Other repositories' networks on a shared daemon must not dilute the ratio.
     */
    static MassDelete of(Plan plan, LiveState live, DesiredState desired) {
        long managed = live.networks().values().stream().filter(n -> ours(n, desired)).count();
        long removed = plan.changes().stream()
                .filter(c -> c.key().kind() == ResourceKind.NETWORK)
                .filter(c -> c.action() == Action.DELETE)
                .map(Change::key)
                .distinct()
                .count();
        return new MassDelete(removed, managed);
    }

    /** Mirrors the planner's rule (docs/planning.md, Ownership). */
    static boolean ours(LiveNetwork n, DesiredState desired) {
        if (!n.managed()) {
            return false;
        }
        if (n.owner() == null) {
            return desired.owner().isEmpty() || desired.networks().containsKey(n.name());
        }
        return n.owner().equals(desired.owner());
    }

    /** True when {@code removed} exceeds {@code ratio} of the managed networks. */
    boolean exceeds(double ratio) {
        return removed > 0 && managed > 0 && removed > ratio * managed;
    }

    /**
     * True when the commit message ends with a trailer {@code Stackwire-Allow-Mass-Delete: yes} (or
     * {@code true}); Git's rules: key case-insensitive, in the message's last paragraph.
     */
    static boolean confirmedBy(String commitMessage) {
        if (commitMessage == null || commitMessage.isEmpty()) {
            return false;
        }
        return FooterLine.getValues(FooterLine.fromMessage(commitMessage), TRAILER).stream()
                .map(v -> v.strip().toLowerCase(Locale.ROOT))
                .anyMatch(v -> v.equals("yes") || v.equals("true"));
    }

    String message() {
        return "held: " + removed + " of " + managed + " managed networks would be removed;"
                + " apply with --allow-mass-delete, a commit trailer '" + TRAILER + ": yes', or run `stackwire apply`";
    }
}
