package io.stackwire.reconcile.apply;

import io.stackwire.reconcile.plan.Step;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Says that a step is still running, as Terraform's "Still creating... [10s elapsed]": a listener in
 * front of another that, on each {@link #tick()}, reports every step running for {@link #FIRST} (a
 * container replacement waiting out its stop timeout, a network removal waiting on the daemon),
 * then again at each multiple of {@link #EVERY}. Every call to the listener behind it is made under
 * one lock, so it never sees two at once even though ticks come from another thread.
 */
public final class SlowSteps implements ProgressListener, AutoCloseable {

    /** A step that has run this long is reported... */
    public static final Duration FIRST = Duration.ofSeconds(3);
    /** ...and again at each multiple of this. */
    public static final Duration EVERY = Duration.ofSeconds(10);
    /** How often {@link #start} ticks: a report comes at most this late. */
    static final Duration TICK = Duration.ofMillis(500);

    private final ProgressListener delegate;
    private final LongSupplier millis;
    /** Running steps: when each started and when it is next reported (epoch-free milliseconds). */
    private final Map<Step, long[]> running = new LinkedHashMap<>();
    private ScheduledExecutorService ticker;

    /** Ticked by hand (tests): {@code millis} is the clock, in milliseconds from any origin. */
    public SlowSteps(ProgressListener delegate, LongSupplier millis) {
        this.delegate = Objects.requireNonNull(delegate);
        this.millis = Objects.requireNonNull(millis);
    }

    /** Ticks every {@link #TICK} on one daemon thread until {@link #close()}. */
    public static SlowSteps start(ProgressListener delegate) {
        SlowSteps s = new SlowSteps(delegate, () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
        s.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stackwire-progress");
            t.setDaemon(true);
            return t;
        });
        s.ticker.scheduleAtFixedRate(s::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    @Override
    public synchronized void started(Step step) {
        long now = millis.getAsLong();
        running.put(step, new long[] {now, now + FIRST.toMillis()});
        delegate.started(step);
    }

    @Override
    public synchronized void finished(StepResult result) {
        running.remove(result.step());
        delegate.finished(result);
    }

    @Override
    public synchronized void rolledBack(StepResult result) {
        delegate.rolledBack(result);
    }

    @Override
    public synchronized void stillRunning(Step step, Duration elapsed) {
        delegate.stillRunning(step, elapsed);
    }

    /** Reports the steps that are due, in the order they started. */
    public synchronized void tick() {
        long now = millis.getAsLong();
        for (Map.Entry<Step, long[]> e : running.entrySet()) {
            long[] t = e.getValue();
            if (now >= t[1]) {
                long elapsed = now - t[0];
                long every = EVERY.toMillis();
                t[1] = t[0] + (elapsed / every + 1) * every;
                delegate.stillRunning(e.getKey(), Duration.ofMillis(elapsed));
            }
        }
    }

    /** Stops the ticker (if any); no report comes after this returns... except one already under way. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    /**
     * The line for a step that is still running, named by its resource's address:
     * {@code container.web: Still replacing... [10s elapsed]}.
     */
    public static String line(Step step, Duration elapsed) {
        String network = step instanceof Step.OnNetwork n ? n.network() : null;
        String container = step instanceof Step.OnContainer c ? c.container() : null;
        String what = switch (step.op()) {
            case CREATE_NETWORK -> "network." + network + ": Still creating...";
            case REMOVE_NETWORK -> "network." + network + ": Still removing...";
            case CONNECT -> "container." + container + ": Still connecting to " + network + "...";
            case DISCONNECT -> "container." + container + ": Still disconnecting from " + network + "...";
            case REPLACE_CONTAINER -> "container." + container + ": Still replacing...";
            case REPAIR_REPLACEMENT -> "container." + container + ": Still repairing its replacement...";
        };
        return what + " [" + elapsed.toSeconds() + "s elapsed]";
    }
}
