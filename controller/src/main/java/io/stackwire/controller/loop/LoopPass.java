package io.stackwire.controller.loop;

import io.stackwire.controller.lease.Keeper;
import io.stackwire.controller.lease.Lease;
import io.stackwire.controller.lease.Renewals;
import io.stackwire.controller.loop.PassReport.Outcome;
import io.stackwire.controller.pass.HeldLease;
import io.stackwire.controller.pass.PassRunner;
import io.stackwire.controller.pass.Verifier;
import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.apply.ApplyResult;
import io.stackwire.reconcile.apply.StepResult;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.plan.PeerClaim;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the loop, synchronously, on {@link PassRunner}'s stages: fetch and load, observe
 * (through the event-fed cache), plan with the loop's policy, guard (dry run, mass delete), take
 * the lease (one try), apply, verify; then the bookkeeping for {@code /status}, the metrics and the
 * log. No threads of its own: tests call {@link #run} directly.
 */
final class LoopPass {

    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.loop");

    private final LoopConfig config;
    private final PassRunner runner;
    private final DockerGateway gateway;
    private final Clock clock;
    private final Lease lease;
    private final Renewals renewals;
    private final Metrics metrics;
    private final SpecTracker spec;
    private final LiveCache cache;
    private final StatusBook book;
    private final PassLog log;
    private final PeerStamps peers;
    private final Supplier<Duration> peerQuiet;
    /** Publishes the status with what the loop knows besides the pass (queue, running). */
    private final Runnable publish;

    private String convergedRevision;
    /** The plan the pass in progress made, and what applying it did (null until then). */
    private Plan passPlan;
    private ApplyResult passResult;

    LoopPass(LoopConfig config, PassRunner runner, DockerGateway gateway, Clock clock, Lease lease,
            Renewals renewals, Metrics metrics, SpecTracker spec, LiveCache cache, StatusBook book,
            PeerStamps peers, Supplier<Duration> peerQuiet, Runnable publish) {
        this.config = config;
        this.runner = runner;
        this.gateway = gateway;
        this.clock = clock;
        this.lease = lease;
        this.renewals = renewals;
        this.metrics = metrics;
        this.spec = spec;
        this.cache = cache;
        this.book = book;
        this.log = new PassLog(clock);
        this.peers = peers;
        this.peerQuiet = peerQuiet;
        this.publish = publish;
    }

    /** Runs one pass and does its bookkeeping; whatever the pass throws ends as an ERROR report. */
    PassReport run(PassQueue.Work work) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        PassReport r;
        try {
            r = pass(work);
        } catch (Throwable e) { // an Error too: an OutOfMemoryError on a hostile spec must not end the loop
            LOG.error("pass failed unexpectedly", e);
            cache.dirty();
            metrics.error("internal");
            r = report(Outcome.ERROR, 0, 0, List.of(), "internal error: " + ReconcileLoop.describe(e));
        }
        String message = r.message();
        Instant failingSince = spec.fetchFailingSince();
        DesiredState desired = spec.desired();
        if (failingSince != null && r.outcome().ok() && desired != null) {
            // The pass did its job against the last good revision: not a failed pass, but say so.
            message = (message.isEmpty() ? "" : message + "; ") + "fetch failing since " + failingSince
                    + ", revision " + PassLog.shortRevision(desired.revision()) + " still enforced";
        }
        r = new PassReport(r.outcome(), r.revision(), work.triggers(), started,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), r.steps(), r.applied(), r.failures(), message);
        book.lastPass = r;
        book.ready = spec.desired() != null && cache.get() != null;
        if (r.outcome().ok() && r.outcome() != Outcome.NO_SPEC) {
            book.lastSuccess = started.plusMillis(r.millis());
        }
        metrics.pass(r);
        if (passPlan != null) {
            metrics.gauges(PlanGauges.of(r.outcome(), passPlan, passResult));
        }
        publish.run();
        log.log(r);
        return r;
    }

    private PassReport pass(PassQueue.Work work) {
        passPlan = null;
        passResult = null;
        // Only the queue decides when to fetch: a failed fetch is retried after its own backoff,
        // while event passes go on against the last good revision without waiting for Git.
        if (work.fetch()) {
            spec.fetch();
        }
        DesiredState desired = spec.desired();
        if (desired == null) {
            String why = spec.sourceError() != null ? "cannot read the spec: " + spec.sourceError()
                    : "no valid spec yet: revision " + spec.rejectedRevision() + " has errors";
            return report(spec.sourceError() != null ? Outcome.ERROR : Outcome.NO_SPEC, 0, 0, List.of(), why);
        }
        LiveState live;
        try {
            live = cache.observe(work.observe(), desired);
            book.daemonError = null;
        } catch (GatewayException e) {
            cache.dirty();
            book.daemonError = e.getMessage();
            metrics.error("daemon");
            return report(Outcome.ERROR, 0, 0, List.of(), e.getMessage());
        }
        PlanPolicy policy = policy(desired, live);
        Plan plan;
        try {
            plan = runner.plan(desired, live, policy);
        } catch (Throwable e) { // an Error too: a revision that breaks the planner must not stop the loop
            String why = spec.rejectUnplannable(e);
            cache.dirty();
            return report(Outcome.ERROR, 0, 0, List.of(), why);
        }
        spec.planned();
        passPlan = plan;
        book.noticesFrom(plan, desired);
        metrics.plan(plan.notices());
        if (!peers.keepClaim(plan, live, desired)) {
            cache.dirty();
        }
        log.planErrors(desired.revision(), book.planErrors());
        // Error notices are no failure of the controller: what else was planned is applied, and
        // the pass reports PLAN_ERRORS (not converged) without backing off.
        Outcome done = plan.hasErrors() ? Outcome.PLAN_ERRORS : null;
        String refused = plan.errors() + " plan error(s): part of the spec is refused";
        if (plan.steps().isEmpty()) {
            book.held = null;
            convergedRevision = desired.revision();
            return done != null ? report(done, 0, 0, List.of(), refused) : report(Outcome.NO_CHANGES, 0, 0, List.of(), "");
        }
        if (desired.revision().equals(convergedRevision)) {
            metrics.drift();
        }
        int steps = plan.steps().size();
        String held = guard(plan, live, desired);
        if (held != null) {
            return report(config.dryRun() ? Outcome.DRY_RUN : Outcome.HELD, steps, 0, List.of(), held);
        }
        return apply(plan, live, desired, done, refused);
    }

    /**
     * The loop's policy: the spec's, with self-heal when asked; nobody confirms a loop pass, so
     * replacements under {@code replace: plan-only} are reported, not performed; this host's
     * ports; and the other controllers of this repository.
     */
    private PlanPolicy policy(DesiredState desired, LiveState live) {
        PlanPolicy policy = PlanPolicy.from(desired.policy());
        if (config.selfHeal()) {
            policy = policy.withSelfHeal(true);
        }
        policy = policy.unattended(true);
        // As plan/apply do: a wanted host port held by a process on this host stops the replace in
        // the plan, instead of a replace that Docker cannot start (and then rolls back) every pass.
        policy = runner.checkHost(desired, live, policy);
        // Another controller of this repository that made a network a moment ago from a spec that
        // disagrees is not replaced back every pass: held and reported (conflict-other-revision).
        // Their conflict claims (listed with the networks, so free to read) say which of them still assert their spec.
        return policy.withPeers(new PlanPolicy.Peers(peers.controllerName(desired), clock.instant(), peerQuiet.get(),
                PeerClaim.of(live)));
    }

    /** Why the plan is not applied (a dry run, a mass delete not confirmed), or null to go ahead. */
    private String guard(Plan plan, LiveState live, DesiredState desired) {
        if (config.dryRun()) {
            book.held = "dry-run: " + plan.steps().size() + " step(s) planned, not applied";
            return book.held;
        }
        MassDelete mass = MassDelete.of(plan, live, desired);
        if (mass.exceeds(config.maxDeleteRatio()) && !config.allowMassDelete()) {
            if (!MassDelete.confirmedBy(spec.desiredMessage())) {
                book.held = mass.message();
                return book.held;
            }
            LOG.info("revision {} confirms removing {} of {} managed networks ({} trailer)", PassLog.shortRevision(desired.revision()),
                    mass.removed(), mass.managed(), MassDelete.TRAILER);
        }
        book.held = null;
        return null;
    }

    /** Takes the lease (one try), applies, verifies, releases. */
    private PassReport apply(Plan plan, LiveState live, DesiredState desired, Outcome done, String refused) {
        int steps = plan.steps().size();
        Lease.Attempt attempt;
        try {
            attempt = lease.tryAcquire();
        } catch (GatewayException e) {
            cache.dirty();
            return report(Outcome.ERROR, steps, 0, List.of(), "lease: " + e.getMessage());
        }
        if (!attempt.acquired()) {
            return report(Outcome.LEASE_BUSY, steps, 0, List.of(), attempt.describe() + "; retrying shortly");
        }
        List<String> failures = new ArrayList<>();
        // Each step first checks that the lease is still ours (renewed every TTL/3).
        ApplyResult result = PassRunner.underLease(held(lease.keep(attempt, renewals), failures), gateway,
                config.parallelism(), executor -> {
                    ApplyResult applied = executor.applyFresh(peers.stamped(plan, desired), live, null);
                    passResult = applied;
                    applied.results().stream().filter(s -> !s.ok())
                            .forEach(s -> failures.add(s.step().describe() + ": " + s.status() + ": " + s.message()));
                    // A change that failed half-way was undone; say what came back and what could not.
                    applied.rollbacks().forEach(s -> failures.add("rollback " + s.step().describe() + ": " + s.status()
                            + (s.message().isEmpty() ? "" : ": " + s.message())));
                    // Verified by reading again only what the plan touched: the network list and the
                    // containers of its steps. Events about other things were queued in the cache.
                    Verifier.Verified v = Verifier.readAndVerify(gateway, live, plan, applied);
                    if (v.after() != null) {
                        cache.set(v.after());
                    } else {
                        cache.dirty();
                    }
                    failures.addAll(v.problems());
                    return applied;
                }).result();
        int applied = (int) result.count(StepResult.Status.APPLIED);
        metrics.changesApplied(appliedByAction(plan, result));
        book.lastApply = clock.instant() + " revision " + desired.revision() + ": " + result.summary()
                + (failures.isEmpty() ? " Verified." : " " + failures.size() + " problem(s).");
        if (!failures.isEmpty()) {
            metrics.error("apply");
            return report(Outcome.FAILED, steps, applied, failures, result.summary());
        }
        convergedRevision = desired.revision();
        return done != null ? report(done, steps, applied, List.of(), result.summary() + " " + refused + ".")
                : report(Outcome.APPLIED, steps, applied, List.of(), result.summary());
    }

    /** The loop's hold on the lease: a loss is one more failure of the pass, a failed removal a warning. */
    private HeldLease held(Keeper keeper, List<String> failures) {
        return new HeldLease() {
            @Override
            public DockerGateway guard(DockerGateway inner) {
                return keeper.guard(inner);
            }

            @Override
            public boolean release() {
                try {
                    if (!keeper.release()) {
                        failures.add("lease: " + keeper.lost() + "; another controller may have applied too");
                        return false;
                    }
                } catch (GatewayException e) {
                    LOG.warn("releasing the lease {}: {}", lease.name(), e.getMessage());
                }
                return true;
            }
        };
    }

    /** Changes with at least one step applied, counted by the change's action ("connect": 3). */
    static Map<String, Long> appliedByAction(Plan plan, ApplyResult result) {
        return result.results().stream().filter(s -> s.status() == StepResult.Status.APPLIED)
                .map(s -> s.step().change()).distinct()
                .collect(Collectors.groupingBy(
                        i -> plan.changes().get(i).action().name().toLowerCase(Locale.ROOT),
                        TreeMap::new, Collectors.counting()));
    }

    private PassReport report(Outcome outcome, int steps, int applied, List<String> failures, String message) {
        return new PassReport(outcome, spec.currentRevision(), Set.of(), clock.instant(), 0, steps, applied, failures, message);
    }
}
