package io.stackwire.reconcile.apply;

import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.apply.StepResult.Status;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.plan.EventCheck;
import io.stackwire.reconcile.plan.Fingerprint;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.Step;
import io.stackwire.reconcile.plan.StepOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a plan's steps against the daemon. Steps start once every step they depend on succeeded;
 * independent steps run in parallel, at most {@code parallelism} at a time. When a step fails,
 * everything that (transitively) depends on it is skipped and the rest still runs. Races with
 * other actors that leave the wanted state in place (the network exists with our labels, the
 * container is already connected or already gone) count as {@link Status#ALREADY}, not failures.
 */
public final class Executor {

    public static final int DEFAULT_PARALLELISM = 8;

    private final DockerGateway gateway;
    private final StepRunner runner;
    private final int parallelism;

    public Executor(DockerGateway gateway, int parallelism) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.runner = new StepRunner(gateway);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
    }

    /**
     * Applies a plan that may have been made a while ago (a saved plan): re-observes the daemon
     * first and refuses when it no longer matches the state the plan was computed from.
     *
     * @throws StalePlanException when something the plan depends on changed; nothing was changed
     * @throws GatewayException when the daemon cannot be observed; nothing was changed
     */
    public ApplyResult apply(Plan plan, ProgressListener listener) throws StalePlanException, GatewayException {
        // Only what the plan depends on is read in full: a daemon's unrelated containers cost nothing.
        LiveState now = gateway.observe(() -> plan.dependencies().scope());
        check(plan, now);
        return applyFresh(plan, now, listener);
    }

    /**
     * As {@link #apply(Plan, ProgressListener)}, for a plan this process made moments ago from
     * {@code observed}: when the daemon's events from {@code since} to {@code until} (its own
     * clock: the observation's start, and a moment after anyone else could last have changed
     * something, e.g. when the lease was taken) concern nothing the plan depends on
     * ({@link EventCheck}), the plan still holds and is applied at the cost of that one call.
     * Otherwise, or when the gateway cannot tell, it is checked by reading the daemon again, as
     * {@link #apply(Plan, ProgressListener)} does.
     *
     * @param since null when unknown (then the daemon is read again)
     * @param until null when unknown (then the daemon is read again)
     */
    public ApplyResult apply(Plan plan, LiveState observed, java.time.Instant since, java.time.Instant until,
            ProgressListener listener) throws StalePlanException, GatewayException {
        if (observed != null && since != null && until != null && plan.dependencies().recorded()) {
            java.util.Optional<List<io.stackwire.reconcile.daemon.DockerEvent>> events;
            try {
                events = gateway.eventsBetween(since, until);
            } catch (GatewayException e) {
                events = java.util.Optional.empty(); // the read below says what is wrong, if anything
            }
            if (events.isPresent()) {
                List<String> concerns = EventCheck.concerns(plan.dependencies(), events.get());
                if (concerns.isEmpty()) {
                    return applyFresh(plan, observed, listener);
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "since the plan was made: " + String.join("; ", concerns)
                        + "; checking it against the daemon");
            }
        }
        return apply(plan, listener);
    }

    private static final System.Logger LOG = System.getLogger(Executor.class.getName());

    /**
     * Refuses a plan when something it depends on changed in {@code now}. A plan without recorded
     * dependencies (made by an earlier stackwire) depends on the whole daemon.
     *
     * @throws StalePlanException naming each resource that changed
     */
    public static void check(Plan plan, LiveState now) throws StalePlanException {
        if (!plan.dependencies().recorded()) {
            String actual = Fingerprint.of(now);
            if (plan.liveFingerprint().isEmpty() || !plan.liveFingerprint().equals(actual)) {
                throw new StalePlanException(plan.liveFingerprint(), actual);
            }
            return;
        }
        List<String> changed = plan.dependencies().changesIn(now);
        if (!changed.isEmpty()) {
            throw new StalePlanException(plan.liveFingerprint(), plan.dependencies().observedIn(now).fingerprint(), changed, now);
        }
    }

    /**
     * Applies a plan the caller computed moments ago from its own observation, skipping the
     * staleness check (which would only observe the same daemon again). Races that happen in
     * between are still handled step by step. Without the observation every connect checks the
     * container first; prefer {@link #applyFresh(Plan, LiveState, ProgressListener)}.
     */
    public ApplyResult applyFresh(Plan plan, ProgressListener listener) {
        return applyFresh(plan, null, listener);
    }

    /**
     * As {@link #applyFresh(Plan, ProgressListener)}, with the observation the plan was computed
     * from: a container it saw running is connected without inspecting it first (a running
     * container refuses a second connect by itself; a stopped one accepts it silently and keeps
     * its old settings, so stopped ones are still checked).
     *
     * @param observed the plan's observation, or null to check every container before connecting
     */
    public ApplyResult applyFresh(Plan plan, LiveState observed, ProgressListener listener) {
        Objects.requireNonNull(plan, "plan");
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        List<Step> steps = plan.steps();
        checkOrder(steps);
        if (steps.isEmpty()) {
            return new ApplyResult(List.of());
        }
        int n = steps.size();
        StepResult[] results = new StepResult[n];
        boolean[] decided = new boolean[n]; // submitted or skipped
        int[] waitingOn = new int[n];
        List<List<Integer>> dependants = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dependants.add(new ArrayList<>());
        }
        for (Step s : steps) {
            waitingOn[s.id()] = (int) s.dependsOn().stream().distinct().count();
            s.dependsOn().stream().distinct().forEach(d -> dependants.get(d).add(s.id()));
        }
        BlockingQueue<StepResult> done = new LinkedBlockingQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, n), r -> {
            Thread t = new Thread(r, "stackwire-apply");
            t.setDaemon(true);
            return t;
        });
        try {
            int running = 0;
            int finished = 0;
            // Steps are submitted in id order whenever they become ready, so a parallelism of 1
            // runs the plan exactly in listed order.
            for (Step s : steps) {
                if (waitingOn[s.id()] == 0) {
                    decided[s.id()] = true;
                    progress.started(s);
                    pool.execute(() -> done.add(runner.run(s, observed)));
                    running++;
                }
            }
            while (finished < n) {
                StepResult r = take(done);
                running--;
                List<StepResult> settled = new ArrayList<>();
                settled.add(r);
                List<Step> ready = new ArrayList<>();
                for (int i = 0; i < settled.size(); i++) {
                    StepResult s = settled.get(i);
                    results[s.step().id()] = s;
                    finished++;
                    progress.finished(s);
                    for (int d : dependants.get(s.step().id())) {
                        if (decided[d]) {
                            continue;
                        }
                        if (!s.ok()) {
                            decided[d] = true;
                            settled.add(skipped(steps.get(d), s));
                        } else if (--waitingOn[d] == 0) {
                            decided[d] = true;
                            ready.add(steps.get(d));
                        }
                    }
                }
                ready.sort((a, b) -> Integer.compare(a.id(), b.id()));
                for (Step s : ready) {
                    progress.started(s);
                    pool.execute(() -> done.add(runner.run(s, observed)));
                    running++;
                }
                if (running == 0 && finished < n) {
                    throw new IllegalStateException("steps left that can never run; the plan's dependencies are inconsistent");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new ApplyResult(List.of(results), rollback(steps, results, observed, progress));
    }

    /**
     * Undoes what a change that failed half-way took away, so that no container ends an apply with
     * fewer attachments than it had: a network removed to be created anew whose create failed is
     * created again as it was, and an endpoint disconnected on the way to a connect (a reconnect,
     * a replacement) or to a network removal (prune, destroy) that did not happen is connected again
     * with its old config; both are carried by the plan's steps. Disconnects that were the point
     * (self-heal, destroy of an attachment) and steps that found the work already done stay as they are.
     */
    private List<StepResult> rollback(List<Step> steps, StepResult[] results, LiveState observed, ProgressListener progress) {
        Map<String, Step> byKey = new java.util.HashMap<>();
        for (Step s : steps) {
            if (s instanceof Step.OnNetwork n) {
                byKey.put(key(s.op(), n.network(), s instanceof Step.OnContainer c ? c.container() : null), s);
            }
        }
        List<StepResult> out = new ArrayList<>();
        java.util.Set<String> missing = new java.util.HashSet<>();
        for (Step step : steps) {
            if (!(step instanceof Step.RemoveNetwork s) || results[s.id()].status() != Status.APPLIED) {
                continue;
            }
            Step create = byKey.get(key(StepOp.CREATE_NETWORK, s.network(), null));
            if (create == null || results[create.id()].ok()) {
                continue; // removed for good (prune, destroy), or replaced as planned
            }
            if (s.create() == null) {
                missing.add(s.network());
                continue;
            }
            StepResult r = runner.run(new Step.CreateNetwork(s.id(), s.network(), s.create(), List.of(), s.change()), observed);
            out.add(r);
            progress.rolledBack(r);
            if (!r.ok()) {
                missing.add(s.network());
            }
        }
        for (Step step : steps) {
            if (!(step instanceof Step.Disconnect s) || results[s.id()].status() != Status.APPLIED || s.endpoint() == null) {
                continue;
            }
            Step connect = byKey.get(key(StepOp.CONNECT, s.network(), s.container()));
            Step remove = byKey.get(key(StepOp.REMOVE_NETWORK, s.network(), null));
            Step purpose = connect != null ? connect : remove;
            if (purpose == null || results[purpose.id()].ok()) {
                continue;
            }
            out.add(reconnect(s, missing.contains(s.network())));
            progress.rolledBack(out.get(out.size() - 1));
        }
        return out;
    }

    private static String key(StepOp op, String network, String container) {
        return op + "/" + network + "/" + container;
    }

    /** Connects a container again with the endpoint config a DISCONNECT step took away. */
    private StepResult reconnect(Step.Disconnect s, boolean networkGone) {
        Step undo = new Step.Connect(s.id(), s.network(), s.container(), s.endpoint(), List.of(), s.change());
        if (networkGone) {
            return new StepResult(undo, Status.FAILED, "network " + s.network() + " is gone and could not be created again", 0);
        }
        StepResult r = runner.run(undo, null); // a stopped container's old endpoint must be checked first
        EndpointConfig old = s.endpoint();
        if (!r.ok() && (old.ipv4Address() != null || old.ipv6Address() != null)) {
            // On a network created anew its old static address may not fit: rejoin without it.
            Step bare = new Step.Connect(s.id(), s.network(), s.container(), new EndpointConfig(old.aliases(), null, null),
                    List.of(), s.change());
            StepResult again = runner.run(bare, null);
            if (again.ok()) {
                List<String> addresses = java.util.stream.Stream.of(old.ipv4Address(), old.ipv6Address()).filter(Objects::nonNull).toList();
                return new StepResult(bare, again.status(), "without its old static address (" + String.join(", ", addresses)
                        + "), which the network refused: " + r.message(), r.millis() + again.millis());
            }
        }
        return r;
    }

    private static StepResult take(BlockingQueue<StepResult> done) {
        try {
            return done.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying; some steps may still be running", e);
        }
    }

    /** A dependant of a failed (or itself skipped) step: names the step that actually failed. */
    private static StepResult skipped(Step step, StepResult cause) {
        String message = cause.status() == Status.SKIPPED
                ? cause.message()
                : "skipped: depends on failed step " + cause.step().id() + " (" + cause.step().describe() + ")";
        return new StepResult(step, Status.SKIPPED, message, 0);
    }

    /** Steps must be numbered by position and depend only on earlier steps, which also rules out cycles. */
    private static void checkOrder(List<Step> steps) {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s.id() != i) {
                throw new IllegalArgumentException("step at position " + i + " has id " + s.id() + "; ids must be positions");
            }
            for (int d : s.dependsOn()) {
                if (d < 0 || d >= i) {
                    throw new IllegalArgumentException("step " + i + " depends on step " + d + ", which does not come before it");
                }
            }
        }
    }
}
