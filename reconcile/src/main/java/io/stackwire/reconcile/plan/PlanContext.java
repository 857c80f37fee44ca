package io.stackwire.reconcile.plan;

import io.stackwire.model.IpAddress;
import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.StackSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.Drafts.StepDraft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one planning computation shares between its pieces ({@link PlanRun}): the inputs, the
 * indexes over desired and live state, each network's {@link Net} view, and the sinks the pieces
 * write to (change drafts and notices). Not reusable, not shared between plans.
 */
final class PlanContext {

    final DesiredState desired;
    /** As observed: what the fingerprint covers. */
    final LiveState observed;
    /** As compared: without the addresses a swarm allocated ({@link Normalizer#withoutSwarmAllocations}). */
    final LiveState live;
    final PlanPolicy policy;
    final SwarmInfo.Role role;
    /** Only the swarm leader changes swarm-scoped networks; other managers act as workers do. */
    final boolean ownsOverlays;
    final Map<String, Net> nets = new TreeMap<>();
    final Map<String, List<Member>> members = new HashMap<>();
    /** Network name to the declared containers that want to be attached to it. */
    final Map<String, TreeSet<String>> wantedBy = new HashMap<>();
    final Set<String> desiredStacks = new TreeSet<>();
    final List<ChangeDraft> changes = new ArrayList<>();
    final List<Notice> notices = new ArrayList<>();
    /** Containers with a CONNECT in this plan, which must leave {@code none} first. */
    final Set<String> connecting = new TreeSet<>();
    /** Networks of other repositories left alone, by owner: said once, in one notice. */
    final Map<String, Integer> othersLeftAlone = new TreeMap<>();
    /** The {@code select:} entries' matches: their notices and the facts they add to the dependencies. */
    final Selection selection;

    PlanContext(DesiredState desired, LiveState live, PlanPolicy policy, Selection selection) {
        this.selection = selection;
        this.desired = desired;
        this.observed = live;
        this.live = Normalizer.withoutSwarmAllocations(live, desired.containers());
        this.policy = policy;
        this.role = live.swarm().role();
        this.ownsOverlays = live.swarm().ownsOverlays();
        for (LiveContainer c : this.live.containers().values()) {
            for (LiveEndpoint e : c.endpoints()) {
                members.computeIfAbsent(e.network(), n -> new ArrayList<>()).add(new Member(c, e));
            }
        }
        // live.containers() is sorted by name, so every member list is too.
        for (ContainerSpec c : desired.containers().values()) {
            for (Attachment a : c.attachments()) {
                wantedBy.computeIfAbsent(a.network(), n -> new TreeSet<>()).add(c.name());
            }
        }
        for (StackSpec s : desired.stacks()) {
            desiredStacks.add(s.name());
        }
        desired.networks().values().forEach(n -> desiredStacks.add(n.stack()));
        desired.containers().values().forEach(c -> desiredStacks.add(c.stack()));
    }

    /** What happens to a network in this plan. */
    enum Fate {
        /** Stays as it is; attachments to it are reconciled one by one. */
        KEEP,
        CREATE,
        REPLACE,
        REMOVE,
        /** Cannot be used now (conflict, missing external, overlay without a manager): no steps touch it. */
        BLOCKED
    }

    /** The planner's view of one network. */
    static final class Net {
        final String name;
        final NetworkSpec spec;
        final LiveNetwork live;
        Fate fate = Fate.KEEP;
        /** stackwire may change it and treats foreign endpoints on it as drift. */
        boolean owned;
        /** Attachments to it are blocked even though the network itself is fine. */
        boolean attachBlocked;
        /** A worker cannot see this overlay yet: a manager creates it, connects go through the swarm. */
        boolean viaSwarm;

        Net(String name, NetworkSpec spec, LiveNetwork live) {
            this.name = name;
            this.spec = spec;
            this.live = live;
        }

        boolean usable() {
            return fate != Fate.BLOCKED && fate != Fate.REMOVE && !attachBlocked;
        }
    }

    record Member(LiveContainer container, LiveEndpoint endpoint) {}

    /** Whose a managed network is, seen from this spec's repository ({@link DesiredState#owner()}). */
    enum Owner {
        /** Labelled with this repository's owner identity. */
        OURS,
        /** Made by an earlier stackwire, before networks carried an owner: this repository's only if it declares it. */
        LEGACY,
        /** Labelled with another repository's identity: never ours to change, whatever its stack. */
        OTHER
    }

    static final String SWARM_TASK_LABEL = "com.docker.swarm.task.id";

    /** Whose the network is: ours, another repository's, or made before owners existed. */
    Owner ownerOf(LiveNetwork ln) {
        String o = ln.owner();
        if (o == null) {
            // Without an owner of our own (a planner test), everything unlabelled is ours as before owners existed.
            return desired.owner().isEmpty() ? Owner.OURS : Owner.LEGACY;
        }
        return o.equals(desired.owner()) ? Owner.OURS : Owner.OTHER;
    }

    ChangeDraft change(ResourceKey key, String stack, Action action) {
        ChangeDraft c = new ChangeDraft(key, stack, action);
        changes.add(c);
        return c;
    }

    /** A notice with its code's fixed hint. */
    void notice(NoticeCode code, ResourceKey subject, String stack, String message) {
        notices.add(code.notice(subject, stack, message));
    }

    /** A notice whose hint names the resource or the command to run. */
    void notice(NoticeCode code, ResourceKey subject, String stack, String message, String hint) {
        notices.add(code.notice(subject, stack, message, hint));
    }

    EndpointRef ref(LiveContainer lc, String network) {
        return new EndpointRef(lc.name(), network, desired.containers().containsKey(lc.name()), lc.running());
    }

    String stackOf(String container) {
        ContainerSpec c = desired.containers().get(container);
        return c == null ? "" : c.stack();
    }

    /** One attachment per network; if the spec repeats a network, the first wins (the loader rejects that). */
    static Map<String, Attachment> declaredByNetwork(ContainerSpec spec) {
        Map<String, Attachment> out = new TreeMap<>();
        for (Attachment a : spec.attachments()) {
            out.putIfAbsent(a.network(), a);
        }
        return out;
    }

    Attachment declaredAttachment(String container, String network) {
        ContainerSpec c = desired.containers().get(container);
        if (c == null) {
            return null;
        }
        for (Attachment a : c.attachments()) {
            if (a.network().equals(network)) {
                return a;
            }
        }
        return null;
    }

    static EndpointConfig desiredEndpoint(Attachment a) {
        return new EndpointConfig(List.copyOf(new TreeSet<>(trimmed(a.aliases()))), IpAddress.canonical(a.ipv4Address()),
                IpAddress.canonical(a.ipv6Address()));
    }

    /** A live endpoint's full config, for reconnecting a container after its network is replaced. */
    static EndpointConfig liveEndpoint(LiveEndpoint e, LiveContainer c) {
        return new EndpointConfig(Normalizer.aliases(e.aliases(), Normalizer.autoAliases(c)), IpAddress.canonical(e.ipv4Config()),
                IpAddress.canonical(e.ipv6Config()));
    }

    private static List<String> trimmed(List<String> aliases) {
        List<String> out = new ArrayList<>();
        for (String a : aliases) {
            if (a != null && !a.isBlank()) {
                out.add(a.trim());
            }
        }
        return out;
    }

    /**
     * Disconnects an endpoint, carrying its full config: if the change it belongs to fails
     * half-way, the executor reconnects the container with it (docs/planning.md, "Rollback").
     */
    static StepDraft disconnect(LiveContainer lc, LiveEndpoint e) {
        return new StepDraft(StepOp.DISCONNECT, e.network(), null, lc.name(), null, liveEndpoint(e, lc), null);
    }

    Set<String> stepNetworks(StepOp op) {
        Set<String> out = new TreeSet<>();
        for (ChangeDraft c : changes) {
            for (StepDraft s : c.steps) {
                if (s.op() == op) {
                    out.add(s.network());
                }
            }
        }
        return out;
    }

    /** Container and network of every DISCONNECT planned. */
    Set<String> leaving() {
        Set<String> out = new TreeSet<>();
        for (ChangeDraft c : changes) {
            for (StepDraft s : c.steps) {
                if (s.op() == StepOp.DISCONNECT) {
                    out.add(s.container() + "\u0000" + s.network());
                }
            }
        }
        return out;
    }
}
