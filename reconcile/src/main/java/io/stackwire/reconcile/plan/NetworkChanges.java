package io.stackwire.reconcile.plan;

import io.stackwire.model.IpAddress;
import io.stackwire.model.Attachment;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.Drafts.StepDraft;
import io.stackwire.reconcile.plan.PlanContext.Fate;
import io.stackwire.reconcile.plan.PlanContext.Member;
import io.stackwire.reconcile.plan.PlanContext.Net;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The network changes: creates, replacements that keep everyone connected, and removals with a
 * DISCONNECT change per container they take off (docs/planning.md, "Networks", "Prune", "Destroy").
 */
final class NetworkChanges {

    private final PlanContext cx;
    private final PeerConflicts peers;
    private final Attachments attachments;

    NetworkChanges(PlanContext cx, PeerConflicts peers, Attachments attachments) {
        this.cx = cx;
        this.peers = peers;
        this.attachments = attachments;
    }

    /** The CREATE and REPLACE changes of the networks classified so, or the notice that refuses a replace. */
    void planNetworkChanges() {
        for (Net net : cx.nets.values()) {
            if (net.fate == Fate.CREATE) {
                ChangeDraft c = cx.change(ResourceKey.network(net.name), net.spec.stack(), Action.CREATE);
                c.after = Normalizer.network(net.spec);
                c.reason = "network is in the spec but not on the daemon"
                        + (NetworkClassifier.isOverlay(net.spec, null) ? "; this swarm leader creates it swarm-wide, every host attaches its own containers" : "");
                c.steps.add(createStep(net.spec));
            } else if (net.fate == Fate.REPLACE) {
                boolean plainCannotJoin = NetworkSpec.OVERLAY.equals(net.spec.driver()) && !net.spec.attachable();
                if (plainCannotJoin && !cx.members.getOrDefault(net.name, List.of()).isEmpty()) {
                    // Its containers could never rejoin: refuse rather than strand them.
                    net.fate = Fate.BLOCKED;
                    cx.notice(NoticeCode.REPLACE_WOULD_STRAND, ResourceKey.network(net.name), net.spec.stack(),
                            "network " + net.name + " differs from the spec, but its containers could not rejoin the non-attachable"
                                    + " overlay that would replace it; not replaced");
                    continue;
                }
                planReplace(net);
            }
        }
    }

    private void planReplace(Net net) {
        NetworkSpec spec = net.spec;
        List<String> unreachable = new ArrayList<>();
        for (Member m : cx.members.getOrDefault(net.name, List.of())) {
            Attachment wanted = cx.declaredAttachment(m.container().name(), net.name);
            EndpointConfig cfg = wanted != null ? PlanContext.desiredEndpoint(wanted) : PlanContext.liveEndpoint(m.endpoint(), m.container());
            for (String ip : new String[] {cfg.ipv4Address(), cfg.ipv6Address()}) {
                if (ip != null && !fits(ip, spec)) {
                    unreachable.add(m.container().name() + " (" + ip + ")");
                }
            }
        }
        if (!unreachable.isEmpty()) {
            // Docker would refuse the reconnect, leaving the container off the network: refuse the replace instead.
            net.fate = Fate.BLOCKED;
            cx.notice(NoticeCode.REPLACE_ADDRESS_CONFLICT, ResourceKey.network(net.name), spec.stack(),
                    "network " + net.name + " differs from the spec, but after a replacement these static addresses would not fit"
                            + " its subnets: " + String.join(", ", unreachable) + "; not replaced");
            return;
        }
        if (!reconnectAddressesFree(net)) {
            return;
        }
        ChangeDraft c = cx.change(ResourceKey.network(net.name), spec.stack(), Action.REPLACE);
        c.before = Normalizer.network(net.live, spec);
        c.after = Normalizer.network(spec);
        List<String> forces = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        Reasons.networkDiff(c.before, c.after, forces, parts);
        c.forcesReplacement = forces;
        c.reason = (net.live.managed() ? "" : "adopting unlabelled network: ") + String.join("; ", parts) + " forces replacement"
                + peers.undoes(net.live, spec);
        List<Member> on = cx.members.getOrDefault(net.name, List.of());
        List<String> notReconnected = new ArrayList<>();
        for (Member m : on) {
            c.endpoints.add(cx.ref(m.container(), net.name));
            c.steps.add(PlanContext.disconnect(m.container(), m.endpoint()));
        }
        c.steps.add(removeStep(net.live));
        c.steps.add(createStep(spec));
        for (Member m : on) {
            LiveContainer lc = m.container();
            Attachment wanted = cx.declaredAttachment(lc.name(), net.name);
            EndpointConfig cfg;
            if (wanted != null) {
                cfg = PlanContext.desiredEndpoint(wanted);
            } else if (cx.policy.selfHeal()) {
                notReconnected.add(lc.name());
                continue;
            } else {
                cfg = PlanContext.liveEndpoint(m.endpoint(), lc);
                attachments.drift(lc, net, false);
            }
            c.steps.add(new StepDraft(StepOp.CONNECT, net.name, null, lc.name(), null, cfg, null));
        }
        if (!notReconnected.isEmpty()) {
            c.reason += "; not reconnected (attached outside the spec, self-heal on): " + String.join(", ", notReconnected);
        }
    }

    /** Docker accepts a static address only inside a subnet the network was created with. */
    private static boolean fits(String ip, NetworkSpec spec) {
        boolean v6 = ip.contains(":");
        for (var pool : spec.ipam().pools()) {
            if (pool.isIpv6() == v6 && IpAddress.inSubnet(ip, pool.subnet())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The reconnects of a replacement must not ask for one address twice (a declared container's new
     * address that a container outside the spec keeps), nor for a gateway or aux address of the new
     * network: Docker would refuse one half-way, after the old network is gone. Refuses the
     * replacement instead; reports why.
     */
    private boolean reconnectAddressesFree(Net net) {
        Map<String, TreeSet<String>> wanted = new TreeMap<>();
        for (Member m : cx.members.getOrDefault(net.name, List.of())) {
            Attachment a = cx.declaredAttachment(m.container().name(), net.name);
            if (a == null && cx.policy.selfHeal()) {
                continue; // not reconnected
            }
            EndpointConfig cfg = a != null ? PlanContext.desiredEndpoint(a) : PlanContext.liveEndpoint(m.endpoint(), m.container());
            for (String ip : new String[] {cfg.ipv4Address(), cfg.ipv6Address()}) {
                if (ip != null) {
                    wanted.computeIfAbsent(ip, k -> new TreeSet<>()).add(m.container().name());
                }
            }
        }
        TreeSet<String> problems = new TreeSet<>();
        for (Map.Entry<String, TreeSet<String>> e : wanted.entrySet()) {
            String who = String.join(", ", e.getValue());
            if (e.getValue().size() > 1) {
                problems.add(e.getKey() + " is wanted by containers " + who);
            }
            for (IpamPool p : net.spec.ipam().pools()) {
                if (e.getKey().equals(IpAddress.canonical(p.gateway())) || p.auxAddresses().values().stream().anyMatch(v -> e.getKey().equals(IpAddress.canonical(v)))) {
                    problems.add(e.getKey() + " (container " + who + ") is reserved by the new network's IPAM config");
                }
            }
        }
        if (problems.isEmpty()) {
            return true;
        }
        net.fate = Fate.BLOCKED;
        cx.notice(NoticeCode.ADDRESS_IN_USE, ResourceKey.network(net.name), net.spec.stack(),
                "network " + net.name + " differs from the spec, but its containers could not all rejoin a replacement: "
                        + String.join("; ", problems) + "; not replaced",
                "give each container its own address, away from the gateway and aux addresses, or disconnect the container outside the spec first");
        return false;
    }

    void removeNetwork(Net net, String stack, String reason) {
        ChangeDraft c = cx.change(ResourceKey.network(net.name), stack, Action.DELETE);
        c.before = Normalizer.network(net.live);
        c.reason = reason;
        for (Member m : cx.members.getOrDefault(net.name, List.of())) {
            c.endpoints.add(cx.ref(m.container(), net.name));
            // Each container it takes off the network is a change of its own: counted, and listed
            // (managed or not, running or stopped), not hidden in the network's blast radius.
            LiveContainer lc = m.container();
            ChangeDraft d = cx.change(ResourceKey.attachment(lc.name(), net.name), cx.stackOf(lc.name()).isEmpty() ? stack : cx.stackOf(lc.name()),
                    Action.DISCONNECT);
            d.before = Normalizer.endpoint(m.endpoint(), lc);
            d.reason = "network " + net.name + " is removed (" + reason + ")"
                    + (cx.desired.containers().containsKey(lc.name()) ? "" : "; the container is not in the spec");
            d.endpoints.add(cx.ref(lc, net.name));
            d.steps.add(PlanContext.disconnect(lc, m.endpoint()));
        }
        c.steps.add(removeStep(net.live));
    }

    /** Removes a network by its observed ID, carrying how to create it again if its successor cannot be. */
    private static StepDraft removeStep(LiveNetwork ln) {
        Map<String, String> options = new TreeMap<>(ln.options());
        options.remove(NetworkClassifier.VXLAN_OPTION); // the swarm allocates a new one; a create may not ask for it
        return new StepDraft(StepOp.REMOVE_NETWORK, ln.name(), ln.id(), null,
                new NetworkCreate(ln.name(), ln.driver(), ln.internal(), ln.attachable(), ln.ipv6(), ln.ipam(), options, ln.labels()),
                null, null);
    }

    private StepDraft createStep(NetworkSpec spec) {
        return new StepDraft(StepOp.CREATE_NETWORK, spec.name(), null, null,
                networkCreate(spec, cx.desired.owner(), cx.desired.revision()), null, null);
    }

    /** The create request without an owner label (tests that model an earlier stackwire). */
    static NetworkCreate networkCreate(NetworkSpec spec) {
        return networkCreate(spec, "");
    }

    /** The create request for a spec: its settings plus stackwire's ownership labels. */
    static NetworkCreate networkCreate(NetworkSpec spec, String owner) {
        return networkCreate(spec, owner, "");
    }

    /** The create request for a spec of {@code revision}: its settings plus stackwire's labels. */
    static NetworkCreate networkCreate(NetworkSpec spec, String owner, String revision) {
        Map<String, String> options = new TreeMap<>(spec.options());
        if (spec.encrypted()) {
            // What `docker network create --opt encrypted` sends.
            options.putIfAbsent(Normalizer.ENCRYPTED_OPTION, "");
        }
        Map<String, String> labels = new TreeMap<>(spec.labels());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.STACK, spec.stack());
        labels.put(Labels.SPEC_HASH, Normalizer.specHash(spec));
        if (!owner.isEmpty()) {
            labels.put(Labels.REPO, owner);
        }
        if (!revision.isEmpty()) {
            labels.put(Labels.REVISION, Labels.revision(revision));
        }
        return new NetworkCreate(spec.name(), spec.driver(), spec.internal(), spec.attachable(), spec.ipv6(),
                spec.ipam(), options, labels);
    }
}
