package io.stackwire.reconcile.plan;

import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveState;
import java.util.Objects;

/**
 * Computes the ordered plan that turns the live state into the desired one. Pure: no I/O, no clock,
 * no randomness; the same inputs give an equal plan (and equal rendered bytes). The rules are in
 * {@code docs/planning.md}; the work is done by {@link PlanRun} and its pieces.
 */
public final class Planner {

    private Planner() {}

    public static Plan plan(DesiredState desired, LiveState live, PlanPolicy policy) {
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(policy, "policy");
        // select: entries become one spec per matched container first; the planner then treats them as named.
        Selection selection = Selection.of(desired, live);
        return new PlanRun(selection.desired(), live, policy, selection).plan();
    }
}
