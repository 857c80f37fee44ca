package io.stackwire.reconcile.apply;

import io.stackwire.reconcile.plan.Step;

/**
 * Hears about steps as they run. The executor calls it from one thread only, so implementations
 * need not be thread-safe. Skipped steps get {@link #finished} without {@link #started}.
 */
public interface ProgressListener {

    ProgressListener NONE = new ProgressListener() {};

    default void started(Step step) {}

    default void finished(StepResult result) {}
}
