package io.stackwire.controller.loop;

import io.stackwire.controller.lease.Lease;
import io.stackwire.controller.pass.HostCheck;
import io.stackwire.controller.pass.Loader;
import io.stackwire.controller.pass.PassRunner;
import io.stackwire.controller.pass.Planning;
import io.stackwire.controller.source.SpecSource;
import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.daemon.DockerGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitOps loop, level-triggered: Quartz timers (fetch every interval, full resync every resync
 * interval), Docker events and the webhook only <em>request</em> a pass; one worker thread runs
 * one pass at a time, and requests that arrive meanwhile coalesce into one follow-up pass. Each
 * pass ({@link LoopPass}) reads the source and the daemon (through a cache kept fresh by events),
 * plans, applies under the lease and verifies. This class is the wiring around it: the worker,
 * the queue, the timers ({@link LoopTimers}), the events ({@link LoopEvents}) and liveness.
 * See docs/operations.md.
 */
public final class ReconcileLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.loop");

    private final LoopConfig config;
    private final Clock clock;
    private final Random random;
    private final Metrics metrics;
    private final SpecTracker spec;
    private final LiveCache cache;
    private final StatusBook book;
    private final PeerStamps peers;
    private final LoopEvents events;
    private final LoopPass pass;
    /** Set by tests of two controllers; otherwise {@link PeerStamps#peerQuiet(Duration)} of the interval. */
    private volatile Duration peerQuietOverride;

    private final LoopWorker work;

    private volatile boolean running;
    private volatile boolean stopping;
    private final Instant startedAt;
    volatile Thread worker;
    volatile Scheduler scheduler;

    public ReconcileLoop(LoopConfig config, SpecSource source, Loader loader, Planning planner, HostCheck hostCheck,
            DockerGateway gateway, LongSupplier apiCalls, Clock clock, Random random) {
        this.config = Objects.requireNonNull(config);
        Objects.requireNonNull(source);
        Objects.requireNonNull(gateway);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        Lease lease = new Lease(gateway, config.leaseName(), config.instanceId(), config.leaseTtl(), clock);
        this.metrics = new Metrics(apiCalls, clock::millis);
        this.work = new LoopWorker(clock, random, new PassQueue(new Backoff(config.backoffMin(), config.backoffMax(), random)),
                this::runPass, this::distrustCache, apiCalls, passTimeout());
        PassRunner runner = new PassRunner(loader, planner, hostCheck);
        this.spec = new SpecTracker(source, runner, config.host(), clock, metrics, work::fetched);
        this.cache = new LiveCache(gateway);
        this.startedAt = clock.instant();
        this.book = new StatusBook(config, source, spec, cache, startedAt);
        this.peers = new PeerStamps(config, source, clock, new ClaimKeeper(gateway, clock, ClaimKeeper.ttl(config.interval())));
        this.events = new LoopEvents(cache, spec::watched, peers, metrics, config.debounce(), this::request);
        this.pass = new LoopPass(config, runner, gateway, clock, lease, LoopTimers.renewals(() -> scheduler), metrics, spec,
                cache, book, peers, this::peerQuiet, this::publishStatus);
        publishStatus();
    }

    public Metrics metrics() {
        return metrics;
    }

    public LoopStatus status() {
        return book.status();
    }

    public LoopConfig config() {
        return config;
    }

    /**
     * Liveness: true while the worker runs and either a pass is under way and making progress
     * ({@link #passTimeout()}) or the last pass ended within three intervals (or the loop is
     * younger than that), not counting a backoff the worker waits out on purpose. Git being
     * down is no reason to restart the controller: fetch failures never make it false (they are in
     * {@link #status()} and the metrics), since passes go on against the last good revision.
     */
    public boolean healthy() {
        if (!running || failure() != null) {
            return false;
        }
        if (work.passStarted != Long.MIN_VALUE) {
            // A pass is under way and not stuck (failure() applies the progress rule): a long
            // replacement must not get the controller restarted by its liveness probe mid-way.
            return true;
        }
        Instant now = clock.instant();
        Duration limit = config.interval().multipliedBy(3);
        PassReport p = book.lastPass;
        Instant last = p == null ? startedAt : p.started().plusMillis(p.millis());
        long waiting = work.passNotBefore;
        if (waiting != Long.MIN_VALUE && waiting > last.toEpochMilli()) {
            last = Instant.ofEpochMilli(waiting);
        }
        return Duration.between(last, now).compareTo(limit) <= 0;
    }

    /**
     * Why the loop cannot go on (its worker thread ended or the timers stopped while not asked
     * to stop), or null while it can. {@code stackwire run} exits non-zero on it, so that a
     * supervisor restarts the process instead of it serving health checks with nothing behind.
     */
    public String failure() {
        if (!running || stopping) {
            return null;
        }
        String why = work.died;
        if (why != null) {
            return why;
        }
        Thread w = worker;
        if (w != null && !w.isAlive()) {
            return "the loop's worker thread ended";
        }
        Scheduler s = scheduler;
        try {
            if (s != null && s.isShutdown()) {
                return "the loop's timer scheduler was shut down";
            }
        } catch (SchedulerException | RuntimeException e) {
            return "the loop's timer scheduler cannot be asked: " + describe(e);
        }
        return work.stuckPass(worker);
    }

    /** The least time a pass may go without progress before the loop counts as stuck. */
    public static final Duration MIN_PASS_TIMEOUT = Duration.ofMinutes(2);

    /**
     * How long a pass may go without progress (from its start, or from the last Docker API call
     * it sent): max(3 × interval, 2 min). Every Docker call has a 60 s response timeout (a
     * container replace's stop waits out the container's stop timeout within it), so a pass that
     * works sends one well within that; a pass with many steps may run longer in total. A call
     * that never returns (a Git fetch, a wedged file system) would otherwise hold the loop, and
     * any lease it took, for ever: the lease's renewals run on the loop's scheduler.
     */
    public Duration passTimeout() {
        Duration three = config.interval().multipliedBy(3);
        return three.compareTo(MIN_PASS_TIMEOUT) > 0 ? three : MIN_PASS_TIMEOUT;
    }

    /**
     * Readiness: true once a spec has been loaded and the daemon read: the loop knows what to do.
     * It stays true while fetches fail: the last good revision is still enforced.
     */
    public boolean ready() {
        return running && book.ready;
    }

    // ------------------------------------------------------------------ lifecycle

    /** Subscribes to Docker events, starts the timers and the worker; the first pass runs at once. */
    public synchronized void start() throws SchedulerException {
        if (running) {
            return;
        }
        running = true;
        scheduler = LoopTimers.start(config, this::request);
        worker = work.start();
        request(Trigger.START, Duration.ZERO);
        subscribe();
        LoopTimers.scheduleTicks(scheduler, config, clock, random);
    }

    /** Opens the Docker event stream; without one the cache is never trusted and every pass observes. */
    void subscribe() {
        try {
            cache.subscribe(events);
        } catch (UnsupportedOperationException e) {
            LOG.warn("no Docker event stream; relying on --interval and --resync only");
        }
    }

    /**
     * Stops cleanly: no new passes, the timers stop, the event stream closes, and the pass in
     * progress (if any) finishes its steps before this returns (its lease renewals go on until then).
     */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        stopping = true;
        if (scheduler != null) {
            try {
                LoopTimers.stopTicks(scheduler); // nothing to stop once it was shut down (failure() said so)
            } catch (SchedulerException e) {
                LOG.warn("stopping the scheduler: {}", e.getMessage());
            }
        }
        cache.close();
        work.stop();
        try {
            // The pass in progress finishes its steps; a stuck one is given up (and interrupted).
            while (worker.isAlive()) {
                worker.join(200);
                if (worker.isAlive() && work.stuckPass(worker) != null) {
                    LOG.warn("not waiting for the stuck pass: {}", work.stuckPass(worker));
                    worker.interrupt();
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (scheduler != null) {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                LOG.warn("stopping the scheduler: {}", e.getMessage());
            }
        }
        peers.withdraw(); // a controller that stops no longer asserts its spec: the other may go ahead
        running = false;
        publishStatus();
    }

    /** Asks for a pass within {@code delay}; requests coalesce. */
    public void request(Trigger trigger, Duration delay) {
        work.request(trigger, delay);
    }

    /** A throwable in one line of bounded length: its class and the start of its message. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        m = m == null ? "" : m.replaceAll("\\s+", " ").trim();
        if (m.length() > 200) {
            m = m.substring(0, 200) + "…";
        }
        return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }

    /** Schedules what follows a pass ({@link LoopWorker#finished}). */
    void finished(PassReport r) {
        work.finished(r);
    }

    /** Milliseconds until the next pass may start, or -1 when none is asked for. */
    long nextPassIn() {
        return work.nextPassIn();
    }

    /** Runs one pass synchronously. Tests call it directly; the worker is the only other caller. */
    PassReport runPass(PassQueue.Work work) {
        return pass.run(work);
    }

    /** Whether an event concerns this loop's spec ({@link LoopEvents#concerns}). */
    boolean concerns(DockerEvent e) {
        return events.concerns(e);
    }

    /** This controller's stable name ({@link PeerStamps#controllerName}). */
    String controllerName(DesiredState d) {
        return peers.controllerName(d);
    }

    /** Replaces the quiet period (before {@link #start()}); for tests, which cannot wait ten minutes. */
    public void overridePeerQuiet(Duration quiet) {
        peerQuietOverride = Objects.requireNonNull(quiet);
    }

    private Duration peerQuiet() {
        Duration override = peerQuietOverride;
        return override != null ? override : PeerStamps.peerQuiet(config.interval());
    }

    private void distrustCache() {
        cache.dirty();
    }

    private void publishStatus() {
        book.publish(running && !stopping, work.failures(), work.fetchFailures());
    }
}
