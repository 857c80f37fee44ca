package io.stackwire.controller.pass;

import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;

/** Plans; the real one is {@code Planner::plan}. Injected so tests can make it slow, wrong or throw. */
public interface Planning {
    Plan plan(DesiredState desired, LiveState live, PlanPolicy policy);
}
