package io.stackwire.reconcile.plan;

import io.stackwire.model.IpAddress;
import io.stackwire.model.IpamPool;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.Drafts.StepDraft;
import io.stackwire.reconcile.plan.PlanContext.Fate;
import io.stackwire.reconcile.plan.PlanContext.Member;
import io.stackwire.reconcile.plan.PlanContext.Net;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Static addresses the plan's CONNECTs ask for that someone else holds (docs/planning.md, "Attachments"). */
final class StaticAddresses {

    private final PlanContext cx;

    StaticAddresses(PlanContext cx) {
        this.cx = cx;
    }

    /** A static address one planned CONNECT asks for. */
    private record Take(ChangeDraft change, String container, String network, String address) {}

    /**
     * A static address that another endpoint on the network holds (its configured address, or the
     * one it has now, dynamic or not), that is the network's gateway or an aux address, or that
     * another CONNECT in this plan asks for: Docker refuses the connect ("Address already in use"),
     * or, with the holder stopped, accepts it and the holder cannot start. The attachment gets no
     * steps and an error naming the holder; the rest of the plan goes ahead. A holder that this plan
     * disconnects first frees the address ({@link AddressSpace#extraOrder}). A replacement's own reconnects were
     * checked before it was planned ({@link NetworkChanges#reconnectAddressesFree}). Repeats until stable: a
     * refused reconnect keeps its container on its old address.
     */
    void checkAddresses() {
        boolean again = true;
        while (again) {
            Map<String, List<Take>> takes = takes();
            Set<String> leaving = cx.leaving();
            Map<ChangeDraft, TreeSet<String>> refused = new java.util.LinkedHashMap<>();
            for (List<Take> same : takes.values()) {
                for (Take t : same) {
                    if (t.change().action != Action.CONNECT && t.change().action != Action.RECONNECT) {
                        continue;
                    }
                    List<String> held = holders(t, same, leaving);
                    if (!held.isEmpty()) {
                        refused.computeIfAbsent(t.change(), c -> new TreeSet<>())
                                .add(t.address() + " on " + t.network() + " is " + String.join(", ", held));
                    }
                }
            }
            for (Map.Entry<ChangeDraft, TreeSet<String>> e : refused.entrySet()) {
                ChangeDraft c = e.getKey();
                cx.changes.remove(c);
                String container = c.key.name();
                cx.notice(NoticeCode.ADDRESS_IN_USE, c.key, c.stack,
                        String.join("; ", e.getValue()) + "; " + container + (c.action == Action.CONNECT
                                ? " is not connected to " + c.key.network()
                                : " is not reconnected (it keeps its current endpoint on " + c.key.network() + ")"),
                        "give " + container + " a free address on " + c.key.network() + ", or free this one first (disconnect its holder)");
                dropLeavingNone(container);
            }
            again = !refused.isEmpty();
        }
    }

    private Map<String, List<Take>> takes() {
        Map<String, List<Take>> out = new TreeMap<>();
        for (ChangeDraft c : cx.changes) {
            for (StepDraft s : c.steps) {
                if (s.op() != StepOp.CONNECT || s.endpoint() == null) {
                    continue;
                }
                for (String ip : new String[] {s.endpoint().ipv4Address(), s.endpoint().ipv6Address()}) {
                    String address = IpAddress.canonical(ip);
                    if (address != null) {
                        out.computeIfAbsent(s.network() + "\u0000" + address, k -> new ArrayList<>())
                                .add(new Take(c, s.container(), s.network(), address));
                    }
                }
            }
        }
        return out;
    }

    /** Who holds or takes the address {@code t} asks for, in words; empty when it is free for it. */
    private List<String> holders(Take t, List<Take> same, Set<String> leaving) {
        List<String> out = new ArrayList<>();
        for (Member m : cx.members.getOrDefault(t.network(), List.of())) {
            String name = m.container().name();
            if (!name.equals(t.container()) && holds(m.endpoint(), t.address()) && !leaving.contains(name + "\u0000" + t.network())) {
                out.add("held by container " + name + " (" + (cx.desired.containers().containsKey(name) ? "declared in the spec"
                        : "not managed by stackwire") + ", " + (m.container().running() ? "running" : "stopped, configured with it") + ")");
            }
        }
        Net net = cx.nets.get(t.network());
        if (net != null && net.fate == Fate.KEEP && net.live != null) {
            for (IpamPool p : net.live.ipam().pools()) {
                if (t.address().equals(IpAddress.canonical(p.gateway()))) {
                    out.add("the network's gateway");
                }
                p.auxAddresses().forEach((k, v) -> {
                    if (t.address().equals(IpAddress.canonical(v))) {
                        out.add("the network's aux address " + k);
                    }
                });
            }
        }
        for (Take o : same) {
            if (!o.container().equals(t.container())) {
                out.add("also asked for by container " + o.container() + " in this plan");
            }
        }
        return out;
    }

    static boolean holds(LiveEndpoint e, String address) {
        return address.equals(IpAddress.canonical(e.ipv4Config())) || address.equals(IpAddress.canonical(e.ipv6Config()))
                || address.equals(IpAddress.canonical(e.ipv4Address())) || address.equals(IpAddress.canonical(e.ipv6Address()));
    }

    /** A container that connects nowhere after all must not leave {@code none} either. */
    private void dropLeavingNone(String container) {
        for (ChangeDraft c : cx.changes) {
            for (StepDraft s : c.steps) {
                if (s.op() == StepOp.CONNECT && container.equals(s.container())) {
                    return;
                }
            }
        }
        cx.changes.removeIf(c -> c.action == Action.DISCONNECT && c.key.equals(ResourceKey.attachment(container, "none")));
    }
}
