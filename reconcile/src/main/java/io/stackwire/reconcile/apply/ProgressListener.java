package io.stackwire.reconcile.apply;

import io.stackwire.reconcile.plan.Step;
import java.time.Duration;

/**
 * Hears about steps as they run. The executor calls it from one thread only, so implementations
 * need not be thread-safe; {@link SlowSteps}, which adds {@link #stillRunning} from its own ticker
 * thread, serialises every call. Skipped steps get {@link #finished} without {@link #started}.
 */
public interface ProgressListener {

    ProgressListener NONE = new ProgressListener() {};

    default void started(Step step) {}

    default void finished(StepResult result) {}

    /**
     * A step run after the plan to undo part of a change that failed half-way (a reconnect with the
     * endpoint's old config, or the old network created again); see {@link Executor}.
     */
    default void rolledBack(StepResult result) {}

    /** The step has been running for {@code elapsed} and has not finished (only through {@link SlowSteps}). */
    default void stillRunning(Step step, Duration elapsed) {}
}
