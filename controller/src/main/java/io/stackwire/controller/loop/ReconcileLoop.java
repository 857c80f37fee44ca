package io.stackwire.controller.loop;

import io.stackwire.controller.lease.Lease;
import io.stackwire.controller.pass.HostCheck;
import io.stackwire.controller.pass.Loader;
import io.stackwire.controller.pass.Planning;
import io.stackwire.controller.loop.PassReport.Outcome;
import io.stackwire.controller.source.RepoIdentity;
import io.stackwire.controller.source.RevisionException;
import io.stackwire.controller.source.Snapshot;
import io.stackwire.controller.source.SourceException;
import io.stackwire.controller.source.SpecSource;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Diagnostic;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.LoadResult;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.apply.ApplyResult;
import io.stackwire.reconcile.apply.Executor;
import io.stackwire.reconcile.apply.StepResult;
import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.EventListener;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.daemon.Subscription;
import io.stackwire.reconcile.plan.PeerClaim;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.plan.Step;
import io.stackwire.reconcile.plan.StepOp;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitOps loop, level-triggered: Quartz timers (fetch every interval, full resync every resync
 * interval), Docker events and the webhook only <em>request</em> a pass; one worker thread runs
 * one pass at a time, and requests that arrive meanwhile coalesce into one follow-up pass. Each
 * pass reads the source and the daemon (through a cache kept fresh by events), plans, applies
 * under the lease and verifies. See docs/operations.md.
 */
public final class ReconcileLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.loop");
    private static final Duration LEASE_RETRY = Duration.ofSeconds(2);

    private final LoopConfig config;
    private final SpecSource source;
    private final Loader loader;
    private final Planning planner;
    private final HostCheck hostCheck;
    private final DockerGateway gateway;
    private final Clock clock;
    private final Random random;
    private final Lease lease;
    private final Metrics metrics;
    /** Docker API calls sent so far: a pass that sends one is not stuck. */
    private final LongSupplier apiCalls;
    /** This controller's conflict claim on the daemon (docs/operations.md, "Two controllers that disagree"). */
    private final ClaimKeeper claims;
    /** Set by tests of two controllers; otherwise {@link #peerQuiet(Duration)} of the interval. */
    private volatile Duration peerQuietOverride;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final PassQueue queue;

    // Pass state: touched only by the thread running passes.
    private Snapshot snapshot;
    private String sourceError;
    /** The revision the last successful fetch found, loadable or not. */
    private String fetchedRevision;
    private DesiredState desired;
    /** The last desired state the planner did not throw on: what a revision that breaks it falls back to. */
    private DesiredState planned;
    private String desiredMessage = ""; // the commit message of desired's revision
    private String rejectedRevision;
    private List<LoopStatus.ErrorView> specErrors = List.of();
    private LiveState cache;
    private String convergedRevision;
    /** The revision and plan errors last logged ("" for none): logged once, not every pass. */
    private String loggedPlanErrors = "";
    /** The plan the pass in progress made, and what applying it did (null until then). */
    private Plan passPlan;
    private ApplyResult passResult;
    /** The last pass logged, when the last info line or heartbeat was, and the quiet passes since. */
    private PassReport lastLogged;
    private Instant lastHeartbeat;
    private int quietPasses;

    // Shared with the event thread and HTTP.
    private volatile boolean cacheDirty = true;
    /**
     * Containers (IDs) that events named since the cache was read: the next pass reads just these
     * again, plus the network list ({@link DockerGateway#refresh}), instead of everything.
     */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private volatile DesiredState watched;
    private volatile LoopStatus status;
    private volatile PassReport lastPass;
    private volatile Instant lastSuccess;
    private volatile String held;
    private volatile String lastApply;
    private volatile List<String> pendingContainers = List.of();
    private volatile List<LoopStatus.NoticeView> notices = List.of();
    private volatile List<LoopStatus.ErrorView> planErrors = List.of();
    private volatile String daemonError;
    /** When the fetches that are failing now began to fail; null while fetching works. */
    private volatile Instant fetchFailingSince;
    private volatile Instant lastFetchSuccess;
    /** Until when the worker waits on purpose (pass backoff), so liveness does not count it as stuck. */
    private volatile long passNotBefore = Long.MIN_VALUE;
    private volatile boolean running;
    private volatile boolean ready;
    private volatile boolean stopping;
    private final Instant startedAt;

    /** Set when the worker thread ends without being asked to: why. */
    private volatile String died;
    /** When the pass in progress started (clock millis), or {@code Long.MIN_VALUE} between passes. */
    private volatile long passStarted = Long.MIN_VALUE;
    /** The API call count last seen by {@link #stuckPass()}, and when it was first seen (clock millis). */
    private volatile long progressCalls;
    private volatile long progressAt = Long.MIN_VALUE;
    volatile Thread worker;
    volatile Scheduler scheduler;
    private Subscription events;

    public ReconcileLoop(LoopConfig config, SpecSource source, Loader loader, Planning planner, HostCheck hostCheck,
            DockerGateway gateway, LongSupplier apiCalls, Clock clock, Random random) {
        this.config = Objects.requireNonNull(config);
        this.source = Objects.requireNonNull(source);
        this.loader = Objects.requireNonNull(loader);
        this.planner = Objects.requireNonNull(planner);
        this.hostCheck = Objects.requireNonNull(hostCheck);
        this.gateway = Objects.requireNonNull(gateway);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.queue = new PassQueue(new Backoff(config.backoffMin(), config.backoffMax(), random));
        this.lease = new Lease(gateway, config.leaseName(), config.instanceId(), config.leaseTtl(), clock);
        this.metrics = new Metrics(apiCalls, clock::millis);
        this.apiCalls = apiCalls;
        this.claims = new ClaimKeeper(gateway, clock, ClaimKeeper.ttl(config.interval()));
        this.startedAt = clock.instant();
        publishStatus();
    }

    public Metrics metrics() {
        return metrics;
    }

    public LoopStatus status() {
        return status;
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
        if (passStarted != Long.MIN_VALUE) {
            // A pass is under way and not stuck (failure() applies the progress rule): a long
            // replacement must not get the controller restarted by its liveness probe mid-way.
            return true;
        }
        Instant now = clock.instant();
        Duration limit = config.interval().multipliedBy(3);
        PassReport p = lastPass;
        Instant last = p == null ? startedAt : p.started().plusMillis(p.millis());
        long waiting = passNotBefore;
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
        String why = died;
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
        return stuckPass();
    }

    /** The least time a pass may go without progress before the loop counts as stuck. */
    public static final Duration MIN_PASS_TIMEOUT = Duration.ofMinutes(2);

    /**
     * How long a pass may go without progress (from its start, or from the last Docker API call
     * it sent): max(3 × interval, 2 min). Every Docker call has a 60 s response timeout (a
     * container replace's stop waits out the container's stop timeout within it), so a pass that
     * works sends one well within that; a pass with many steps may run longer in total. A call
     * that never returns (a Git fetch, a wedged file system) would otherwise hold the loop, and
     * any lease it took, for ever: the lease's renewals run on their own thread.
     */
    public Duration passTimeout() {
        Duration three = config.interval().multipliedBy(3);
        return three.compareTo(MIN_PASS_TIMEOUT) > 0 ? three : MIN_PASS_TIMEOUT;
    }

    /**
     * Why the pass in progress counts as stuck (no progress for longer than {@link #passTimeout()}),
     * or null. Progress is sampled: a call count that changed since the last look (the watchdog
     * looks every second) counts from then.
     */
    private String stuckPass() {
        long since = passStarted;
        if (since == Long.MIN_VALUE) {
            return null;
        }
        long now = millis();
        long calls = apiCalls.getAsLong();
        if (calls != progressCalls) {
            progressCalls = calls;
            progressAt = now;
        }
        long quietSince = Math.max(since, progressAt);
        long quiet = now - quietSince;
        Duration limit = passTimeout();
        if (quiet <= limit.toMillis()) {
            return null;
        }
        return "a pass has made no progress for " + quiet / 1000 + " s (it started at " + Instant.ofEpochMilli(since)
                + (quietSince > since ? ", last Docker call seen at " + Instant.ofEpochMilli(quietSince) : "")
                + "), longer than the pass timeout of " + limit.toSeconds() + " s: it is stuck" + stuckIn();
    }

    /** Where the worker waits: its innermost frame outside the JDK, for the log line. */
    private String stuckIn() {
        Thread w = worker;
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

    /**
     * Readiness: true once a spec has been loaded and the daemon read: the loop knows what to do.
     * It stays true while fetches fail: the last good revision is still enforced.
     */
    public boolean ready() {
        return running && ready;
    }

    // ------------------------------------------------------------------ lifecycle

    /** Subscribes to Docker events, starts the timers and the worker; the first pass runs at once. */
    public synchronized void start() throws SchedulerException {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::work, "stackwire-loop");
        worker.start();
        request(Trigger.START, Duration.ZERO);
        subscribe();
        scheduler = startScheduler();
    }

    /** Opens the Docker event stream; without one the cache is never trusted and every pass observes. */
    void subscribe() {
        try {
            events = gateway.events(new Events());
        } catch (UnsupportedOperationException e) {
            LOG.warn("no Docker event stream; relying on --interval and --resync only");
        }
    }

    /**
     * Stops cleanly: no new passes, the timers stop, the event stream closes, and the pass in
     * progress (if any) finishes its steps before this returns.
     */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        stopping = true;
        if (scheduler != null) {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                LOG.warn("stopping the scheduler: {}", e.getMessage());
            }
        }
        if (events != null) {
            events.close();
        }
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            // The pass in progress finishes its steps; a stuck one is given up (and interrupted).
            while (worker.isAlive()) {
                worker.join(200);
                if (worker.isAlive() && stuckPass() != null) {
                    LOG.warn("not waiting for the stuck pass: {}", stuckPass());
                    worker.interrupt();
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            claims.withdraw(); // a controller that stops no longer asserts its spec: the other may go ahead
        } catch (GatewayException e) {
            LOG.warn("removing the conflict claim: {}; it lapses by itself", e.getMessage());
        }
        running = false;
        publishStatus();
    }

    /** Asks for a pass within {@code delay}; requests coalesce. */
    public void request(Trigger trigger, Duration delay) {
        lock.lock();
        try {
            queue.request(trigger, millis(), delay);
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private long millis() {
        return clock.millis();
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
                        long wait = queue.waitMillis(millis());
                        if (wait == 0) {
                            w = queue.take(millis());
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
                passStarted = millis();
                try {
                    r = runPass(w);
                } catch (Throwable e) {
                    // runPass contains what the pass throws; this is for its bookkeeping (status, metrics, log).
                    LOG.error("pass failed unexpectedly", e);
                    r = new PassReport(Outcome.ERROR, "", w.triggers(), clock.instant(), 0, 0, 0,
                            List.of(), "internal error: " + describe(e));
                    cacheDirty = true;
                }
                passStarted = Long.MIN_VALUE;
                finished(r);
            }
        } catch (InterruptedException e) {
            if (!stopping) {
                died = "the loop's worker thread was interrupted";
            }
        } catch (Throwable e) {
            died = "the loop's worker thread failed: " + describe(e);
            LOG.error("the loop cannot go on", e);
        } finally {
            if (!stopping && died == null) {
                died = "the loop's worker thread ended";
            }
        }
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

    /**
     * Schedules what follows a pass: a failure retries after the backoff, a busy lease shortly;
     * anything else (plan errors too) waits for the next timer, event or webhook.
     */
    void finished(PassReport r) {
        lock.lock();
        try {
            long now = millis();
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

    private int fetchFailures() {
        lock.lock();
        try {
            return queue.fetchFailures();
        } finally {
            lock.unlock();
        }
    }

    /** Milliseconds until the next pass may start, or -1 when none is asked for. */
    long nextPassIn() {
        lock.lock();
        try {
            return queue.waitMillis(millis());
        } finally {
            lock.unlock();
        }
    }

    private Scheduler startScheduler() throws SchedulerException {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "stackwire-" + config.instanceId());
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        Scheduler s = new StdSchedulerFactory(p).getScheduler();
        s.setJobFactory((bundle, sched) -> new Tick(this, (Trigger) bundle.getJobDetail().getJobDataMap().get("trigger")));
        schedule(s, Trigger.INTERVAL, config.interval());
        schedule(s, Trigger.RESYNC, config.resync());
        s.start();
        return s;
    }

    /** Fires every {@code every}, first after one period plus up to 10% jitter so a fleet spreads out. */
    private void schedule(Scheduler s, Trigger trigger, Duration every) throws SchedulerException {
        var job = JobBuilder.newJob(Tick.class).withIdentity(trigger.name()).build();
        job.getJobDataMap().put("trigger", trigger);
        long jitter = (long) (random.nextDouble() * every.toMillis() / 10);
        var t = TriggerBuilder.newTrigger().withIdentity(trigger.name())
                .startAt(new java.util.Date(clock.millis() + every.toMillis() + jitter))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(every.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount()) // missed ticks coalesce
                .build();
        s.scheduleJob(job, t);
    }

    /** A Quartz tick only asks for a pass; the pass itself runs on the loop's worker. */
    @DisallowConcurrentExecution
    static final class Tick implements Job {
        private final ReconcileLoop loop;
        private final Trigger trigger;

        Tick(ReconcileLoop loop, Trigger trigger) {
            this.loop = loop;
            this.trigger = trigger;
        }

        @Override
        public void execute(JobExecutionContext context) {
            loop.request(trigger, Duration.ZERO);
        }
    }

    // ------------------------------------------------------------------ events

    private final class Events implements EventListener {
        @Override
        public void onEvent(DockerEvent e) {
            if (concerns(e)) {
                if (e.type() == DockerEvent.Type.CONTAINER) {
                    touched.add(e.actorId().isEmpty() ? e.actorName() : e.actorId());
                } else if (e.container() != null) {
                    touched.add(e.container());
                } else {
                    touched.add(""); // a network event: the network list is read again, no container
                }
                metrics.event();
                request(Trigger.EVENT, config.debounce());
            }
        }

        @Override
        public void onResyncNeeded(String why) {
            cacheDirty = true;
            request(Trigger.STREAM, Duration.ZERO);
        }

        @Override
        public void onDisconnected(String why, long retryInMillis) {
            cacheDirty = true; // until it is back, nothing tells us about changes
            LOG.warn("Docker event stream lost ({}); reconnecting in {} ms", why, retryInMillis);
        }
    }

    /**
     * Whether an event touches a name the spec mentions, a container a {@code select:} entry matches
     * (by the name and labels the event carries, or as last observed), a managed network not of
     * another repository, or a spec'd container's ID. Decided from the event and the cache alone:
     * an event about any other container costs no Docker call.
     */
    boolean concerns(DockerEvent e) {
        DesiredState d = watched;
        if (d == null) {
            return true;
        }
        LiveState live = cache;
        String claimer = e.type() == DockerEvent.Type.NETWORK ? PeerClaim.controllerOf(e.actorName()) : null;
        if (claimer != null) {
            return !claimer.equals(controllerName(d)); // another controller's claim came, went or was renewed
        }
        if (e.type() == DockerEvent.Type.CONTAINER) {
            if (d.containers().containsKey(e.actorName()) || selected(d, e.actorName(), e.attributes())) {
                return true;
            }
            // Known by ID: a rename away from a spec'd name, a replica that no longer matches.
            return live != null && live.containers().values().stream()
                    .anyMatch(c -> c.id().equals(e.actorId()) && (d.containers().containsKey(c.name()) || selected(d, c.name(), c.labels())));
        }
        if (e.network() != null && d.networks().containsKey(e.network())) {
            return true;
        }
        if (live != null) {
            LiveNetwork n = e.network() == null ? null : live.network(e.network());
            if (n != null && n.managed() && (n.owner() == null || n.owner().equals(d.owner()))) {
                return true; // another repository's network never changes this repository's plan
            }
            return e.container() != null && live.containers().values().stream()
                    .anyMatch(c -> c.id().equals(e.container()) && (d.containers().containsKey(c.name()) || selected(d, c.name(), c.labels())));
        }
        return false;
    }

    private static boolean selected(DesiredState d, String name, Map<String, String> labels) {
        for (ContainerSpec entry : d.selectors().values()) {
            if (entry.selector().matches(name, labels)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ one pass

    /** Runs one pass synchronously. Tests call it directly; the worker is the only other caller. */
    PassReport runPass(PassQueue.Work work) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        PassReport r;
        try {
            r = pass(work, started);
        } catch (Throwable e) { // an Error too: an OutOfMemoryError on a hostile spec must not end the loop
            LOG.error("pass failed unexpectedly", e);
            cacheDirty = true;
            metrics.error("internal");
            r = report(Outcome.ERROR, 0, 0, List.of(), "internal error: " + describe(e));
        }
        String message = r.message();
        Instant failingSince = fetchFailingSince;
        if (failingSince != null && r.outcome().ok() && desired != null) {
            // The pass did its job against the last good revision: not a failed pass, but say so.
            message = (message.isEmpty() ? "" : message + "; ") + "fetch failing since " + failingSince
                    + ", revision " + shortRevision(desired.revision()) + " still enforced";
        }
        r = new PassReport(r.outcome(), r.revision(), work.triggers(), started,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), r.steps(), r.applied(), r.failures(), message);
        lastPass = r;
        ready = desired != null && cache != null;
        if (r.outcome().ok() && r.outcome() != Outcome.NO_SPEC) {
            lastSuccess = started.plusMillis(r.millis());
        }
        metrics.pass(r);
        if (passPlan != null) {
            metrics.gauges(PlanGauges.of(r.outcome(), passPlan, passResult));
        }
        publishStatus();
        log(r);
        return r;
    }

    private PassReport pass(PassQueue.Work work, Instant started) {
        passPlan = null;
        passResult = null;
        // Only the queue decides when to fetch: a failed fetch is retried after its own backoff,
        // while event passes go on against the last good revision without waiting for Git.
        if (work.fetch()) {
            fetch();
        }
        if (desired == null) {
            String why = sourceError != null ? "cannot read the spec: " + sourceError
                    : "no valid spec yet: revision " + rejectedRevision + " has errors";
            return report(sourceError != null ? Outcome.ERROR : Outcome.NO_SPEC, 0, 0, List.of(), why);
        }
        LiveState live;
        try {
            live = observe(work.observe());
            daemonError = null;
        } catch (GatewayException e) {
            cacheDirty = true;
            daemonError = e.getMessage();
            metrics.error("daemon");
            return report(Outcome.ERROR, 0, 0, List.of(), e.getMessage());
        }
        PlanPolicy policy = PlanPolicy.from(desired.policy());
        if (config.selfHeal()) {
            policy = new PlanPolicy(policy.prune(), true, false, Set.of());
        }
        // Nobody confirms a loop pass: replacements under replace: plan-only are reported, not performed.
        policy = policy.unattended(true);
        // As plan/apply do: a wanted host port held by a process on this host stops the replace in
        // the plan, instead of a replace that Docker cannot start (and then rolls back) every pass.
        policy = policy.withHost(hostCheck.probe(desired, live));
        // Another controller of this repository that made a network a moment ago from a spec that
        // disagrees is not replaced back every pass: held and reported (conflict-other-revision).
        // Their conflict claims (listed with the networks, so free to read) say which of them still assert their spec.
        Duration quiet = peerQuietOverride != null ? peerQuietOverride : peerQuiet(config.interval());
        policy = policy.withPeers(new PlanPolicy.Peers(controllerName(desired), clock.instant(), quiet, PeerClaim.of(live)));
        Plan plan;
        try {
            plan = planner.plan(desired, live, policy);
        } catch (Throwable e) { // an Error too: a revision that breaks the planner must not stop the loop
            return rejectUnplannable(e);
        }
        planned = desired;
        passPlan = plan;
        noticesFrom(plan);
        keepClaim(plan, live);
        logPlanErrors();
        // Error notices are no failure of the controller: what else was planned is applied, and
        // the pass reports PLAN_ERRORS (not converged) without backing off.
        Outcome done = plan.hasErrors() ? Outcome.PLAN_ERRORS : null;
        String refused = plan.errors() + " plan error(s): part of the spec is refused";
        if (plan.steps().isEmpty()) {
            held = null;
            convergedRevision = desired.revision();
            return done != null ? report(done, 0, 0, List.of(), refused) : report(Outcome.NO_CHANGES, 0, 0, List.of(), "");
        }
        if (desired.revision().equals(convergedRevision)) {
            metrics.drift();
        }
        int steps = plan.steps().size();
        if (config.dryRun()) {
            held = "dry-run: " + steps + " step(s) planned, not applied";
            return report(Outcome.DRY_RUN, steps, 0, List.of(), held);
        }
        MassDelete mass = MassDelete.of(plan, live, desired);
        if (mass.exceeds(config.maxDeleteRatio()) && !config.allowMassDelete()) {
            if (!MassDelete.confirmedBy(desiredMessage)) {
                held = mass.message();
                return report(Outcome.HELD, steps, 0, List.of(), held);
            }
            LOG.info("revision {} confirms removing {} of {} managed networks ({} trailer)", shortRevision(desired.revision()),
                    mass.removed(), mass.managed(), MassDelete.TRAILER);
        }
        held = null;
        Lease.Attempt attempt;
        try {
            attempt = lease.tryAcquire();
        } catch (GatewayException e) {
            cacheDirty = true;
            return report(Outcome.ERROR, steps, 0, List.of(), "lease: " + e.getMessage());
        }
        if (!attempt.acquired()) {
            return report(Outcome.LEASE_BUSY, steps, 0, List.of(), attempt.describe() + "; retrying shortly");
        }
        List<String> failures = new ArrayList<>();
        ApplyResult result;
        Lease.Keeper keeper = lease.keep(attempt);
        try {
            // Each step first checks that the lease is still ours (renewed every TTL/3).
            result = new Executor(keeper.guard(gateway), config.parallelism()).applyFresh(stamped(plan), live, null);
            passResult = result;
            result.results().stream().filter(s -> !s.ok())
                    .forEach(s -> failures.add(s.step().describe() + ": " + s.status() + ": " + s.message()));
            // A change that failed half-way was undone; say what came back and what could not.
            result.rollbacks().forEach(s -> failures.add("rollback " + s.step().describe() + ": " + s.status()
                    + (s.message().isEmpty() ? "" : ": " + s.message())));
            try {
                // Verified by reading again only what the plan touched: the network list and the
                // containers of its steps. Events about other things were queued in `touched`.
                LiveState after = gateway.refresh(live, stepContainers(plan));
                cache = after;
                failures.addAll(Verifier.verify(result, after));
            } catch (GatewayException e) {
                cacheDirty = true;
                failures.add("verify: cannot read the daemon after applying: " + e.getMessage());
            }
        } finally {
            try {
                if (!keeper.release()) {
                    failures.add("lease: " + keeper.lost() + "; another controller may have applied too");
                }
            } catch (GatewayException e) {
                LOG.warn("releasing the lease {}: {}", lease.name(), e.getMessage());
            }
        }
        int applied = (int) result.count(StepResult.Status.APPLIED);
        metrics.changesApplied(appliedByAction(plan, result));
        lastApply = clock.instant() + " revision " + desired.revision() + ": " + result.summary()
                + (failures.isEmpty() ? " Verified." : " " + failures.size() + " problem(s).");
        if (!failures.isEmpty()) {
            metrics.error("apply");
            return report(Outcome.FAILED, steps, applied, failures, result.summary());
        }
        convergedRevision = desired.revision();
        return done != null ? report(done, steps, applied, List.of(), result.summary() + " " + refused + ".")
                : report(Outcome.APPLIED, steps, applied, List.of(), result.summary());
    }

    /**
     * The planner threw on the revision in force: that revision is rejected like one with spec
     * errors (not loaded again) and the last revision that planned stays, or none.
     */
    private PassReport rejectUnplannable(Throwable e) {
        String rev = desired.revision();
        LOG.error("revision " + rev + " cannot be planned", e);
        metrics.error("internal");
        rejectedRevision = rev;
        specErrors = List.of(new LoopStatus.ErrorView("spec", rev, null, 0, 0,
                "internal error while planning: " + describe(e), "revert or fix the commit; please report it with the spec"));
        boolean fallBack = planned != null && !planned.revision().equals(rev);
        desired = fallBack ? planned : null;
        desiredMessage = "";
        watched = desired;
        cacheDirty = true;
        return report(Outcome.ERROR, 0, 0, List.of(), "revision " + rev + " rejected: internal error while planning ("
                + describe(e) + "); " + (fallBack ? "keeping revision " + planned.revision() : "no revision in force"));
    }

    /** Changes with at least one step applied, counted by the change's action ("connect": 3). */
    static Map<String, Long> appliedByAction(Plan plan, ApplyResult result) {
        return result.results().stream().filter(s -> s.status() == StepResult.Status.APPLIED)
                .map(s -> s.step().change()).distinct()
                .collect(java.util.stream.Collectors.groupingBy(
                        i -> plan.changes().get(i).action().name().toLowerCase(java.util.Locale.ROOT),
                        java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private PassReport report(Outcome outcome, int steps, int applied, List<String> failures, String message) {
        return new PassReport(outcome, currentRevision(), Set.of(), clock.instant(), 0, steps, applied, failures, message);
    }

    private String currentRevision() {
        return desired == null ? "" : desired.revision();
    }

    /**
     * Fetches; a failed fetch keeps the last good snapshot. A revision whose spec has errors is
     * rejected whole (the last good desired state stays) and, for a real commit, not loaded again:
     * it cannot get better until the revision changes. A local folder's revision never changes,
     * so it is re-read on each fetch (cheap, and only once per interval).
     */
    private void fetch() {
        Snapshot s;
        long t0 = System.nanoTime();
        try {
            s = source.fetch();
            fetchedOk(t0);
        } catch (RevisionException e) {
            // The server answered; its revision cannot be read as a spec (--path gone): that is an
            // error of that revision, shown with it, and no reason to fetch less often.
            fetchedOk(t0);
            reject(e.revision(), List.of(new LoopStatus.ErrorView("spec", e.revision(), null, 0, 0, e.getMessage(), "")));
            snapshot = null; // whatever comes next is loaded afresh, the last good revision too
            return;
        } catch (SourceException e) {
            if (fetchFailingSince == null) {
                fetchFailingSince = clock.instant();
                LOG.warn("fetch failed: {}; still enforcing {}, retrying with backoff", e.getMessage(),
                        desired == null ? "nothing (no valid revision yet)" : "revision " + shortRevision(desired.revision()));
            }
            sourceError = e.getMessage();
            metrics.fetched((System.nanoTime() - t0) / 1e9, false, null);
            metrics.error("source");
            queueFetched(false);
            return;
        }
        fetchedRevision = s.revision();
        metrics.fetchedRevision(fetchedRevision);
        boolean local = s.revision().startsWith("local:");
        boolean same = snapshot != null && snapshot.equals(s);
        snapshot = s;
        if (!local && (s.revision().equals(rejectedRevision) || (same && desired != null))) {
            return;
        }
        LoadResult load;
        try {
            load = loader.load(s.root(), config.host());
        } catch (Throwable e) { // an Error too: an OutOfMemoryError on a hostile spec is this revision's fault
            LOG.error("loading revision " + s.revision() + " failed", e);
            load = new LoadResult(null, List.of(Diagnostic.error("internal-error", new SourceRef("", 0, 0),
                    "internal error while loading the spec: " + describe(e), "revert or fix the commit; please report it with the spec")));
        }
        if (load.hasErrors() || load.state() == null) {
            reject(s.revision(), load.diagnostics().stream().filter(Diagnostic::isError)
                    .map(d -> new LoopStatus.ErrorView("spec", s.revision(), s.shownPath(d.source().file(), Path.of("")), d.source().line(),
                            d.source().column(), d.message(), d.hint()))
                    .toList());
            return;
        }
        rejectedRevision = null;
        specErrors = List.of();
        if (desired == null || !desired.revision().equals(s.revision())) {
            var line = LOG.atInfo().addKeyValue("event", "revision").addKeyValue("revision", s.revision());
            if (desired != null) {
                line = line.addKeyValue("previous", desired.revision());
            }
            line.log("revision {} loaded{}", shortRevision(s.revision()),
                            desired == null ? "" : " (was " + shortRevision(desired.revision()) + ")");
        }
        DesiredState st = load.state();
        desired = st.withRevision(s.revision()).withOwner(RepoIdentity.resolve(st.policy(), s));
        desiredMessage = s.message();
        watched = desired;
    }

    private void fetchedOk(long t0) {
        if (fetchFailingSince != null) {
            LOG.info("fetch works again (failing since {})", fetchFailingSince);
        }
        fetchFailingSince = null;
        sourceError = null;
        lastFetchSuccess = clock.instant();
        metrics.fetched((System.nanoTime() - t0) / 1e9, true, lastFetchSuccess);
        queueFetched(true);
    }

    private void queueFetched(boolean ok) {
        lock.lock();
        try {
            queue.fetched(ok, millis());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rejects a revision whole: its errors replace whatever was shown (they belong to it, the
     * newest revision), the last good desired state stays. Logged once per revision.
     */
    private void reject(String revision, List<LoopStatus.ErrorView> errors) {
        fetchedRevision = revision;
        metrics.fetchedRevision(revision);
        if (revision.equals(rejectedRevision) && errors.equals(specErrors)) {
            return;
        }
        rejectedRevision = revision;
        specErrors = errors;
        metrics.error("spec");
        LOG.warn("revision {} rejected: {} error(s); keeping {}", revision, errors.size(),
                desired == null ? "nothing (no valid revision yet)" : "revision " + desired.revision());
        errors.forEach(e -> LOG.warn("  {}", e.text()));
    }

    /**
     * The cached observation unless a resync, a failure or a lost event stream says to read the
     * daemon again (only what the spec needs in full, {@link ObserveScope}); after events, the
     * cache with what they named read again. The event stream tells about every change to a
     * container's networking (create, start, rename, destroy, connect, disconnect), so the cache
     * plus those re-reads is what a full observation would see of everything the plan judges;
     * the resync timer catches anything an event could not.
     */
    private LiveState observe(boolean force) throws GatewayException {
        boolean streamUp = events != null && events.connected();
        if (force || cacheDirty || cache == null || !streamUp) {
            cacheDirty = false; // events arriving during the observe set it again
            touched.clear();
            DesiredState scopeOf = desired;
            cache = gateway.observe(() -> scopeOf == null ? ObserveScope.ALL : ObserveScope.of(scopeOf));
        } else if (!touched.isEmpty()) {
            Set<String> named = new TreeSet<>(touched);
            touched.removeAll(named); // events arriving during the read add to it again
            named.remove("");
            cache = gateway.refresh(cache, named);
        }
        return cache;
    }

    /** The containers a plan's steps change (by name): what verification reads again. */
    static Set<String> stepContainers(Plan plan) {
        Set<String> out = new TreeSet<>();
        for (Step s : plan.steps()) {
            if (s.container() != null && !s.container().isEmpty()) {
                out.add(s.container());
            }
        }
        return out;
    }

    /**
     * How long a network another controller instance (or a hand-run apply) made is left alone when
     * this spec disagrees with it: ten minutes, or two fetch intervals when those are longer, so the
     * other side has fetched at least once in between (docs/planning.md, "Two controllers of one
     * repository").
     */
    static Duration peerQuiet(Duration interval) {
        Duration twice = interval.multipliedBy(2);
        return twice.compareTo(PEER_QUIET) > 0 ? twice : PEER_QUIET;
    }

    static final Duration PEER_QUIET = Duration.ofMinutes(10);

    /** Replaces the quiet period (before {@link #start()}); for tests, which cannot wait ten minutes. */
    public void overridePeerQuiet(Duration quiet) {
        peerQuietOverride = Objects.requireNonNull(quiet);
    }

    /**
     * Leaves this controller's claim on the daemon while its plan reports a conflict with another
     * controller (each network it holds off or that another one holds off, with the spec hash this
     * spec wants), renewed every interval; removes it when the conflict is over. No conflict, no
     * Docker call. A dry run writes nothing.
     */
    private void keepClaim(Plan plan, LiveState live) {
        if (config.dryRun()) {
            return;
        }
        Map<String, String> contested = new TreeMap<>();
        for (io.stackwire.reconcile.plan.Notice n : plan.notices()) {
            if (!CONFLICT.equals(n.code()) || n.subject() == null) {
                continue;
            }
            String name = n.subject().name();
            switch (n.subject().kind()) {
                case NETWORK -> {
                    if (desired.networks().containsKey(name)) {
                        contested.put(n.subject().address(), PeerClaim.hashOf(desired.networks().get(name)));
                    }
                }
                case ATTACHMENT -> {
                    io.stackwire.model.ContainerSpec c = desired.containers().get(name);
                    if (c != null) {
                        c.attachments().stream().filter(a -> a.network().equals(n.subject().network())).findFirst()
                                .ifPresent(a -> contested.put(n.subject().address(), PeerClaim.hashOf(a)));
                    }
                }
                default -> { }
            }
        }
        try {
            claims.sync(controllerName(desired), config.instanceId(), Labels.revision(desired.revision()),
                    desired.owner() == null ? "" : desired.owner(), contested, live);
        } catch (GatewayException e) {
            cacheDirty = true;
            LOG.warn("cannot leave the conflict claim on the daemon: {}; the other controller may take over"
                    + " once its quiet period ends", e.getMessage());
        }
    }

    private static final String CONFLICT = "conflict-other-revision";

    /**
     * What this controller enforces, as a stable name: its spec source (repository, ref, path or
     * folder) and host overlay, hashed. The same after a restart, unlike the instance ID, so that a
     * restarted controller with a new commit replaces its own networks at once; two controllers
     * that enforce different things get different names.
     */
    String controllerName(DesiredState d) {
        String host = d != null ? d.host() : config.host() == null ? "" : config.host();
        return Normalizer.sha256Hex(source.describe() + "\n" + host).substring(0, 16);
    }

    /**
     * Stamps this controller's instance ID and stable name on the networks it creates, and on the
     * endpoints it connects (their driver options, with the revision and the time: an endpoint has
     * no labels), so that another controller can tell its work from drift.
     */
    private Plan stamped(Plan plan) {
        List<Step> steps = new ArrayList<>();
        Map<String, String> stamp = Map.of(PeerClaim.STAMP_CONTROLLER, controllerName(desired),
                PeerClaim.STAMP_INSTANCE, config.instanceId(),
                PeerClaim.STAMP_REVISION, Labels.revision(desired.revision()),
                PeerClaim.STAMP_CONNECTED, Long.toString(clock.instant().getEpochSecond()));
        for (Step s : plan.steps()) {
            if (s.op() == StepOp.CONNECT && s.endpoint() != null) {
                s = new Step(s.id(), s.op(), s.network(), s.networkId(), s.container(), s.create(),
                        s.endpoint().withDriverOpts(stamp), s.dependsOn(), s.change());
            }
            if (s.op() == StepOp.CREATE_NETWORK && s.create() != null) {
                NetworkCreate c = s.create();
                Map<String, String> labels = new TreeMap<>(c.labels());
                labels.put(Labels.OWNER, config.instanceId());
                labels.put(Labels.CONTROLLER, controllerName(desired));
                s = new Step(s.id(), s.op(), s.network(), s.networkId(), s.container(),
                        new NetworkCreate(c.name(), c.driver(), c.internal(), c.attachable(), c.ipv6(), c.ipam(),
                                c.options(), labels),
                        s.endpoint(), s.dependsOn(), s.change());
            }
            steps.add(s);
        }
        return plan.withSteps(steps);
    }

    private void noticesFrom(Plan plan) {
        pendingContainers = plan.notices().stream().filter(n -> n.code().equals("pending-container"))
                .map(n -> n.subject() == null ? n.message() : n.subject().name()).toList();
        notices = plan.notices().stream()
                .map(n -> new LoopStatus.NoticeView(n.severity().name().toLowerCase(java.util.Locale.ROOT), n.code(),
                        n.subject() == null ? null : n.subject().address(), n.message()))
                .toList();
        planErrors = plan.notices().stream().filter(n -> n.severity() == io.stackwire.model.Severity.ERROR)
                .map(n -> new LoopStatus.ErrorView("plan", desired.revision(), null, 0, 0, n.message(), n.hint(), n.code(),
                        n.subject() == null ? null : n.subject().address()))
                .toList();
        metrics.plan(plan.notices());
    }

    /**
     * Logs the plan's errors once per revision and set of errors, and once when they clear: a
     * revision that keeps being refused the same way does not repeat them every pass.
     */
    private void logPlanErrors() {
        List<LoopStatus.ErrorView> errors = planErrors;
        String rev = shortRevision(desired.revision());
        String key = errors.isEmpty() ? ""
                : desired.revision() + "\n" + errors.stream().map(e -> e.code() + " " + e.subject()).sorted()
                        .collect(java.util.stream.Collectors.joining("\n")); // not the text: it may say "created 30s ago"
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
        String outcome = r.outcome().name().toLowerCase(java.util.Locale.ROOT);
        PassReport before = lastLogged;
        lastLogged = r;
        boolean quiet = r.applied() == 0 && r.failures().isEmpty() && r.outcome().ok()
                && (r.outcome() == Outcome.NO_CHANGES ? before == null || before.outcome() == Outcome.NO_CHANGES
                        || before.outcome() == Outcome.APPLIED // the no-op pass right after an apply says nothing new
                        : before != null && sameState(before, r));
        org.slf4j.event.Level level = !r.outcome().ok() ? (r.outcome() == Outcome.ERROR ? org.slf4j.event.Level.ERROR
                : org.slf4j.event.Level.WARN) : quiet ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO;
        if (before == null && r.outcome() == Outcome.NO_CHANGES) {
            level = org.slf4j.event.Level.INFO; // the first pass says where the loop stands
        }
        String text = r.outcome() == Outcome.NO_CHANGES && r.failures().isEmpty()
                ? "pass " + r.triggers() + " rev " + rev + ": no changes (" + r.millis() + " ms)"
                : "pass " + r.triggers() + " rev " + rev + ": " + outcome + ", " + r.applied() + " of " + r.steps()
                        + " step(s) applied (" + r.millis() + " ms)" + (r.message().isEmpty() ? "" : ": " + r.message());
        LOG.atLevel(level).addKeyValue("event", "pass").addKeyValue("outcome", outcome).addKeyValue("revision", r.revision())
                .addKeyValue("triggers", String.join(",", r.triggers().stream().map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList()))
                .addKeyValue("steps", r.steps()).addKeyValue("applied", r.applied()).addKeyValue("failures", r.failures().size())
                .addKeyValue("durationMs", r.millis()).log(text);
        r.failures().forEach(f -> LOG.warn("  {}", f));
        Instant now = clock.instant();
        if (level != org.slf4j.event.Level.DEBUG || lastHeartbeat == null) {
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

    /** How often an otherwise quiet loop logs that it is alive (info). */
    static final Duration HEARTBEAT = Duration.ofMinutes(10);

    /** Same outcome, revision, plan size and message: the pass found things as the one before left them. */
    private static boolean sameState(PassReport a, PassReport b) {
        return a.outcome() == b.outcome() && a.revision().equals(b.revision()) && a.steps() == b.steps()
                // A busy lease is retried every 2 s, and its message says until when the holder has it.
                && (a.outcome() == Outcome.LEASE_BUSY || a.message().equals(b.message()));
    }

    private static String shortRevision(String rev) {
        return rev.matches("[0-9a-f]{40}") ? rev.substring(0, 12) : rev;
    }

    private void publishStatus() {
        List<LoopStatus.ErrorView> errors = new ArrayList<>(specErrors);
        errors.addAll(planErrors);
        if (sourceError != null) {
            // No revision: a failed fetch produced none. fetchError and fetchFailingSince say it too.
            errors.add(new LoopStatus.ErrorView("source", null, null, 0, 0, sourceError, ""));
        }
        if (daemonError != null) {
            errors.add(new LoopStatus.ErrorView("daemon", null, null, 0, 0, daemonError, ""));
        }
        PassReport p = lastPass;
        if (p != null) {
            p.failures().forEach(f -> errors.add(new LoopStatus.ErrorView("apply", p.revision(), null, 0, 0, f, "")));
        }
        LoopStatus.LastPass last = p == null ? null : new LoopStatus.LastPass(
                p.outcome().name().toLowerCase(java.util.Locale.ROOT), p.revision(),
                p.triggers().stream().map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList(),
                p.started().toString(), p.millis(), p.steps(), p.applied(), p.failures(), p.message());
        Subscription ev = events;
        status = new LoopStatus(
                desired != null ? desired.host() : config.host(),
                source.describe(),
                config.instanceId(),
                running && !stopping,
                config.dryRun(),
                currentRevision(),
                fetchedRevision,
                startedAt.toString(),
                last,
                p != null && p.outcome().converged(),
                lastSuccess == null ? null : lastSuccess.toString(),
                pendingContainers,
                notices,
                held,
                errors,
                lastApply,
                ev != null && ev.connected(),
                queue.failures(),
                desired == null ? List.of() : ContainerViews.of(desired, cache),
                sourceError,
                fetchFailingSince == null ? null : fetchFailingSince.toString(),
                lastFetchSuccess == null ? null : lastFetchSuccess.toString(),
                fetchFailures());
    }
}
