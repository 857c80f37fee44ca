package io.stackwire.reconcile.plan;

import io.stackwire.model.RepoPolicy;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the planner may propose.
 *
 * @param prune remove managed networks that left the spec
 * @param selfHeal disconnect containers attached by hand to managed networks
 * @param destroy plan the removal of everything stackwire manages for {@code stacks}
 * @param stacks in destroy mode, the stacks to remove (empty means every stack in the spec)
 * @param unattended nobody reviews this plan before it runs (the controller loop): container
 *     replacements under {@code replace: plan-only} are reported instead of planned
 * @param host what a probe of this machine found (its addresses, host ports in use), or
 *     {@link HostPorts#UNKNOWN} when the daemon is not on this machine or nobody probed
 */
public record PlanPolicy(boolean prune, boolean selfHeal, boolean destroy, Set<String> stacks, boolean unattended,
        HostPorts host) {

    public PlanPolicy {
        stacks = stacks == null ? Set.of() : Set.copyOf(new TreeSet<>(stacks));
        host = host == null ? HostPorts.UNKNOWN : host;
    }

    /** Attended, without host facts: the form from before port reconciliation. */
    public PlanPolicy(boolean prune, boolean selfHeal, boolean destroy, Set<String> stacks) {
        this(prune, selfHeal, destroy, stacks, false, HostPorts.UNKNOWN);
    }

    public static PlanPolicy from(RepoPolicy repo) {
        return new PlanPolicy(repo.prune(), repo.selfHeal(), false, Set.of());
    }

    public static PlanPolicy destroy(Set<String> stacks) {
        return new PlanPolicy(true, false, true, stacks);
    }

    /** The same policy for a run nobody confirms. */
    public PlanPolicy unattended(boolean value) {
        return new PlanPolicy(prune, selfHeal, destroy, stacks, value, host);
    }

    /** The same policy with what a host probe found. */
    public PlanPolicy withHost(HostPorts facts) {
        return new PlanPolicy(prune, selfHeal, destroy, stacks, unattended, facts);
    }
}
