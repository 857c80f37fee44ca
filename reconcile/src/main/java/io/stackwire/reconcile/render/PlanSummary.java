package io.stackwire.reconcile.render;

import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Plan;

/**
 * The counts every renderer prints. Like Terraform, a replacement counts once to add and once to
 * destroy; {@code change} counts resources altered without being re-created (today: reconnected
 * attachments), and {@code reconnect} breaks those out.
 */
public record PlanSummary(long add, long change, long destroy, long connect, long disconnect, long reconnect) {

    public static PlanSummary of(Plan plan) {
        return new PlanSummary(
                plan.count(Action.CREATE, Action.REPLACE),
                plan.count(Action.RECONNECT),
                plan.count(Action.DELETE, Action.REPLACE),
                plan.count(Action.CONNECT),
                plan.count(Action.DISCONNECT),
                plan.count(Action.RECONNECT));
    }

    /** {@code Plan: 2 to add, 1 to change, 1 to destroy, 3 to connect, 0 to disconnect.} */
    public String line() {
        return "Plan: " + add + " to add, " + change + " to change, " + destroy + " to destroy, "
                + connect + " to connect, " + disconnect + " to disconnect.";
    }

    public static final String NO_CHANGES = "No changes. The daemon matches the spec.";
}
