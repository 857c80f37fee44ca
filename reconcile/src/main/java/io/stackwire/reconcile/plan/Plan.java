package io.stackwire.reconcile.plan;

import java.util.List;
import java.util.Objects;

/**
 * The ordered result of planning: what changes (for people), how (steps, for the executor), and
 * what is reported without a change (notices).
 *
 * @param liveFingerprint hash of what the plan depends on ({@link Dependencies#fingerprint()}); for a
 *     plan saved by an earlier stackwire, of the whole live state it was computed from
 * @param dependencies what the plan read from the daemon to decide; a saved or confirmed plan is
 *     stale only when one of these changed ({@link Dependencies#NONE} for a plan without them,
 *     which is then checked against the whole daemon)
 */
public record Plan(
        int formatVersion,
        String host,
        String revision,
        String liveFingerprint,
        List<Change> changes,
        List<Step> steps,
        List<Notice> notices,
        Dependencies dependencies) {

    /** Version of the JSON plan format; bump on incompatible changes (documented in docs/plan-json.md). */
    public static final int FORMAT_VERSION = 1;

    public Plan {
        Objects.requireNonNull(host, "host");
        revision = revision == null ? "" : revision;
        liveFingerprint = liveFingerprint == null ? "" : liveFingerprint;
        changes = changes == null ? List.of() : List.copyOf(changes);
        steps = steps == null ? List.of() : List.copyOf(steps);
        notices = notices == null ? List.of() : List.copyOf(notices);
        dependencies = dependencies == null ? Dependencies.NONE : dependencies;
    }

    /** A plan without recorded dependencies (tests, plans of earlier versions). */
    public Plan(int formatVersion, String host, String revision, String liveFingerprint, List<Change> changes,
            List<Step> steps, List<Notice> notices) {
        this(formatVersion, host, revision, liveFingerprint, changes, steps, notices, Dependencies.NONE);
    }

    /** The same plan with other steps (the loop drops some it may not run unattended). */
    public Plan withSteps(List<Step> newSteps) {
        return new Plan(formatVersion, host, revision, liveFingerprint, changes, newSteps, notices, dependencies);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Error notices: something the spec asks for was refused; such a plan never counts as converged. */
    public long errors() {
        return notices.stream().filter(n -> n.severity() == io.stackwire.model.Severity.ERROR).count();
    }

    public long warnings() {
        return notices.stream().filter(n -> n.severity() == io.stackwire.model.Severity.WARNING).count();
    }

    public boolean hasErrors() {
        return errors() > 0;
    }

    public long count(Action... actions) {
        return changes.stream().filter(c -> List.of(actions).contains(c.action())).count();
    }
}
