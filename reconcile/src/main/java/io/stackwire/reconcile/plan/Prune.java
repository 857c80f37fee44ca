package io.stackwire.reconcile.plan;

import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.PlanContext.Fate;
import io.stackwire.reconcile.plan.PlanContext.Member;
import io.stackwire.reconcile.plan.PlanContext.Net;
import io.stackwire.reconcile.plan.PlanContext.Owner;
import java.util.ArrayList;
import java.util.List;

/** Managed networks that left the spec (docs/planning.md, "Prune" and "Ownership"). */
final class Prune {

    private final PlanContext cx;
    private final NetworkChanges networkChanges;
    /** Undeclared networks without an owner label, of stacks this spec does not run: counted into the same notice. */
    private int legacyLeftAlone;

    Prune(PlanContext cx, NetworkChanges networkChanges) {
        this.cx = cx;
        this.networkChanges = networkChanges;
    }

    /** Managed networks that left the spec. */
    void planPrune() {
        for (LiveNetwork ln : cx.live.networks().values()) {
            if (!ln.managed() || NetworkSpec.isPredefined(ln.name()) || cx.desired.networks().containsKey(ln.name())) {
                continue;
            }
            String stack = ln.stack() == null ? "" : ln.stack();
            ResourceKey key = ResourceKey.network(ln.name());
            boolean swarm = "swarm".equals(ln.scope());
            Owner whose = cx.ownerOf(ln);
            if (whose == Owner.OTHER) {
                cx.othersLeftAlone.merge(ln.owner(), 1, Integer::sum);
                continue;
            }
            if (whose == Owner.LEGACY) {
                // Made before networks carried an owner: it may be another repository's, so it is never pruned.
                if (cx.desiredStacks.contains(stack) && !(swarm && !cx.ownsOverlays)) {
                    cx.notice(NoticeCode.LEGACY_NETWORK_NOT_PRUNED, key, stack,
                            "network " + ln.name() + " of stack '" + stack + "' is not in the spec, but it was made by an earlier"
                                    + " stackwire without an owner label, so it may belong to another repository; not removed",
                            "if no repository declares it any more, remove it by hand: docker network rm " + ln.name());
                } else {
                    legacyLeftAlone++;
                }
                continue;
            }
            if (!cx.desiredStacks.contains(stack)) {
                // Another host's stack (a swarm-wide overlay) or a stack this host stopped running: not ours to judge.
                if (!swarm) {
                    cx.notice(NoticeCode.FOREIGN_STACK_NETWORK, key, stack,
                            "network " + ln.name() + " belongs to stack '" + stack + "', which this host's spec does not run; left alone",
                            "run destroy for stack '" + stack + "' to remove it");
                }
                continue;
            }
            if (swarm && !cx.ownsOverlays && cx.members.getOrDefault(ln.name(), List.of()).isEmpty()) {
                continue;
            }
            if (cx.wantedBy.containsKey(ln.name())) {
                cx.notice(NoticeCode.PRUNE_SKIPPED_IN_USE, key, stack,
                        "network " + ln.name() + " is no longer declared but containers " + String.join(", ", cx.wantedBy.get(ln.name()))
                                + " still attach to it; not removed");
                continue;
            }
            if (!cx.policy.prune()) {
                cx.notice(NoticeCode.PRUNE_SKIPPED, key, stack,
                        "network " + ln.name() + " is no longer in the spec; skipped (prune disabled)");
                continue;
            }
            Net net = new Net(ln.name(), null, ln);
            net.fate = Fate.REMOVE;
            net.owned = true;
            cx.nets.put(ln.name(), net);
            String reason = "network is managed by stackwire (stack " + stack + ") but no longer in the spec";
            if (swarm && !cx.ownsOverlays) {
                detachForManager(net, stack, reason);
            } else {
                networkChanges.removeNetwork(net, stack, reason + (swarm ? "; removed swarm-wide once every worker has detached its containers" : ""));
            }
        }
    }

    /**
     * A non-leader's share of removing a swarm overlay: it detaches its own containers, since the
     * leader's removal is refused while any node still uses the network.
     */
    private void detachForManager(Net net, String stack, String reason) {
        for (Member m : cx.members.getOrDefault(net.name, List.of())) {
            if (m.container().labels().containsKey(PlanContext.SWARM_TASK_LABEL)) {
                continue;
            }
            String name = m.container().name();
            ChangeDraft c = cx.change(ResourceKey.attachment(name, net.name), cx.stackOf(name).isEmpty() ? stack : cx.stackOf(name), Action.DISCONNECT);
            c.before = Normalizer.endpoint(m.endpoint(), m.container());
            c.reason = reason + "; this host detaches its own containers, stackwire on the swarm leader removes the network";
            c.endpoints.add(cx.ref(m.container(), net.name));
            c.steps.add(PlanContext.disconnect(m.container(), m.endpoint()));
        }
    }

    /**
     * Other repositories' networks are none of this plan's business: one line says how many were
     * left alone (a warning per network would drown the plan on a shared daemon).
     */
    void noticeOthersLeftAlone() {
        int networks = cx.othersLeftAlone.values().stream().mapToInt(Integer::intValue).sum();
        if (networks == 0 && legacyLeftAlone == 0) {
            return;
        }
        List<String> parts = new ArrayList<>();
        if (networks > 0) {
            int repos = cx.othersLeftAlone.size();
            parts.add(count(networks, "network") + " of " + repos + " other " + (repos == 1 ? "repository" : "repositories"));
        }
        if (legacyLeftAlone > 0) {
            parts.add(count(legacyLeftAlone, "network") + " of other stacks made by an earlier stackwire without an owner label");
        }
        cx.notice(NoticeCode.OTHER_OWNERS_NETWORKS, null, "", String.join(", and ", parts) + " left alone",
                networks > 0 ? "other repositories: " + String.join(", ", cx.othersLeftAlone.keySet()) : "");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
