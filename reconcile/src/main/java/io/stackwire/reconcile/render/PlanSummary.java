package io.stackwire.reconcile.render;

import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Plan;

/**
 * The counts every renderer prints. Like Terraform, a replacement counts once to add and once to
 * destroy; {@code change} counts resources altered without being re-created (today: reconnected
 * attachments), and {@code reconnect} breaks those out. {@code errors} and {@code warnings} count
 * the notices: a plan with an error never says the daemon matches the spec.
 */
public record PlanSummary(long add, long change, long destroy, long connect, long disconnect, long reconnect,
        long errors, long warnings) {

    public static PlanSummary of(Plan plan) {
        return new PlanSummary(
                plan.count(Action.CREATE, Action.REPLACE),
                plan.count(Action.RECONNECT),
                plan.count(Action.DELETE, Action.REPLACE),
                plan.count(Action.CONNECT),
                plan.count(Action.DISCONNECT),
                plan.count(Action.RECONNECT),
                plan.errors(),
                plan.warnings());
    }

    /** {@code Plan: 2 to add, 1 to change, 1 to destroy, 3 to connect, 0 to disconnect; 1 error, 2 warnings.} */
    public String line() {
        return "Plan: " + add + " to add, " + change + " to change, " + destroy + " to destroy, "
                + connect + " to connect, " + disconnect + " to disconnect" + problems("; ") + ".";
    }

    /**
     * The closing line of a rendered plan: the counts when there are changes, else whether the
     * daemon matches the spec, which it never does while an error stands.
     */
    public static String headline(Plan plan) {
        PlanSummary s = of(plan);
        if (!plan.isEmpty()) {
            return s.line();
        }
        if (s.errors > 0) {
            return "No changes can be made, and the daemon does not match the spec" + s.problems(": ") + " (see above).";
        }
        return s.warnings > 0 ? NO_CHANGES.substring(0, NO_CHANGES.length() - 1) + s.problems("; ") + "." : NO_CHANGES;
    }

    /** {@code ; 1 error, 2 warnings}, or nothing when there are neither. */
    private String problems(String lead) {
        if (errors == 0 && warnings == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder(lead);
        if (errors > 0) {
            b.append(errors).append(errors == 1 ? " error" : " errors");
        }
        if (warnings > 0) {
            b.append(errors > 0 ? ", " : "").append(warnings).append(warnings == 1 ? " warning" : " warnings");
        }
        return b.toString();
    }

    public static final String NO_CHANGES = "No changes. The daemon matches the spec.";
}
