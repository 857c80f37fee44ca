package io.stackwire.reconcile.apply;

import io.stackwire.reconcile.LiveState;
import java.util.List;

/**
 * Something a plan depends on changed since it was made; applying it could undo somebody else's
 * change. Carries what changed, one line per resource, and the observation that showed it (so a
 * confirmed plan can be made again from it without reading the daemon twice).
 */
public class StalePlanException extends Exception {

    private final String planned;
    private final String actual;
    private final List<String> changed;
    private final transient LiveState now;

    /** A plan checked against the whole daemon (no recorded dependencies). */
    public StalePlanException(String planned, String actual) {
        this(planned, actual, List.of(), null);
    }

    public StalePlanException(String planned, String actual, List<String> changed, LiveState now) {
        super(message(planned, actual, changed));
        this.planned = planned;
        this.actual = actual;
        this.changed = List.copyOf(changed);
        this.now = now;
    }

    private static String message(String planned, String actual, List<String> changed) {
        if (planned.isEmpty()) {
            return "the plan carries no live fingerprint, so it cannot be checked against the daemon; run plan again";
        }
        if (changed.isEmpty()) {
            return "the daemon changed since this plan was made (fingerprint " + shorten(planned) + ", now "
                    + shorten(actual) + "; the plan was made by an earlier stackwire and depends on the whole daemon); run plan again";
        }
        return "the daemon changed since this plan was made, in what the plan depends on:\n    "
                + String.join("\n    ", changed) + "\n  run plan again";
    }

    public String planned() {
        return planned;
    }

    public String actual() {
        return actual;
    }

    /** What changed, one line per resource ({@code network.app: endpoint web added}); empty for a whole-daemon check. */
    public List<String> changed() {
        return changed;
    }

    /** The observation that found the plan stale, or null. */
    public LiveState now() {
        return now;
    }

    private static String shorten(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
    }
}
