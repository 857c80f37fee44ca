package io.stackwire.reconcile.plan;

import io.stackwire.model.ContainerSpec;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.PlanContext.Fate;
import io.stackwire.reconcile.plan.PlanContext.Net;
import io.stackwire.reconcile.plan.PlanContext.Owner;
import java.util.Set;
import java.util.TreeSet;

/** {@code destroy}: the networks and attachments of the chosen stacks (docs/planning.md, "Destroy"). */
final class Destroy {

    private final PlanContext cx;
    private final NetworkChanges networkChanges;

    Destroy(PlanContext cx, NetworkChanges networkChanges) {
        this.cx = cx;
        this.networkChanges = networkChanges;
    }

    /**
     * The declared attachments of the chosen stacks' containers and the managed networks of those
     * stacks, as far as they are this repository's to remove; each network kept says why.
     */
    void planDestroy() {
        Set<String> stacks = cx.policy.stacks().isEmpty() ? cx.desiredStacks : cx.policy.stacks();
        checkDestroyStacks();
        for (LiveNetwork ln : cx.live.networks().values()) {
            NetworkSpec spec = cx.desired.networks().get(ln.name());
            String stack = spec != null ? spec.stack() : ln.stack() == null ? "" : ln.stack();
            if (!stacks.contains(stack) || NetworkSpec.isPredefined(ln.name()) || (spec != null && spec.external())) {
                continue;
            }
            ResourceKey key = ResourceKey.network(ln.name());
            if (!ln.managed()) {
                if (spec != null) {
                    cx.notice(NoticeCode.DESTROY_SKIPPED_UNLABELLED, key, stack,
                            "network " + ln.name() + " carries no stackwire labels; destroy leaves it alone");
                }
                continue;
            }
            Owner whose = cx.ownerOf(ln);
            if (whose == Owner.OTHER && spec == null) {
                cx.othersLeftAlone.merge(ln.owner(), 1, Integer::sum);
                continue;
            }
            if (whose == Owner.OTHER) {
                cx.notice(NoticeCode.DESTROY_SKIPPED_OTHER_OWNER, key, stack,
                        "network " + ln.name() + " belongs to another repository (owner " + ln.owner() + "); destroy leaves it alone");
                continue;
            }
            if (whose == Owner.LEGACY && spec == null) {
                cx.notice(NoticeCode.DESTROY_SKIPPED_LEGACY, key, stack,
                        "network " + ln.name() + " of stack '" + stack + "' was made by an earlier stackwire without an owner label"
                                + " and this spec does not declare it, so it may belong to another repository; left alone",
                        "if no repository declares it any more, remove it by hand: docker network rm " + ln.name());
                continue;
            }
            if ("swarm".equals(ln.scope()) && !cx.ownsOverlays) {
                cx.notice(NoticeCode.DESTROY_SKIPPED_SWARM, key, stack,
                        "overlay network " + ln.name() + " is swarm-scoped; only stackwire on the swarm leader removes it");
                continue;
            }
            TreeSet<String> others = new TreeSet<>();
            for (String c : cx.wantedBy.getOrDefault(ln.name(), new TreeSet<>())) {
                if (!stacks.contains(cx.stackOf(c))) {
                    others.add(c);
                }
            }
            if (!others.isEmpty()) {
                cx.notice(NoticeCode.DESTROY_SKIPPED_IN_USE, key, stack,
                        "network " + ln.name() + " is kept: containers " + String.join(", ", others) + " of other stacks still use it");
                continue;
            }
            Net net = new Net(ln.name(), spec, ln);
            net.fate = Fate.REMOVE;
            cx.nets.put(ln.name(), net);
            networkChanges.removeNetwork(net, stack, "destroy requested for stack " + stack);
        }
        for (ContainerSpec spec : cx.desired.containers().values()) {
            LiveContainer lc = cx.live.container(spec.name());
            if (!stacks.contains(spec.stack()) || lc == null) {
                continue;
            }
            for (String network : PlanContext.declaredByNetwork(spec).keySet()) {
                if (NetworkSpec.isPredefined(network)) {
                    // Docker's own networks: leaving `bridge` would cut the container off, and `host`/`none` are modes.
                    continue;
                }
                LiveEndpoint e = lc.endpoint(network);
                Net removed = cx.nets.get(network);
                if (e == null || (removed != null && removed.fate == Fate.REMOVE)) {
                    continue;
                }
                ChangeDraft c = cx.change(ResourceKey.attachment(spec.name(), network), spec.stack(), Action.DISCONNECT);
                c.before = Normalizer.endpoint(e, lc);
                c.reason = "destroy requested for stack " + spec.stack();
                c.endpoints.add(cx.ref(lc, network));
                c.steps.add(PlanContext.disconnect(lc, e));
            }
        }
    }

    /**
     * {@code destroy --stack NAME} for a stack that neither the spec nor any network stackwire
     * manages on the daemon has: a typo, which would otherwise destroy nothing and say so quietly.
     * A stack that left the spec but still has managed networks here is fine: that is how it is cleaned up.
     */
    private void checkDestroyStacks() {
        Set<String> known = new TreeSet<>(cx.desiredStacks);
        for (LiveNetwork ln : cx.live.networks().values()) {
            if (ln.managed() && ln.stack() != null) {
                known.add(ln.stack());
            }
        }
        for (String stack : cx.policy.stacks()) {
            if (known.contains(stack)) {
                continue;
            }
            String close = io.stackwire.model.yaml.Suggest.closest(stack, known);
            cx.notice(NoticeCode.UNKNOWN_STACK, null, stack,
                    "stack '" + stack + "' is neither in the spec nor on any network stackwire manages on this daemon; nothing to destroy for it",
                    close != null ? "did you mean '" + close + "'?"
                            : known.isEmpty() ? "this spec and daemon have no stacks" : "known stacks: " + String.join(", ", known));
        }
    }
}
