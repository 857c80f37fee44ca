package io.stackwire.controller.pass;

import io.stackwire.model.DesiredState;
import io.stackwire.model.yaml.LoadResult;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.apply.Executor;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * One reconciliation pass, stage by stage, as the CLI commands (plan, apply, destroy) and the loop
 * both run it: load the spec, plan it against what was observed (with this machine's host facts),
 * then apply under a lease. Where the stages differ (how the daemon is observed, what guards an
 * apply, how a lease is taken and a loss told, whether the result is verified) the caller says;
 * the order of the Docker calls is the caller's, this runner adds none. No threads: tests call
 * it directly.
 */
public final class PassRunner {

    private final Loader loader;
    private final Planning planner;
    private final HostCheck hostCheck;

    public PassRunner(Loader loader, Planning planner, HostCheck hostCheck) {
        this.loader = Objects.requireNonNull(loader);
        this.planner = Objects.requireNonNull(planner);
        this.hostCheck = Objects.requireNonNull(hostCheck);
    }

    /** The same runner without host facts: for a live state that is not this machine's daemon. */
    public PassRunner withoutHostCheck() {
        return new PassRunner(loader, planner, HostCheck.NONE);
    }

    /** Loads one host's view of a spec folder. */
    public LoadResult load(Path root, String host) {
        return loader.load(root, host);
    }

    /** Validation across every host overlay, for {@code validate} without {@code --host}. */
    public LoadResult validateAll(Path root) {
        return loader.validateAll(root);
    }

    /**
     * The policy with what this machine's host says (ports held by processes, its addresses), so a
     * wanted port held by a process stops a replace in the plan instead of failing in Docker. A
     * destroy creates nothing and needs none.
     */
    public PlanPolicy checkHost(DesiredState desired, LiveState live, PlanPolicy policy) {
        return policy.destroy() ? policy : policy.withHost(hostCheck.probe(desired, live));
    }

    /** Plans with a policy {@link #checkHost checked} already. */
    public Plan plan(DesiredState desired, LiveState live, PlanPolicy policy) {
        return planner.plan(desired, live, policy);
    }

    /**
     * Applies under a lease already taken: {@code apply} gets an executor whose every change first
     * checks that the lease is still ours, and the lease is released afterwards, whatever
     * {@code apply} did or threw (what it reports is said before the release reports a loss).
     */
    public static <R> Leased<R> underLease(HeldLease held, DockerGateway gateway, int parallelism, Function<Executor, R> apply) {
        R result = null;
        boolean kept;
        try {
            result = apply.apply(new Executor(held.guard(gateway), parallelism));
        } finally {
            kept = held.release();
        }
        return new Leased<>(result, kept);
    }

    /** What an apply under the lease returned, and whether the lease was kept throughout. */
    public record Leased<R>(R result, boolean kept) {}
}
