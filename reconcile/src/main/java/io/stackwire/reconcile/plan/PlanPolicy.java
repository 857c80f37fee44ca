package io.stackwire.reconcile.plan;

import io.stackwire.model.RepoPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
 * @param peers who is planning and when, to tell a network another controller just made
 *     ({@link Peers#NONE}: nobody in particular, no hold)
 */
public record PlanPolicy(boolean prune, boolean selfHeal, boolean destroy, Set<String> stacks, boolean unattended,
        HostPorts host, Peers peers) {

    /**
     * In an unattended plan, a replacement of a network that another controller (or a
     * hand-run apply) created less than {@code quiet} before {@code now} is held and reported as
     * {@code conflict-other-revision}: two controllers of one repository whose specs disagree would
     * otherwise replace each other's network every pass (docs/planning.md, "Two controllers of one
     * repository"). The clock is read by the caller, so the planner stays pure.
     *
     * @param controller this controller's stable name ({@code io.stackwire.controller} on what it
     *     creates): what it enforces, the same across its restarts, so that a restarted controller
     *     with a new commit replaces its own networks at once
     * @param now when the plan is made
     * @param quiet how long a network made by someone else is left alone; zero never holds
     * @param claims the conflict claims observed on the daemon ({@link PeerClaim#of}), ours
     *     included: a live claim of another controller keeps its network held past the quiet
     *     period, and one that disagrees with a network of ours is reported on our side too
     */
    public record Peers(String controller, Instant now, Duration quiet, List<PeerClaim> claims) {

        public static final Peers NONE = new Peers("", Instant.EPOCH, Duration.ZERO);

        public Peers {
            controller = controller == null ? "" : controller;
            Objects.requireNonNull(now, "now");
            quiet = quiet == null || quiet.isNegative() ? Duration.ZERO : quiet;
            claims = claims == null ? List.of() : List.copyOf(claims);
        }

        public Peers(String controller, Instant now, Duration quiet) {
            this(controller, now, quiet, List.of());
        }

        /**
         * The live claims of other controllers of repository {@code repo} that name the resource
         * at {@code address}: not ours, not lapsed; one per controller, by controller name.
         */
        List<PeerClaim> others(String repo, String address) {
            java.util.Map<String, PeerClaim> latest = new java.util.TreeMap<>();
            if (controller.isEmpty()) {
                return List.of();
            }
            for (PeerClaim c : claims) {
                if (!c.controller().equals(controller) && c.repo().equals(repo == null ? "" : repo)
                        && now.isBefore(c.expires()) && c.resources().containsKey(address)) {
                    // During a renewal both slots are listed: the newer word counts.
                    latest.merge(c.controller(), c, (a, b) -> b.expires().isAfter(a.expires()) ? b : a);
                }
            }
            return List.copyOf(latest.values());
        }

        /** The live claim of controller {@code madeBy} on the resource at {@code address}, or null: that controller still asserts it. */
        PeerClaim asserting(String madeBy, String repo, String address) {
            if (madeBy == null || madeBy.equals(controller)) {
                return null;
            }
            return others(repo, address).stream().filter(c -> c.controller().equals(madeBy)).findFirst().orElse(null);
        }

        /** True when this controller should hold off a network someone else created at {@code created}. */
        boolean holds(String madeBy, Instant created) {
            if (quiet.isZero() || created == null || controller.isEmpty() || controller.equals(madeBy)) {
                return false;
            }
            // A creation time ahead of our clock (skew) counts as just now.
            return now.isBefore(created.plus(quiet));
        }
    }

    public PlanPolicy {
        stacks = stacks == null ? Set.of() : Set.copyOf(new TreeSet<>(stacks));
        host = host == null ? HostPorts.UNKNOWN : host;
        peers = peers == null ? Peers.NONE : peers;
    }

    /** The repository's policy for an attended plan, without host facts or peers. */
    public static PlanPolicy from(RepoPolicy repo) {
        return new PlanPolicy(repo.prune(), repo.selfHeal(), false, Set.of(), false, HostPorts.UNKNOWN, Peers.NONE);
    }

    public static PlanPolicy destroy(Set<String> stacks) {
        return new PlanPolicy(true, false, true, stacks, false, HostPorts.UNKNOWN, Peers.NONE);
    }

    /** The same policy with self-heal on or off. */
    public PlanPolicy withSelfHeal(boolean value) {
        return new PlanPolicy(prune, value, destroy, stacks, unattended, host, peers);
    }

    /** The same policy for a run nobody confirms. */
    public PlanPolicy unattended(boolean value) {
        return new PlanPolicy(prune, selfHeal, destroy, stacks, value, host, peers);
    }

    /** The same policy, planned by {@code who}. */
    public PlanPolicy withPeers(Peers who) {
        return new PlanPolicy(prune, selfHeal, destroy, stacks, unattended, host, who);
    }

    /** The same policy with what a host probe found. */
    public PlanPolicy withHost(HostPorts facts) {
        return new PlanPolicy(prune, selfHeal, destroy, stacks, unattended, facts, peers);
    }
}
