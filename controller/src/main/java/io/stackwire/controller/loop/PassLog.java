package io.stackwire.controller.loop;

import io.stackwire.controller.loop.PassReport.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * What the loop logs about its passes: one line per pass that says something new, a heartbeat
 * while nothing does, and a revision's plan errors once. Touched only by the thread running passes.
 */
final class PassLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.loop");
    /** How often an otherwise quiet loop logs that it is alive (info). */
    static final Duration HEARTBEAT = Duration.ofMinutes(10);

    private final Clock clock;
    /** The revision and plan errors last logged ("" for none): logged once, not every pass. */
    private String loggedPlanErrors = "";
    /** The last pass logged, when the last info line or heartbeat was, and the quiet passes since. */
    private PassReport lastLogged;
    private Instant lastHeartbeat;
    private int quietPasses;

    PassLog(Clock clock) {
        this.clock = clock;
    }

    static String shortRevision(String rev) {
        return rev.matches("[0-9a-f]{40}") ? rev.substring(0, 12) : rev;
    }

    /**
     * Logs the plan's errors once per revision and set of errors, and once when they clear: a
     * revision that keeps being refused the same way does not repeat them every pass.
     */
    void planErrors(String revision, List<LoopStatus.ErrorView> errors) {
        String rev = shortRevision(revision);
        String key = errors.isEmpty() ? ""
                : revision + "\n" + errors.stream().map(e -> e.code() + " " + e.subject()).sorted()
                        .collect(Collectors.joining("\n")); // not the text: it may say "created 30s ago"
        if (key.equals(loggedPlanErrors)) {
            return;
        }
        loggedPlanErrors = key;
        if (errors.isEmpty()) {
            LOG.info("rev {}: plan errors cleared", rev);
            return;
        }
        LOG.warn("rev {}: the plan refuses part of the spec, {} error(s); not converged until they are fixed", rev, errors.size());
        errors.forEach(e -> LOG.warn("  {}", e.text()));
    }

    /**
     * One line per pass that did something or differs from the pass before (info; warn when steps
     * failed, error when the pass could not run). A pass that repeats the previous one and changed
     * nothing (an idle loop's no_changes, a dry run or held plan seen again) is logged at debug
     * only, and every {@link #HEARTBEAT} of such quiet passes one info line says the loop is alive.
     */
    void log(PassReport r) {
        String rev = shortRevision(r.revision());
        String outcome = r.outcome().name().toLowerCase(Locale.ROOT);
        PassReport before = lastLogged;
        lastLogged = r;
        boolean quiet = r.applied() == 0 && r.failures().isEmpty() && r.outcome().ok()
                && (r.outcome() == Outcome.NO_CHANGES ? before == null || before.outcome() == Outcome.NO_CHANGES
                        || before.outcome() == Outcome.APPLIED // the no-op pass right after an apply says nothing new
                        : before != null && sameState(before, r));
        Level level = !r.outcome().ok() ? (r.outcome() == Outcome.ERROR ? Level.ERROR
                : Level.WARN) : quiet ? Level.DEBUG : Level.INFO;
        if (before == null && r.outcome() == Outcome.NO_CHANGES) {
            level = Level.INFO; // the first pass says where the loop stands
        }
        String text = r.outcome() == Outcome.NO_CHANGES && r.failures().isEmpty()
                ? "pass " + r.triggers() + " rev " + rev + ": no changes (" + r.millis() + " ms)"
                : "pass " + r.triggers() + " rev " + rev + ": " + outcome + ", " + r.applied() + " of " + r.steps()
                        + " step(s) applied (" + r.millis() + " ms)" + (r.message().isEmpty() ? "" : ": " + r.message());
        LOG.atLevel(level).addKeyValue("event", "pass").addKeyValue("outcome", outcome).addKeyValue("revision", r.revision())
                .addKeyValue("triggers", String.join(",", r.triggers().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).sorted().toList()))
                .addKeyValue("steps", r.steps()).addKeyValue("applied", r.applied()).addKeyValue("failures", r.failures().size())
                .addKeyValue("durationMs", r.millis()).log(text);
        r.failures().forEach(f -> LOG.warn("  {}", f));
        Instant now = clock.instant();
        if (level != Level.DEBUG || lastHeartbeat == null) {
            lastHeartbeat = now;
            quietPasses = 0;
            return;
        }
        quietPasses++;
        if (Duration.between(lastHeartbeat, now).compareTo(HEARTBEAT) >= 0) {
            LOG.atInfo().addKeyValue("event", "heartbeat").addKeyValue("outcome", outcome).addKeyValue("revision", r.revision())
                    .addKeyValue("quietPasses", quietPasses).addKeyValue("converged", r.outcome().converged())
                    .log("alive: {} quiet pass(es) since {}, last {} at rev {}{}", quietPasses, lastHeartbeat, outcome, rev,
                            r.outcome().converged() ? ", converged" : "");
            lastHeartbeat = now;
            quietPasses = 0;
        }
    }

    /** Same outcome, revision, plan size and message: the pass found things as the one before left them. */
    private static boolean sameState(PassReport a, PassReport b) {
        return a.outcome() == b.outcome() && a.revision().equals(b.revision()) && a.steps() == b.steps()
                // A busy lease is retried every 2 s, and its message says until when the holder has it.
                && (a.outcome() == Outcome.LEASE_BUSY || a.message().equals(b.message()));
    }
}
