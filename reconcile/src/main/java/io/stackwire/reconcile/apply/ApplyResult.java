package io.stackwire.reconcile.apply;

import java.util.Comparator;
import java.util.List;

/** The outcome of applying a plan: one result per step, ordered by step id. */
public record ApplyResult(List<StepResult> results) {

    public ApplyResult {
        results = results == null ? List.of()
                : results.stream().sorted(Comparator.comparingInt(r -> r.step().id())).toList();
    }

    /** True when every step was applied or already in place: the daemon now matches the plan. */
    public boolean converged() {
        return results.stream().allMatch(StepResult::ok);
    }

    public long count(StepResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    /** {@code Apply complete: 3 applied, 1 already in place, 0 failed, 0 skipped.} */
    public String summary() {
        return (converged() ? "Apply complete: " : "Apply incomplete: ")
                + count(StepResult.Status.APPLIED) + " applied, "
                + count(StepResult.Status.ALREADY) + " already in place, "
                + count(StepResult.Status.FAILED) + " failed, "
                + count(StepResult.Status.SKIPPED) + " skipped.";
    }
}
