package io.stackwire.controller.loop;

import io.stackwire.controller.loop.PassReport.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's one worker thread and its queue: requests (timers, events, webhook) coalesce, one
 * pass runs at a time, a failure is retried after the backoff. Watches the pass in progress for
 * progress, so that a stuck one can be told apart from a long one.
 */
final class LoopWorker {

    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.loop");
    private static final Duration LEASE_RETRY = Duration.ofSeconds(2);

    private final Clock clock;
    private final Random random;
    private final PassQueue queue;
    private final Function<PassQueue.Work, PassReport> pass;
    /** What a pass that escaped its own containment leaves: the cache is not to be trusted. */
    private final Runnable distrust;
    /** Docker API calls sent so far: a pass that sends one is not stuck. */
    private final LongSupplier apiCalls;
    private final Duration passTimeout;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();

    private volatile boolean stopping;
    /** Until when the worker waits on purpose (pass backoff), so liveness does not count it as stuck. */
    volatile long passNotBefore = Long.MIN_VALUE;
    /** Set when the worker thread ends without being asked to: why. */
    volatile String died;
    /** When the pass in progress started (clock millis), or {@code Long.MIN_VALUE} between passes. */
    volatile long passStarted = Long.MIN_VALUE;
    /** The API call count last seen by {@link #stuckPass(Thread)}, and when it was first seen (clock millis). */
    private volatile long progressCalls;
    private volatile long progressAt = Long.MIN_VALUE;

    LoopWorker(Clock clock, Random random, PassQueue queue, Function<PassQueue.Work, PassReport> pass, Runnable distrust,
            LongSupplier apiCalls, Duration passTimeout) {
        this.clock = clock;
        this.random = random;
        this.queue = queue;
        this.pass = pass;
        this.distrust = distrust;
        this.apiCalls = apiCalls;
        this.passTimeout = passTimeout;
    }

    Thread start() {
        Thread t = new Thread(this::work, "stackwire-loop");
        t.start();
        return t;
    }

    /** No new passes; the one in progress finishes. */
    void stop() {
        stopping = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Asks for a pass within {@code delay}; requests coalesce. */
    void request(Trigger trigger, Duration delay) {
        lock.lock();
        try {
            queue.request(trigger, clock.millis(), delay);
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        try {
            while (true) {
                PassQueue.Work w;
                lock.lock();
                try {
                    while (true) {
                        if (stopping) {
                            return;
                        }
                        long wait = queue.waitMillis(clock.millis());
                        if (wait == 0) {
                            w = queue.take(clock.millis());
                            break;
                        }
                        if (wait < 0) {
                            wake.await();
                        } else {
                            wake.await(wait, TimeUnit.MILLISECONDS);
                        }
                    }
                } finally {
                    lock.unlock();
                }
                PassReport r;
                passStarted = clock.millis();
                try {
                    r = pass.apply(w);
                } catch (Throwable e) {
                    // runPass contains what the pass throws; this is for its bookkeeping (status, metrics, log).
                    LOG.error("pass failed unexpectedly", e);
                    r = new PassReport(Outcome.ERROR, "", w.triggers(), clock.instant(), 0, 0, 0,
                            List.of(), "internal error: " + ReconcileLoop.describe(e));
                    distrust.run();
                }
                passStarted = Long.MIN_VALUE;
                finished(r);
            }
        } catch (InterruptedException e) {
            if (!stopping) {
                died = "the loop's worker thread was interrupted";
            }
        } catch (Throwable e) {
            died = "the loop's worker thread failed: " + ReconcileLoop.describe(e);
            LOG.error("the loop cannot go on", e);
        } finally {
            if (!stopping && died == null) {
                died = "the loop's worker thread ended";
            }
        }
    }

    /**
     * Schedules what follows a pass: a failure retries after the backoff, a busy lease shortly;
     * anything else (plan errors too) waits for the next timer, event or webhook.
     */
    void finished(PassReport r) {
        lock.lock();
        try {
            long now = clock.millis();
            queue.finished(r.outcome().ok(), now);
            passNotBefore = queue.notBefore();
            if (!r.outcome().ok()) {
                queue.request(Trigger.RETRY, now, Duration.ZERO); // waits for the backoff
            } else if (r.outcome() == Outcome.LEASE_BUSY) {
                queue.request(Trigger.RETRY, now, LEASE_RETRY.plusMillis(random.nextInt(500)));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Tells the queue whether a fetch worked: failing fetches back off on their own. */
    void fetched(boolean ok) {
        lock.lock();
        try {
            queue.fetched(ok, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    int fetchFailures() {
        lock.lock();
        try {
            return queue.fetchFailures();
        } finally {
            lock.unlock();
        }
    }

    int failures() {
        return queue.failures();
    }

    /** Milliseconds until the next pass may start, or -1 when none is asked for. */
    long nextPassIn() {
        lock.lock();
        try {
            return queue.waitMillis(clock.millis());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Why the pass in progress counts as stuck (no progress for longer than the pass timeout), or
     * null. Progress is sampled: a call count that changed since the last look (the watchdog looks
     * every second) counts from then.
     */
    String stuckPass(Thread worker) {
        long since = passStarted;
        if (since == Long.MIN_VALUE) {
            return null;
        }
        long now = clock.millis();
        long calls = apiCalls.getAsLong();
        if (calls != progressCalls) {
            progressCalls = calls;
            progressAt = now;
        }
        long quietSince = Math.max(since, progressAt);
        long quiet = now - quietSince;
        Duration limit = passTimeout;
        if (quiet <= limit.toMillis()) {
            return null;
        }
        return "a pass has made no progress for " + quiet / 1000 + " s (it started at " + Instant.ofEpochMilli(since)
                + (quietSince > since ? ", last Docker call seen at " + Instant.ofEpochMilli(quietSince) : "")
                + "), longer than the pass timeout of " + limit.toSeconds() + " s: it is stuck" + stuckIn(worker);
    }

    /** Where the worker waits: its innermost frame outside the JDK, for the log line. */
    private static String stuckIn(Thread w) {
        if (w == null) {
            return "";
        }
        for (StackTraceElement f : w.getStackTrace()) {
            String c = f.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return " in " + c + "." + f.getMethodName();
            }
        }
        return "";
    }
}
