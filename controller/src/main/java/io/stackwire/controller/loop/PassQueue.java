package io.stackwire.controller.loop;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The loop's work queue, as a pure state machine over an explicit clock (milliseconds): requests
 * coalesce into at most one pending pass (requests that arrive during a pass make exactly one
 * follow-up pass), a delayed request (event debounce) never postpones an earlier one, and after a
 * failed pass the next one waits for the backoff. Fetches have a backoff of their own: after a
 * failed fetch, passes still run at once (an event is healed against the last good revision) but
 * do not fetch until that backoff has passed. Not thread-safe; {@link ReconcileLoop} guards it.
 */
final class PassQueue {

    /** What one pass should do: fetch the source, read the daemon again, and why it runs. */
    record Work(boolean fetch, boolean observe, Set<Trigger> triggers) {
        Work {
            triggers = Set.copyOf(triggers);
        }
    }

    private final Backoff backoff;
    private long dueAt = Long.MAX_VALUE;
    private final EnumSet<Trigger> triggers = EnumSet.noneOf(Trigger.class);
    private long notBefore = Long.MIN_VALUE;
    private int failures;
    private long fetchNotBefore = Long.MIN_VALUE;
    private int fetchFailures;

    PassQueue(Backoff backoff) {
        this.backoff = backoff;
    }

    /** Asks for a pass at {@code now + delay} at the latest (an earlier pending request stands). */
    void request(Trigger trigger, long now, Duration delay) {
        triggers.add(trigger);
        dueAt = Math.min(dueAt, now + delay.toMillis());
        if (trigger == Trigger.WEBHOOK) {
            notBefore = Long.MIN_VALUE; // somebody pushed and wants it now: skip the remaining backoff
            fetchNotBefore = Long.MIN_VALUE; // the push may mean the Git server is back
        } else if (trigger == Trigger.STREAM) {
            // The stream reconnected, so the daemon answers again: the passes that failed while it was
            // down (restart) say nothing about this one. Heal at once, not after up to 5 min (issue 19).
            notBefore = Long.MIN_VALUE;
        }
    }

    boolean pending() {
        return !triggers.isEmpty();
    }

    /** Milliseconds until the pending pass may start (0 = now), or -1 when nothing is pending. */
    long waitMillis(long now) {
        if (!pending()) {
            return -1;
        }
        return Math.max(0, Math.max(dueAt, notBefore) - now);
    }

    /**
     * Takes the pending work if it is due; null otherwise. A fetch asked for during the fetch
     * backoff is left out of this pass and asked for again when the backoff ends.
     */
    Work take(long now) {
        if (waitMillis(now) != 0) {
            return null;
        }
        boolean wantsFetch = triggers.stream().anyMatch(t -> t.fetch);
        boolean fetch = wantsFetch && now >= fetchNotBefore;
        boolean observe = triggers.stream().anyMatch(t -> t.observe);
        Work w = new Work(fetch, observe, triggers);
        triggers.clear();
        dueAt = Long.MAX_VALUE;
        if (wantsFetch && !fetch) {
            request(Trigger.FETCH, now, Duration.ofMillis(fetchNotBefore - now));
        }
        return w;
    }

    /**
     * Records how a fetch went; a failure delays the next fetch (never the next pass) by the
     * backoff and asks for a pass that fetches again then.
     */
    void fetched(boolean ok, long now) {
        if (ok) {
            fetchFailures = 0;
            fetchNotBefore = Long.MIN_VALUE;
            return;
        }
        fetchFailures++;
        Duration delay = backoff.delay(fetchFailures);
        fetchNotBefore = now + delay.toMillis();
        request(Trigger.FETCH, now, delay);
    }

    int fetchFailures() {
        return fetchFailures;
    }

    /** When the next fetch may run at the earliest; MIN_VALUE when fetches are not backing off. */
    long fetchNotBefore() {
        return fetchNotBefore;
    }

    /** Records how the pass went; a failure delays the next pass by the backoff. */
    void finished(boolean ok, long now) {
        if (ok) {
            failures = 0;
            notBefore = Long.MIN_VALUE;
        } else {
            failures++;
            notBefore = now + backoff.delay(failures).toMillis();
        }
    }

    int failures() {
        return failures;
    }

    /** When the next pass may start at the earliest because of backoff; MIN_VALUE when not backing off. */
    long notBefore() {
        return notBefore;
    }
}
