package io.stackwire.controller.loop;

/** Why a pass was asked for. Every trigger only means "look again"; none carries what changed. */
public enum Trigger {
    /** The loop started. */
    START(true, true),
    /** The fetch interval elapsed. */
    INTERVAL(true, false),
    /** The resync interval elapsed: read the daemon again even if nothing seems to have changed. */
    RESYNC(true, true),
    /** A Docker event touched a name the spec mentions. */
    EVENT(false, false),
    /** The event stream (re)connected: events may have been missed. */
    STREAM(false, true),
    /** POST /webhook: a push happened; fetch now. */
    WEBHOOK(true, false),
    /** The last fetch failed: fetch again now that its backoff has passed. */
    FETCH(true, false),
    /** A pass waited for the lease, or another follow-up. */
    RETRY(false, false);

    final boolean fetch;
    final boolean observe;

    Trigger(boolean fetch, boolean observe) {
        this.fetch = fetch;
        this.observe = observe;
    }
}
