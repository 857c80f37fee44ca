package io.stackwire.controller.loop;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one pass did. Named factories per outcome keep the loop's branches readable.
 *
 * @param revision the revision that was reconciled (the last good one), or empty
 * @param steps steps in the plan
 * @param applied steps that changed something
 * @param failures failed steps and broken promises found by verification, one line each
 */
public record PassReport(Outcome outcome, String revision, Set<Trigger> triggers, Instant started, long millis,
        int steps, int applied, List<String> failures, String message) {

    public enum Outcome {
        /** The daemon already matches the spec. */
        NO_CHANGES(true),
        /** Changes were applied and verified. */
        APPLIED(true),
        /** --dry-run: the plan was reported, not applied. */
        DRY_RUN(true),
        /** The plan removes too many managed networks; it waits for a human. */
        HELD(true),
        /** Another controller holds the lease; retried shortly. */
        LEASE_BUSY(true),
        /** No valid spec has been loaded yet; waits for a new revision. Terminal, not retried. */
        NO_SPEC(true),
        /** A step failed or verification found a mismatch; retried with backoff. */
        FAILED(false),
        /** The daemon or the source could not be read; retried with backoff. */
        ERROR(false);

        private final boolean ok;

        Outcome(boolean ok) {
            this.ok = ok;
        }

        /** False when the loop should back off before the next pass. */
        public boolean ok() {
            return ok;
        }
    }

    public PassReport {
        Objects.requireNonNull(outcome, "outcome");
        revision = revision == null ? "" : revision;
        triggers = triggers == null ? Set.of() : Set.copyOf(triggers);
        failures = failures == null ? List.of() : List.copyOf(failures);
        message = message == null ? "" : message;
    }
}
