package io.stackwire.reconcile.plan;

import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveState;

/** Computes the ordered plan that turns the live state into the desired one. Pure: no I/O, no clock. */
public final class Planner {

    private Planner() {}

    public static Plan plan(DesiredState desired, LiveState live, PlanPolicy policy) {
        // Placeholder until the planner lands (reconcile engine issue).
        return new Plan(Plan.FORMAT_VERSION, desired.host(), desired.revision(), "", null, null, null);
    }
}
