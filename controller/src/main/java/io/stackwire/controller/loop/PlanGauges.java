package io.stackwire.controller.loop;

import io.stackwire.model.Severity;
import io.stackwire.reconcile.plan.NoticeCode;
import io.stackwire.reconcile.apply.ApplyResult;
import io.stackwire.reconcile.apply.StepResult;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKind;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a pass left undone, for the gauges operators alert on: the resources still in drift by kind,
 * and the changes held back by why. Pure: computed from the pass's plan and what applying it did.
 *
 * @param drift by resource kind (network, container, attachment): changes of the plan that this
 *     pass did not complete, so the daemon still differs from the spec there
 * @param held by reason: {@code refused} (error notices: part of the spec the plan refuses),
 *     {@code plan-only} (container replacements a {@code replace: plan-only} policy leaves to a
 *     confirmed apply), {@code mass-delete} and {@code dry-run} (the plan's changes, not applied)
 */
record PlanGauges(Map<String, Long> drift, Map<String, Long> held) {

    static final String REFUSED = "refused";
    static final String PLAN_ONLY = "plan-only";
    static final String MASS_DELETE = "mass-delete";
    static final String DRY_RUN = "dry-run";

    PlanGauges {
        drift = Map.copyOf(drift);
        held = Map.copyOf(held);
    }

    /** @param result what applying did, or null when the pass applied nothing */
    static PlanGauges of(PassReport.Outcome outcome, Plan plan, ApplyResult result) {
        Map<String, Long> drift = new TreeMap<>();
        for (ResourceKind k : ResourceKind.values()) {
            drift.put(k.name().toLowerCase(Locale.ROOT), 0L);
        }
        Set<Integer> done = new HashSet<>();
        if (result != null) {
            Set<Integer> unfinished = new HashSet<>();
            for (StepResult s : result.results()) {
                (s.ok() ? done : unfinished).add(s.step().change());
            }
            done.removeAll(unfinished);
        }
        for (int i = 0; i < plan.changes().size(); i++) {
            if (!done.contains(i)) {
                Change c = plan.changes().get(i);
                drift.merge(c.key().kind().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
            }
        }
        Map<String, Long> held = new TreeMap<>(Map.of(REFUSED, 0L, PLAN_ONLY, 0L, MASS_DELETE, 0L, DRY_RUN, 0L));
        for (Notice n : plan.notices()) {
            if (n.severity() == Severity.ERROR) {
                held.merge(REFUSED, 1L, Long::sum);
            } else if (n.code().equals(NoticeCode.REPLACE_NEEDS_APPROVAL.code())) {
                held.merge(PLAN_ONLY, 1L, Long::sum);
            }
        }
        if (outcome == PassReport.Outcome.HELD) {
            held.put(MASS_DELETE, (long) plan.changes().size());
        } else if (outcome == PassReport.Outcome.DRY_RUN) {
            held.put(DRY_RUN, (long) plan.changes().size());
        }
        return new PlanGauges(drift, held);
    }
}
