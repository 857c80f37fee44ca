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
        NO_CHANGES(true, true),
        /** Changes were applied and verified. */
        APPLIED(true, true),
        /**
         * The plan refuses part of the spec (error notices: an overlay without swarm mode, a
         * host-mode container listed with a network, a same-name network stackwire does not own);
         * whatever else it planned was applied and verified. Not converged, but no failure of the
         * controller: no backoff, the next timer or event pass plans again.
         */
        PLAN_ERRORS(true, false),
        /** --dry-run: the plan was reported, not applied. */
        DRY_RUN(true, false),
        /** The plan removes too many managed networks; it waits for a human. */
        HELD(true, false),
        /** Another controller holds the lease; retried shortly. */
        LEASE_BUSY(true, false),
        /** No valid spec has been loaded yet; waits for a new revision. Terminal, not retried. */
        NO_SPEC(true, false),
        /** A step failed or verification found a mismatch; retried with backoff. */
        FAILED(false, false),
        /** The daemon or the source could not be read; retried with backoff. */
        ERROR(false, false);

        private final boolean ok;
        private final boolean converged;

        Outcome(boolean ok, boolean converged) {
            this.ok = ok;
            this.converged = converged;
        }

        /** False when the loop should back off before the next pass. */
        public boolean ok() {
            return ok;
        }

        /** True when the pass left the daemon matching the whole spec in force. */
        public boolean converged() {
            return converged;
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
