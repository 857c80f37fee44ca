package io.stackwire.reconcile.apply;

import io.stackwire.reconcile.plan.Step;
import java.util.Objects;

/**
 * What happened to one step.
 *
 * @param message what the daemon said, or why the step was skipped; empty when it simply worked
 * @param millis wall time of the Docker call(s); 0 for skipped steps
 */
public record StepResult(Step step, Status status, String message, long millis) {

    public enum Status {
        /** The executor made the change. */
        APPLIED,
        /** The wanted state was already there (someone else got there first); nothing to do. */
        ALREADY,
        /** Not attempted because a step it depends on failed. */
        SKIPPED,
        /** The daemon refused or could not be reached. */
        FAILED
    }

    public StepResult {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
    }

    public boolean ok() {
        return status == Status.APPLIED || status == Status.ALREADY;
    }
}
