package io.stackwire.reconcile.apply;

import java.util.Comparator;
import java.util.List;

/**
 * The outcome of applying a plan: one result per step, ordered by step id, and the rollback steps
 * run after it for changes that failed half-way (in the order they ran).
 */
public record ApplyResult(List<StepResult> results, List<StepResult> rollbacks) {

    public ApplyResult {
        results = results == null ? List.of()
                : results.stream().sorted(Comparator.comparingInt(r -> r.step().id())).toList();
        rollbacks = rollbacks == null ? List.of() : List.copyOf(rollbacks);
    }

    public ApplyResult(List<StepResult> results) {
        this(results, List.of());
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
                + count(StepResult.Status.SKIPPED) + " skipped"
                + (rollbacks.isEmpty() ? "" : "; rolled back: " + rollbacks.stream().filter(StepResult::ok).count() + " restored, "
                        + rollbacks.stream().filter(r -> !r.ok()).count() + " could not be restored")
                + ".";
    }
}
