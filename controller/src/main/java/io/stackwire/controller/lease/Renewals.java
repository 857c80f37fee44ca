package io.stackwire.controller.lease;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What runs a held lease's renewals every TTL/3 until it is released: the loop's Quartz
 * scheduler under {@code run}, or a thread of its own for a short-lived CLI apply.
 */
public interface Renewals {
    /** Starts calling {@code renew} every {@code period}, the first time one period from now. */
    Ticking every(Duration period, Runnable renew);

    /** A renewal schedule; {@link #stop()} ends it (a renewal under way finishes). */
    interface Ticking {
        void stop();
    }

    /** On a daemon thread of its own ("stackwire-lease-renewal"), as long as the lease is held. */
    Renewals THREAD = (period, renew) -> {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stackwire-lease-renewal");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(renew, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    };
}
