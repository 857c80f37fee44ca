package io.stackwire.controller.cli;

import io.stackwire.controller.pass.PassRunner;
import io.stackwire.controller.source.Snapshot;
import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.apply.ApplyResult;
import io.stackwire.reconcile.apply.Executor;
import io.stackwire.reconcile.apply.SlowSteps;
import io.stackwire.reconcile.apply.StalePlanException;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.plan.ResourceKind;
import io.stackwire.reconcile.render.JsonPlan;
import io.stackwire.reconcile.render.PlanFormatException;
import io.stackwire.reconcile.render.PlanSummary;
import io.stackwire.reconcile.render.TextPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Shared by apply and destroy: plan (or read a saved plan), show it, confirm, execute, report. */
final class ApplyFlow {

    static final String PROMPT = "Do you want to perform these actions? Only 'yes' will be accepted:";

    private final Env env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean colour;
    private final LeaseOptions lease;
    private final String owner;

    /** @param owner what the lease says holds it, e.g. {@code apply:edge-1-4242-a1b2c3} */
    ApplyFlow(Env env, PrintWriter out, PrintWriter err, boolean noColor, LeaseOptions lease, String owner) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.colour = env.colour() && !noColor;
        this.lease = lease;
        this.owner = owner;
    }

    /** Plans from the spec, asks, then takes the lease and applies if the daemon has not changed since. */
    int planAndApply(Snapshot root, String host, Function<DesiredState, PlanPolicy> policy, boolean autoApprove, int parallelism) {
        return planAndApply(root, host, policy, autoApprove, parallelism, false);
    }

    int planAndApply(Snapshot root, String host, Function<DesiredState, PlanPolicy> policy, boolean autoApprove, int parallelism,
            boolean denyPublicPorts) {
        try (Workflow.Session session = env.workflow().session()) {
            Workflow.Planned planned;
            try {
                planned = env.workflow().plan(session, root, host, policy, denyPublicPorts);
            } catch (GatewayException e) {
                return Errors.daemon(err, session.describe(), e);
            }
            if (!planned.ok()) {
                return Errors.diagnostics(err, planned.load().diagnostics());
            }
            Errors.warnings(err, planned.load().diagnostics());
            Plan plan = planned.plan();
            out.print(new TextPlan(colour).render(plan));
            if (plan.steps().isEmpty()) {
                return refusals(plan, false);
            }
            warnReplacements(plan);
            if (!confirmed(autoApprove)) {
                return ExitCodes.ERROR;
            }
            // The plan was observed without the lease, and the user may have taken their time: under
            // the lease, it is checked against the daemon again (first by the daemon's events since
            // the observation: one call when nothing it depends on happened). What changed outside
            // the plan's dependencies does not matter; if a dependency changed, the plan is made
            // again and, when it differs, shown and confirmed again (--auto-approve: applied, and said so).
            Replanner replan = now -> env.workflow().replan(planned, policy, now);
            for (int round = 1; ; round++) {
                Attempt a = underLease(session, plan, parallelism, null, autoApprove && round < MAX_REPLANS ? replan : null,
                        !autoApprove ? replan : null, round == 1 ? planned : null);
                if (a.replanned() == null) {
                    return a.exit();
                }
                plan = a.replanned();
                if (plan.steps().isEmpty()) {
                    return refusals(plan, false);
                }
                warnReplacements(plan);
                if (!confirmed(false)) {
                    return ExitCodes.ERROR;
                }
            }
        }
    }

    /** Re-plans of one apply under --auto-approve before it gives up (the daemon keeps changing). */
    static final int MAX_REPLANS = 3;

    /** Plans the same spec against a newer observation. */
    interface Replanner {
        Plan replan(LiveState now);
    }

    /** How one try under the lease ended: an exit code, or a new plan the user must confirm first. */
    private record Attempt(int exit, Plan replanned) {
        static Attempt done(int exit) {
            return new Attempt(exit, null);
        }
    }

    /**
     * A plan with error notices did not do everything the spec asks: exit 1, naming what was
     * refused, after whatever could be applied safely was applied.
     *
     * @param applied whether steps of this plan were applied before
     */
    private int refusals(Plan plan, boolean applied) {
        if (!plan.hasErrors()) {
            return ExitCodes.OK;
        }
        List<String> refused = new ArrayList<>();
        for (Notice n : plan.notices()) {
            if (n.severity() == Severity.ERROR) {
                refused.add((n.subject() == null ? "" : n.subject().address() + " ") + "[" + n.code() + "]");
            }
        }
        err.println("error: " + Errors.count(refused.size(), "error") + " in the plan above: "
                + (applied ? "everything else was applied, but not " : "nothing could be done for ") + String.join(", ", refused)
                + "; fix the spec or the daemon as the hints say, then apply again.");
        return ExitCodes.ERROR;
    }

    /**
     * Takes the lease, applies after a staleness check, releases; the exit code.
     *
     * @param saved the saved plan's file, or null for a plan made by this run
     * @param applyNew with a dependency changed, plan again and apply the new plan (auto-approve), or null
     * @param askNew with a dependency changed, plan again and hand the new plan back to be confirmed, or null
     * @param fresh what {@code plan} was made from in this process, or null: then the plan is
     *     checked by reading the daemon again, else by the daemon's events since the observation
     */
    private Attempt underLease(Workflow.Session session, Plan plan, int parallelism, Path saved, Replanner applyNew,
            Replanner askNew, Workflow.Planned fresh) {
        DaemonLease held;
        try {
            held = DaemonLease.take(session.gateway(), lease, owner, err);
        } catch (GatewayException e) {
            return Attempt.done(Errors.daemon(err, session.describe(), e));
        }
        if (held == null) {
            return Attempt.done(ExitCodes.ERROR);
        }
        // A lease lost mid-apply makes the run fail, after what the apply said.
        PassRunner.Leased<Attempt> leased = PassRunner.underLease(held, session.gateway(), parallelism,
                executor -> applyHeld(executor, held, session, plan, saved, applyNew, askNew, fresh));
        return leased.kept() ? leased.result() : Attempt.done(ExitCodes.ERROR);
    }

    /** {@link #underLease}'s apply, with the lease held: a stale plan is planned again as asked. */
    private Attempt applyHeld(Executor executor, DaemonLease held, Workflow.Session session, Plan plan, Path saved,
            Replanner applyNew, Replanner askNew, Workflow.Planned fresh) {
        Attempt result;
        try {
            Plan current = plan;
            for (int tries = 1; ; tries++) {
                try {
                    ApplyResult applied;
                    try (SlowSteps progress = SlowSteps.start(ApplyProgress.of(current, out))) {
                        applied = tries == 1 && fresh != null && current == fresh.plan()
                                ? executor.apply(current, fresh.live(), fresh.observedSince(), held.taken(), progress)
                                : executor.apply(current, progress);
                    }
                    result = Attempt.done(report(current, applied));
                    break;
                } catch (StalePlanException e) {
                    Replanner replanner = applyNew != null ? applyNew : askNew;
                    if (saved != null || e.now() == null || replanner == null || tries > MAX_REPLANS) {
                        throw e;
                    }
                    Plan again = replanner.replan(e.now());
                    out.println();
                    out.println("The daemon changed since this plan was made, in what it depends on:");
                    e.changed().forEach(c -> out.println("  " + c));
                    if (again.steps().equals(current.steps()) && errors(again).equals(errors(current))) {
                        out.println("Planned again: the same steps, so they are applied.");
                        out.println();
                        current = again;
                        continue;
                    }
                    out.println("Planned again, and the plan is different:");
                    out.println();
                    out.print(new TextPlan(colour).render(again));
                    if (applyNew == null) {
                        result = new Attempt(ExitCodes.ERROR, again);
                        break;
                    }
                    out.println("Applying the new plan (--auto-approve).");
                    out.println();
                    current = again;
                    applyNew = null; // one more try; if it goes stale again, it is refused below
                }
            }
        } catch (GatewayException e) {
            result = Attempt.done(Errors.daemon(err, session.describe(), e));
        } catch (IllegalArgumentException e) {
            if (saved == null) {
                throw e;
            }
            // Steps that depend on later steps and the like: a hand-edited or corrupt file.
            err.println("error: " + saved + ": not a valid saved plan: " + e.getMessage());
            result = Attempt.done(ExitCodes.ERROR);
        } catch (StalePlanException e) {
            err.println("error: " + e.getMessage());
            err.println(saved != null ? "  Saved plan " + saved + " was not applied; nothing was changed."
                    : "  Nothing was changed; run apply again to plan against the daemon as it is now.");
            result = Attempt.done(ExitCodes.ERROR);
        }
        return result;
    }

    private static List<Notice> errors(Plan plan) {
        return plan.notices().stream().filter(n -> n.severity() == Severity.ERROR).toList();
    }

    /** Applies exactly a saved plan, after checking the daemon still matches what it was made from. */
    int applySaved(Path file, String host, int parallelism) {
        Plan plan;
        try {
            plan = JsonPlan.read(file);
        } catch (PlanFormatException e) {
            err.println("error: " + file + ": " + e.getMessage());
            return ExitCodes.ERROR;
        }
        if (host != null && !host.equals(plan.host())) {
            err.println("error: " + file + " was planned for host " + plan.host() + ", not " + host
                    + "; plan again with --host " + host);
            return ExitCodes.ERROR;
        }
        if (plan.steps().isEmpty()) {
            out.println(PlanSummary.headline(plan));
            return refusals(plan, false);
        }
        // Like Terraform, a saved plan is not printed again: it was shown when it was made.
        out.println("Applying saved plan " + file + " for host " + plan.host()
                + (plan.revision().isEmpty() ? "" : " (revision " + plan.revision() + ")") + ": "
                + PlanSummary.of(plan).line());
        out.println();
        // A saved plan was reviewed when it was made; the fingerprint check replaces the prompt.
        try (Workflow.Session session = env.workflow().session()) {
            // No daemon time is saved with a plan: it is always checked by reading the daemon again.
            return underLease(session, plan, parallelism, file, null, null, null).exit();
        }
    }

    /** Re-creating containers interrupts them: say which, right above the question. */
    private void warnReplacements(Plan plan) {
        List<String> names = new ArrayList<>();
        for (Change c : plan.changes()) {
            if (c.action() == Action.REPLACE && c.key().kind() == ResourceKind.CONTAINER) {
                names.add(c.key().name());
            }
        }
        if (!names.isEmpty()) {
            out.println();
            out.println("Warning: " + Errors.count(names.size(), "container") + " will be re-created to change published ports"
                    + " (stopped, replaced, started; volumes and networks are kept): " + String.join(", ", names));
        }
    }

    private boolean confirmed(boolean autoApprove) {
        if (autoApprove) {
            return true;
        }
        if (!env.prompter().interactive()) {
            err.println("error: refusing to apply without confirmation: there is no terminal to ask on.");
            err.println("  Re-run with --auto-approve to apply unattended, or save the plan with"
                    + " 'stackwire plan --out plan.json', review it, and run 'stackwire apply plan.json'.");
            return false;
        }
        out.println();
        out.print(PROMPT + " ");
        out.flush();
        String answer = env.prompter().readLine();
        if (answer == null || !answer.trim().equals("yes")) {
            err.println("Apply cancelled; nothing was changed.");
            return false;
        }
        out.println();
        return true;
    }

    private int report(Plan plan, ApplyResult result) {
        out.println();
        out.println(result.summary());
        if (!result.converged()) {
            err.println("error: some steps failed; run 'stackwire plan' to see what is left to do.");
            long lost = result.rollbacks().stream().filter(r -> !r.ok()).count();
            if (!result.rollbacks().isEmpty()) {
                err.println(lost == 0 ? "  What those changes had already taken away was put back (the [rollback] lines above)."
                        : "  " + Errors.count(lost, "rollback step") + " failed (above): check those containers' networks by hand.");
            }
            refusals(plan, true);
            return ExitCodes.ERROR;
        }
        return refusals(plan, true);
    }
}
