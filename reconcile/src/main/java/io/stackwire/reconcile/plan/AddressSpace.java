package io.stackwire.reconcile.plan;

import io.stackwire.model.IpAddress;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.Drafts.StepDraft;
import io.stackwire.reconcile.plan.PlanContext.Fate;
import io.stackwire.reconcile.plan.PlanContext.Member;
import io.stackwire.reconcile.plan.PlanContext.Net;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Subnets: networks created where a network that stays holds the space are refused, and creates
 * wait for the removals whose space they reuse (docs/planning.md, "Networks", "Ordering").
 */
final class AddressSpace {

    private final PlanContext cx;

    AddressSpace(PlanContext cx) {
        this.cx = cx;
    }

    /**
     * A network created or re-created in address space that a network staying on the daemon holds:
     * Docker refuses the create ("Pool overlaps with other one on this address space"), for a
     * replacement only once the old network is gone and its containers are off it. Found here, before
     * any change, instead. Space that a network removed in this plan holds is free by the time the
     * create runs ({@link #extraOrder}). Repeats until nothing more is blocked, since a blocked
     * replacement keeps its old space.
     */
    void checkSubnetsFree() {
        boolean again = true;
        while (again) {
            again = false;
            Set<String> removed = cx.stepNetworks(StepOp.REMOVE_NETWORK);
            for (Net net : cx.nets.values()) {
                if (net.fate != Fate.CREATE && net.fate != Fate.REPLACE) {
                    continue;
                }
                TreeSet<String> clashes = new TreeSet<>();
                for (IpamPool pool : net.spec.ipam().pools()) {
                    for (LiveNetwork other : cx.live.networks().values()) {
                        if (other.name().equals(net.name) || removed.contains(other.name()) || !scopeOf(net.spec).equals(other.scope())) {
                            continue;
                        }
                        for (IpamPool held : other.ipam().pools()) {
                            if (subnetsOverlap(pool.subnet(), held.subnet())) {
                                clashes.add(pool.subnet() + " overlaps " + held.subnet() + " of network " + other.name() + " ("
                                        + (other.managed() ? "stackwire's, stack " + other.stack() : "not managed by stackwire") + ")");
                            }
                        }
                    }
                }
                if (clashes.isEmpty()) {
                    continue;
                }
                String verb = net.fate == Fate.REPLACE ? "replaced" : "created";
                net.fate = Fate.BLOCKED;
                ResourceKey key = ResourceKey.network(net.name);
                cx.changes.removeIf(c -> c.key.equals(key));
                cx.notice(NoticeCode.SUBNET_IN_USE, key, net.spec.stack(),
                        "network " + net.name + " cannot be " + verb + ": subnet " + String.join("; ", clashes)
                                + ", which this plan keeps (Docker refuses overlapping pools); not " + verb + ", and attachments to it wait",
                        "give " + net.name + " a free subnet, or let that network go first: stackwire removes it in the same plan"
                                + " when it prunes, destroys or replaces it, otherwise `docker network rm` it");
                again = true;
            }
        }
    }

    /**
     * Orderings the step kinds do not imply, for {@link Drafts#assemble}, each also said in the
     * reason of the change it holds back (the text plan shows no steps): a CREATE_NETWORK waits
     * for the REMOVE_NETWORK of every other network whose pools overlap its own (a rename that keeps
     * the subnet, a subnet moved into another's old space), and a CONNECT with a static address for
     * the DISCONNECT of the container that holds it now. A create without subnets waits for nothing:
     * the daemon takes the first free pool at that moment, so it never collides.
     */
    Map<String, List<String>> extraOrder() {
        Map<String, List<String>> after = new HashMap<>();
        Set<String> removed = cx.stepNetworks(StepOp.REMOVE_NETWORK);
        Set<String> created = cx.stepNetworks(StepOp.CREATE_NETWORK);
        Set<String> leaving = cx.leaving();
        for (ChangeDraft c : cx.changes) {
            for (StepDraft s : c.steps) {
                if (s.op() == StepOp.CREATE_NETWORK) {
                    NetworkSpec spec = cx.desired.networks().get(s.network());
                    for (String r : removed) {
                        LiveNetwork old = cx.live.network(r);
                        if (r.equals(s.network()) || old == null || spec == null || !scopeOf(spec).equals(old.scope())) {
                            continue;
                        }
                        if (spec.ipam().pools().stream().anyMatch(p -> old.ipam().pools().stream().anyMatch(q -> subnetsOverlap(p.subnet(), q.subnet())))) {
                            after.computeIfAbsent(s.key(), k -> new ArrayList<>())
                                    .add(StepDraft.key(StepOp.REMOVE_NETWORK, r, null));
                            c.reason += "; created once network " + r + " is removed, whose address space it reuses";
                            if (created.contains(r)) {
                                // If r's replacement fails, r is put back in its old space (rollback): this
                                // create must not have taken it by then (docs/planning.md, "Rollback").
                                after.get(s.key()).add(StepDraft.key(StepOp.CREATE_NETWORK, r, null));
                            }
                        }
                    }
                } else if (s.op() == StepOp.CONNECT && s.endpoint() != null) {
                    for (Member m : cx.members.getOrDefault(s.network(), List.of())) {
                        String name = m.container().name();
                        if (name.equals(s.container()) || !leaving.contains(name + "\u0000" + s.network())) {
                            continue;
                        }
                        for (String ip : new String[] {s.endpoint().ipv4Address(), s.endpoint().ipv6Address()}) {
                            String address = IpAddress.canonical(ip);
                            if (address != null && StaticAddresses.holds(m.endpoint(), address)) {
                                after.computeIfAbsent(s.key(), k -> new ArrayList<>())
                                        .add(StepDraft.key(StepOp.DISCONNECT, s.network(), name));
                                c.reason += "; connected once " + name + " has left " + address;
                            }
                        }
                    }
                }
            }
        }
        return after;
    }

    /** Local networks share one address space, swarm overlays another. */
    private static String scopeOf(NetworkSpec spec) {
        return NetworkSpec.OVERLAY.equals(spec.driver()) ? "swarm" : "local";
    }

    /** Two CIDRs overlap when either contains the other's first address. */
    static boolean subnetsOverlap(String a, String b) {
        if (a == null || b == null || a.indexOf('/') < 0 || b.indexOf('/') < 0) {
            return false;
        }
        return IpAddress.inSubnet(a.substring(0, a.indexOf('/')), b) || IpAddress.inSubnet(b.substring(0, b.indexOf('/')), a);
    }
}
