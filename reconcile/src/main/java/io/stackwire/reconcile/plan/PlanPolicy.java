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
 */
public record PlanPolicy(boolean prune, boolean selfHeal, boolean destroy, Set<String> stacks) {

    public PlanPolicy {
        stacks = stacks == null ? Set.of() : Set.copyOf(new TreeSet<>(stacks));
    }

    public static PlanPolicy from(RepoPolicy repo) {
        return new PlanPolicy(repo.prune(), repo.selfHeal(), false, Set.of());
    }

    public static PlanPolicy destroy(Set<String> stacks) {
        return new PlanPolicy(true, false, true, stacks);
    }
}
