package io.stackwire.reconcile.plan;

import io.stackwire.model.DesiredState;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.Drafts.StepDraft;
import io.stackwire.reconcile.plan.PlanContext.Owner;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One planning computation: runs the pieces of the planner over one {@link PlanContext}, in the
 * order docs/planning.md describes, and assembles the plan. Not reusable, not shared.
 */
final class PlanRun {

    private final PlanContext cx;
    private final NetworkClassifier classifier;
    private final Prune prune;
    private final NetworkChanges networkChanges;
    private final Attachments attachments;
    private final Leftovers leftovers;
    private final Destroy destroy;
    private final AddressSpace addressSpace;
    private final StaticAddresses staticAddresses;

    PlanRun(DesiredState desired, LiveState live, PlanPolicy policy) {
        this(desired, live, policy, new Selection(desired, List.of(), new TreeMap<>()));
    }

    PlanRun(DesiredState desired, LiveState live, PlanPolicy policy, Selection selection) {
        cx = new PlanContext(desired, live, policy, selection);
        PeerConflicts peers = new PeerConflicts(cx);
        classifier = new NetworkClassifier(cx, peers);
        attachments = new Attachments(cx, peers, new Ports(cx));
        networkChanges = new NetworkChanges(cx, peers, attachments);
        prune = new Prune(cx, networkChanges);
        leftovers = new Leftovers(cx);
        destroy = new Destroy(cx, networkChanges);
        addressSpace = new AddressSpace(cx);
        staticAddresses = new StaticAddresses(cx);
    }

    Plan plan() {
        if (cx.policy.destroy()) {
            destroy.planDestroy();
        } else {
            classifier.classifyDeclaredNetworks();
            classifier.classifyReferencedNetworks();
            cx.nets.values().forEach(classifier::checkAttachable);
            prune.planPrune();
            networkChanges.planNetworkChanges();
            addressSpace.checkSubnetsFree();
            attachments.planContainers();
            attachments.planUndeclaredContainers();
            leftovers.planLeftovers();
            staticAddresses.checkAddresses();
        }
        prune.noticeOthersLeftAlone();
        cx.notices.addAll(cx.selection.notices());
        return Drafts.assemble(cx.desired.host(), cx.desired.revision(), dependencies(), cx.changes, cx.notices,
                addressSpace.extraOrder());
    }

    /**
     * What this plan read to decide (see {@link Dependencies}): every network it names or may
     * prune or destroy, with the endpoints on those stackwire may change (on Docker's own networks
     * and on networks it only uses, other containers' endpoints change nothing here), and the
     * declared containers. An unrelated container or network is left out, so it never makes a
     * saved or confirmed plan stale.
     */
    private Dependencies dependencies() {
        TreeSet<String> networks = new TreeSet<>(cx.nets.keySet());
        Set<String> judged = cx.policy.destroy() && !cx.policy.stacks().isEmpty() ? cx.policy.stacks() : cx.desiredStacks;
        for (LiveNetwork ln : cx.observed.networks().values()) {
            // Other repositories' networks are left alone whatever happens to them.
            if (ln.managed() && ln.stack() != null && judged.contains(ln.stack()) && cx.ownerOf(ln) != Owner.OTHER) {
                networks.add(ln.name());
            }
        }
        for (ChangeDraft c : cx.changes) {
            for (StepDraft s : c.steps) {
                if (s.network() != null && !s.network().isEmpty()) {
                    networks.add(s.network());
                }
            }
        }
        TreeSet<String> withEndpoints = new TreeSet<>();
        boolean swarm = false;
        for (String n : networks) {
            LiveNetwork ln = cx.observed.network(n);
            NetworkSpec spec = cx.desired.networks().get(n);
            swarm |= (ln != null && "swarm".equals(ln.scope())) || (spec != null && NetworkSpec.OVERLAY.equals(spec.driver()));
            boolean mayChange = ln != null && ((ln.managed() && cx.ownerOf(ln) != Owner.OTHER) || (spec != null && spec.adopt()));
            if (mayChange && !NetworkSpec.isPredefined(n)) {
                withEndpoints.add(n);
            }
        }
        return Dependencies.of(cx.observed, networks, withEndpoints, cx.desired.containers().keySet(), swarm).with(cx.selection.facts());
    }
}
