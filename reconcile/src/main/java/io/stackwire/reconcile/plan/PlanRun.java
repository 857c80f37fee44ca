package io.stackwire.reconcile.plan;

import io.stackwire.model.IpAddress;
import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.PortBinding;
import io.stackwire.model.ReplacePolicy;
import io.stackwire.model.Severity;
import io.stackwire.model.StackSpec;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.daemon.ReplaceRepair;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.Drafts.StepDraft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** One planning computation; holds the indexes it builds. Not reusable, not shared. */
final class PlanRun {

    /** What happens to a network in this plan. */
    private enum Fate {
        /** Stays as it is; attachments to it are reconciled one by one. */
        KEEP,
        CREATE,
        REPLACE,
        REMOVE,
        /** Cannot be used now (conflict, missing external, overlay without a manager): no steps touch it. */
        BLOCKED
    }

    /** The planner's view of one network. */
    private static final class Net {
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

    private record Member(LiveContainer container, LiveEndpoint endpoint) {}

    /** Whose a managed network is, seen from this spec's repository ({@link DesiredState#owner()}). */
    private enum Owner {
        /** Labelled with this repository's owner identity. */
        OURS,
        /** Made by an earlier stackwire, before networks carried an owner: this repository's only if it declares it. */
        LEGACY,
        /** Labelled with another repository's identity: never ours to change, whatever its stack. */
        OTHER
    }

    static final String SWARM_TASK_LABEL = "com.docker.swarm.task.id";

    private final DesiredState desired;
    /** As observed: what the fingerprint covers. */
    private final LiveState observed;
    /** As compared: without the addresses a swarm allocated ({@link Normalizer#withoutSwarmAllocations}). */
    private final LiveState live;
    private final PlanPolicy policy;
    private final SwarmInfo.Role role;
    /** Only the swarm leader changes swarm-scoped networks; other managers act as workers do. */
    private final boolean ownsOverlays;
    private final Map<String, Net> nets = new TreeMap<>();
    private final Map<String, List<Member>> members = new HashMap<>();
    /** Network name to the declared containers that want to be attached to it. */
    private final Map<String, TreeSet<String>> wantedBy = new HashMap<>();
    private final Set<String> desiredStacks = new TreeSet<>();
    private final List<ChangeDraft> changes = new ArrayList<>();
    private final List<Notice> notices = new ArrayList<>();
    /** Containers with a CONNECT in this plan, which must leave {@code none} first. */
    private final Set<String> connecting = new TreeSet<>();
    /** Networks of other repositories left alone, by owner: said once, in one notice. */
    private final Map<String, Integer> othersLeftAlone = new TreeMap<>();
    /** Undeclared networks without an owner label, of stacks this spec does not run: counted into the same notice. */
    private int legacyLeftAlone;

    /** The {@code select:} entries' matches: their notices and the facts they add to the dependencies. */
    private final Selection selection;

    PlanRun(DesiredState desired, LiveState live, PlanPolicy policy) {
        this(desired, live, policy, new Selection(desired, List.of(), new TreeMap<>()));
    }

    PlanRun(DesiredState desired, LiveState live, PlanPolicy policy, Selection selection) {
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

    Plan plan() {
        if (policy.destroy()) {
            planDestroy();
        } else {
            classifyDeclaredNetworks();
            classifyReferencedNetworks();
            nets.values().forEach(this::checkAttachable);
            planPrune();
            planNetworkChanges();
            checkSubnetsFree();
            planContainers();
            planUndeclaredContainers();
            planLeftovers();
            checkAddresses();
        }
        noticeOthersLeftAlone();
        notices.addAll(selection.notices());
        return Drafts.assemble(desired.host(), desired.revision(), dependencies(), changes, notices, extraOrder());
    }

    /**
     * What this plan read to decide (see {@link Dependencies}): every network it names or may
     * prune or destroy, with the endpoints on those stackwire may change (on Docker's own networks
     * and on networks it only uses, other containers' endpoints change nothing here), and the
     * declared containers. An unrelated container or network is left out, so it never makes a
     * saved or confirmed plan stale.
     */
    private Dependencies dependencies() {
        TreeSet<String> networks = new TreeSet<>(nets.keySet());
        Set<String> judged = policy.destroy() && !policy.stacks().isEmpty() ? policy.stacks() : desiredStacks;
        for (LiveNetwork ln : observed.networks().values()) {
            // Other repositories' networks are left alone whatever happens to them.
            if (ln.managed() && ln.stack() != null && judged.contains(ln.stack()) && ownerOf(ln) != Owner.OTHER) {
                networks.add(ln.name());
            }
        }
        for (ChangeDraft c : changes) {
            for (StepDraft s : c.steps) {
                if (s.network() != null && !s.network().isEmpty()) {
                    networks.add(s.network());
                }
            }
        }
        TreeSet<String> withEndpoints = new TreeSet<>();
        boolean swarm = false;
        for (String n : networks) {
            LiveNetwork ln = observed.network(n);
            NetworkSpec spec = desired.networks().get(n);
            swarm |= (ln != null && "swarm".equals(ln.scope())) || (spec != null && NetworkSpec.OVERLAY.equals(spec.driver()));
            boolean mayChange = ln != null && ((ln.managed() && ownerOf(ln) != Owner.OTHER) || (spec != null && spec.adopt()));
            if (mayChange && !NetworkSpec.isPredefined(n)) {
                withEndpoints.add(n);
            }
        }
        return Dependencies.of(observed, networks, withEndpoints, desired.containers().keySet(), swarm).with(selection.facts());
    }

    // ---- networks ------------------------------------------------------------------------------

    private void classifyDeclaredNetworks() {
        for (NetworkSpec spec : desired.networks().values()) {
            LiveNetwork ln = live.network(spec.name());
            Net net = new Net(spec.name(), spec, ln);
            nets.put(spec.name(), net);
            ResourceKey key = ResourceKey.network(spec.name());
            if (NetworkSpec.isPredefined(spec.name())) {
                if (!spec.external()) {
                    notice(Severity.ERROR, "predefined-network", key, spec.stack(),
                            "network " + spec.name() + " is one of Docker's predefined networks and cannot be created, changed or removed",
                            "declare it with `external: true` to attach containers to it, or use another name");
                }
                net.fate = "bridge".equals(spec.name()) && ln != null ? Fate.KEEP : Fate.BLOCKED;
                continue;
            }
            if (spec.external()) {
                if (ln == null) {
                    net.fate = Fate.BLOCKED;
                    notice(Severity.ERROR, "external-network-missing", key, spec.stack(),
                            "external network " + spec.name() + " does not exist; its attachments wait",
                            "create it (docker network create " + spec.name() + ") or drop `external: true` to let stackwire create it");
                }
                continue;
            }
            boolean overlay = isOverlay(spec, ln);
            if (ln == null) {
                if (overlay && !overlayAllowed(net, "does not exist yet")) {
                    continue;
                }
                net.fate = Fate.CREATE;
                net.owned = true;
            } else if (ln.managed() && ownerOf(ln) == Owner.OTHER) {
                net.fate = Fate.BLOCKED;
                notice(Severity.ERROR, "conflict-other-owner", key, spec.stack(),
                        "network " + spec.name() + " belongs to another repository (owner " + ln.owner() + "), which manages it;"
                                + " this one leaves it alone, and attachments to it too",
                        "rename the network in one of the two repositories; if both are really one repository, set the same"
                                + " `owner:` in both stackwire.yaml files (this one is " + desired.owner() + ")");
            } else if (!ln.managed() && !spec.adopt()) {
                net.fate = Fate.BLOCKED;
                notice(Severity.ERROR, "conflict-unmanaged-network", key, spec.stack(),
                        "network " + spec.name() + " exists but was not created by stackwire; it is left alone, and so are attachments to it",
                        "mark it `external: true` to use it as is, `adopt: true` to let stackwire manage it, or rename the network in the spec");
            } else {
                net.owned = true;
                boolean equal = Normalizer.network(ln, spec).equals(Normalizer.network(spec));
                if (!equal && stillAllocating(ln)) {
                    // Replacing it now would undo the create a pass ago; the next observation sees it whole.
                    notice(Severity.WARNING, "overlay-allocating", key, spec.stack(),
                            "overlay network " + spec.name() + " is listed without its subnet and driver options: the swarm"
                                    + " manager has not allocated it yet, so it is compared on the next pass, not replaced",
                            "nothing to do; if this stays for more than a few seconds, check `docker network inspect "
                                    + spec.name() + "` and the managers' health (`docker node ls`)");
                } else if (!equal && !(overlay && !overlayAllowed(net, "differs from the spec")) && !heldForPeer(net)) {
                    net.fate = Fate.REPLACE;
                } else if (equal && !ln.managed()) {
                    notice(Severity.WARNING, "adopted-unlabelled", key, spec.stack(),
                            "network " + spec.name() + " is adopted as is: it matches the spec but carries no stackwire labels,"
                                    + " so prune and destroy leave it alone",
                            "nothing to do; it gets stackwire's labels the next time a spec change replaces it");
                }
                if (net.fate != Fate.BLOCKED) {
                    contestedBy(net);
                }
                if (ln.managed() && ownerOf(ln) == Owner.LEGACY && net.fate != Fate.REPLACE) {
                    // Docker cannot relabel a network, and replacing it only for a label would cut its containers off.
                    notice(Severity.INFO, "adopted-legacy-network", key, spec.stack(),
                            "network " + spec.name() + " was made by an earlier stackwire without an owner label; adopted by owner "
                                    + desired.owner() + ", since this spec declares it",
                            "nothing to do; it gets the owner label the next time a spec change replaces it");
                }
            }
        }
    }

    /**
     * Another controller of this repository (or a hand-run apply) made this network a moment ago
     * from a spec that disagrees with ours: replacing it would have the other side replace it back
     * on its next pass, forever. Unattended, hold it and say whose it is (docs/planning.md, "Two
     * controllers of one repository"); the same spec hash means no disagreement, so no hold.
     */
    private boolean heldForPeer(Net net) {
        LiveNetwork ln = net.live;
        if (!policy.unattended() || !ln.managed() || !disagrees(ln, net.spec)) {
            return false;
        }
        // Its maker still asserts it (a live claim): held for as long as that lasts, so the fight
        // ends instead of restarting after every quiet period.
        PeerClaim alive = policy.peers().asserting(ln.controller(), desired.owner(), ResourceKey.network(net.name).address());
        if (alive == null && !policy.peers().holds(ln.controller(), ln.created())) {
            return false;
        }
        net.fate = Fate.BLOCKED;
        if (alive == null) {
            String made = " created it " + Math.max(0, Duration.between(ln.created(), policy.peers().now()).toSeconds()) + "s ago";
            notice(Severity.ERROR, "conflict-other-revision", ResourceKey.network(net.name), net.spec.stack(),
                    "network " + net.name + " differs from this spec (revision " + Labels.revision(desired.revision()) + "), but "
                            + madeBy(ln) + made + " from a spec that disagrees; replacing it would make the two"
                            + " replace each other's network every pass, so it is held, and attachments to it too, until "
                            + ln.created().plus(policy.peers().quiet()),
                    "make the two specs agree (point both at one branch, or commit the local edit), or stop the other one; after "
                            + policy.peers().quiet().toMinutes() + " minutes this controller replaces it as usual");
        } else {
            notice(Severity.ERROR, "conflict-other-revision", ResourceKey.network(net.name), net.spec.stack(),
                    "network " + net.name + " differs from this spec (revision " + Labels.revision(desired.revision()) + "), but "
                            + madeBy(ln) + (ln.created() == null ? "" : " created it at " + ln.created())
                            + " from a spec that disagrees, and that controller still asserts it (in conflict since "
                            + alive.since() + "); it is held, and attachments to it too, for as long as that controller runs",
                    "make the two specs agree (point both at one branch, or commit the local edit), or stop one of the two"
                            + " controllers; this controller replaces it only once the other has stopped (its claim "
                            + PeerClaim.NAME_PREFIX + alive.controller() + ".* lapses) and the network is older than "
                            + policy.peers().quiet().toMinutes() + " minutes");
        }
        return true;
    }

    /**
     * The other side of a hold: this network stands as our spec wants (or we are about to make it
     * so), but another live controller of this repository claims it with a spec that disagrees
     * and holds off. Reported here too, so both controllers show the conflict; nothing is blocked.
     */
    private void contestedBy(Net net) {
        String address = ResourceKey.network(net.name).address();
        String ours = PeerClaim.hashOf(net.spec);
        for (PeerClaim c : policy.peers().others(desired.owner(), address)) {
            if (c.resources().get(address).equals(ours)) {
                continue;
            }
            notice(Severity.ERROR, "conflict-other-revision", ResourceKey.network(net.name), net.spec.stack(),
                    "network " + net.name + " is kept as this spec (revision " + Labels.revision(desired.revision())
                            + ") wants it, but " + c.who() + " wants it otherwise and holds off (in conflict since "
                            + c.since() + "); neither replaces the other's network while both run",
                    "make the two specs agree (point both at one branch, or commit the local edit), or stop one of the two"
                            + " controllers; the conflict ends when the specs agree or the other controller stops");
            return;
        }
    }

    /**
     * As {@link #heldForPeer}, for an endpoint: another controller of this repository connected the
     * container this way (the loop's stamp in the endpoint's driver options) a moment ago, or still
     * claims it; reconnecting it would have the two reconnect it every pass. Unattended, hold it.
     * Only a stamped endpoint counts: one changed by hand carries none and is drift, healed as usual.
     */
    private boolean attachmentHeldForPeer(ContainerSpec spec, LiveEndpoint e, ResourceKey key,
            SortedMap<String, Object> before, SortedMap<String, Object> after) {
        String madeBy = e.driverOpts().get(PeerClaim.STAMP_CONTROLLER);
        if (!policy.unattended() || madeBy == null || madeBy.isEmpty()) {
            return false;
        }
        java.time.Instant connected = PeerClaim.epoch(e.driverOpts().get(PeerClaim.STAMP_CONNECTED));
        PeerClaim alive = policy.peers().asserting(madeBy, desired.owner(), key.address());
        if (alive == null && !policy.peers().holds(madeBy, connected)) {
            return false;
        }
        String instance = e.driverOpts().getOrDefault(PeerClaim.STAMP_INSTANCE, madeBy);
        String rev = e.driverOpts().get(PeerClaim.STAMP_REVISION);
        String who = "controller " + instance + " at " + (rev == null || rev.isEmpty() ? "an unknown revision" : "revision " + rev);
        notice(Severity.ERROR, "conflict-other-revision", key, spec.stack(),
                "container " + key.name() + "'s endpoint on " + key.network() + " differs from this spec (revision "
                        + Labels.revision(desired.revision()) + "; " + Reasons.attachmentDiff(before, after) + "), but " + who
                        + " connected it" + (connected == null ? "" : " at " + connected) + " from a spec that disagrees;"
                        + " reconnecting it would make the two reconnect it every pass, so it is held"
                        + (alive != null ? " for as long as that controller runs (in conflict since " + alive.since() + ")"
                                : " until " + connected.plus(policy.peers().quiet())),
                "make the two specs agree (point both at one branch, or commit the local edit), or stop one of the two"
                        + " controllers; this controller reconnects it only once the other has stopped and "
                        + policy.peers().quiet().toMinutes() + " minutes have passed since it connected it");
        return true;
    }

    /** As {@link #contestedBy}, for an attachment another live controller claims with other aliases or addresses. */
    private void attachmentContested(ContainerSpec spec, Attachment a, ResourceKey key) {
        String ours = PeerClaim.hashOf(a);
        for (PeerClaim c : policy.peers().others(desired.owner(), key.address())) {
            if (c.resources().get(key.address()).equals(ours)) {
                continue;
            }
            notice(Severity.ERROR, "conflict-other-revision", key, spec.stack(),
                    "container " + key.name() + "'s endpoint on " + key.network() + " is kept as this spec (revision "
                            + Labels.revision(desired.revision()) + ") wants it, but " + c.who() + " wants other aliases or"
                            + " addresses for it and holds off (in conflict since " + c.since() + "); neither reconnects"
                            + " it while both run",
                    "make the two specs agree (point both at one branch, or commit the local edit), or stop one of the two"
                            + " controllers; the conflict ends when the specs agree or the other controller stops");
            return;
        }
    }

    /** Made from another spec than ours: its spec-hash label is not our spec's (and it has one). */
    private static boolean disagrees(LiveNetwork ln, NetworkSpec spec) {
        String hash = ln.labels().get(Labels.SPEC_HASH);
        return hash != null && !hash.equals(Normalizer.specHash(spec));
    }

    /** Who made a managed network, for messages: {@code controller <id> (revision <rev>)}. */
    private static String madeBy(LiveNetwork ln) {
        String rev = ln.revision() == null ? "an unknown revision" : "revision " + ln.revision();
        return (ln.instance() == null ? "a `stackwire apply` (no controller instance label)" : "controller " + ln.instance())
                + " at " + rev;
    }

    /** Plain containers can only join a swarm-scoped network that is attachable once the plan has run. */
    private void checkAttachable(Net net) {
        if (!wantedBy.containsKey(net.name) || net.fate == Fate.BLOCKED) {
            return;
        }
        boolean fromSpec = net.fate == Fate.CREATE || net.fate == Fate.REPLACE || net.live == null;
        boolean swarm = fromSpec ? NetworkSpec.OVERLAY.equals(net.spec.driver()) : "swarm".equals(net.live.scope());
        boolean attachable = fromSpec ? net.spec.attachable() : net.live.attachable();
        if (swarm && !attachable) {
            net.attachBlocked = true;
            notice(Severity.ERROR, "overlay-not-attachable", ResourceKey.network(net.name), net.spec == null ? "" : net.spec.stack(),
                    "overlay network " + net.name + " is not attachable, so plain containers cannot join it",
                    net.spec == null || net.spec.external() ? "re-create the network with --attachable" : "set `attachable: true` on the network");
        }
    }

    /** Whether this node may create or replace an overlay; otherwise reports why not and blocks it. */
    private boolean overlayAllowed(Net net, String what) {
        ResourceKey key = ResourceKey.network(net.name);
        String stack = net.spec.stack();
        switch (role) {
            case MANAGER:
            case WORKER:
                if (ownsOverlays) {
                    return true;
                }
                String node = role == SwarmInfo.Role.MANAGER ? "manager (not the swarm leader)" : "worker";
                if (net.live == null) {
                    // A worker lists a swarm overlay only once one of its containers uses it, so "not
                    // visible" does not mean "missing": its connects go through the swarm, and fail
                    // (to be retried) until the leader's stackwire has created the network.
                    net.viaSwarm = true;
                    notice(Severity.WARNING, "overlay-pending", key, stack,
                            "overlay network " + net.name + " is not visible on this " + node + "; it is created by stackwire on the swarm"
                                    + " leader (a swarm manager), and this host only attaches its own containers, once the network exists",
                            "apply the spec on the swarm leader (`docker node ls` marks it Leader); a connect that finds no network is retried on the next pass");
                } else {
                    notice(Severity.WARNING, "overlay-drift", key, stack,
                            "overlay network " + net.name + " " + what + "; only stackwire on the swarm leader (a swarm manager) replaces it",
                            "apply the spec on the swarm leader (`docker node ls` marks it Leader)");
                }
                return false;
            default:
                if (net.live == null) {
                    net.fate = Fate.BLOCKED;
                }
                notice(Severity.ERROR, "swarm-required", key, stack,
                        "overlay network " + net.name + " " + what + ", but this Docker engine is not in swarm mode",
                        "run `docker swarm init` on this host (or `docker swarm join` it to a swarm), then plan again");
                return false;
        }
    }

    /**
     * Right after a manager creates an overlay, the daemon lists it before the swarm allocator has
     * run: no IPAM pool, none of the driver options (every allocated overlay has a VXLAN id). Seen
     * on a real swarm under load; comparing it then would plan a spurious replacement.
     */
    static boolean stillAllocating(LiveNetwork ln) {
        return "swarm".equals(ln.scope()) && ln.ipam().pools().isEmpty()
                && !ln.options().containsKey(VXLAN_OPTION);
    }

    private static final String VXLAN_OPTION = "com.docker.network.driver.overlay.vxlanid_list";

    private static boolean isOverlay(NetworkSpec spec, LiveNetwork ln) {
        return NetworkSpec.OVERLAY.equals(spec.driver()) || (ln != null && "swarm".equals(ln.scope()));
    }

    /** Networks containers attach to that the spec does not declare: used as they are, never owned. */
    private void classifyReferencedNetworks() {
        for (String name : new TreeSet<>(wantedBy.keySet())) {
            if (nets.containsKey(name)) {
                continue;
            }
            LiveNetwork ln = live.network(name);
            Net net = new Net(name, null, ln);
            nets.put(name, net);
            if ("host".equals(name) || "none".equals(name)) {
                // Listing host or none states the container's network mode: checked, never attached.
                net.fate = Fate.BLOCKED;
                for (String c : wantedBy.get(name)) {
                    LiveContainer lc = live.container(c);
                    if (lc != null && !inMode(lc, name)) {
                        notice(Severity.ERROR, "network-mode-mismatch", ResourceKey.attachment(c, name), stackOf(c),
                                "container " + c + " is listed on `" + name + "`, but runs with --network " + lc.networkMode()
                                        + (lc.endpoints().isEmpty() ? "" : " on " + String.join(", ",
                                                lc.endpoints().stream().map(LiveEndpoint::network).toList()))
                                        + "; Docker cannot change a container's network mode",
                                "re-create it with --network " + name + ", or list the networks it should be on instead");
                    }
                }
            } else if (ln == null) {
                net.fate = Fate.BLOCKED;
                for (String c : wantedBy.get(name)) {
                    notice(Severity.ERROR, "attachment-network-missing", ResourceKey.attachment(c, name), stackOf(c),
                            "container " + c + " wants network " + name + ", which neither the spec declares nor the daemon has",
                            "declare the network in a stack this host runs, or create it and declare it `external: true`");
                }
            }
        }
    }

    /** Managed networks that left the spec. */
    private void planPrune() {
        for (LiveNetwork ln : live.networks().values()) {
            if (!ln.managed() || NetworkSpec.isPredefined(ln.name()) || desired.networks().containsKey(ln.name())) {
                continue;
            }
            String stack = ln.stack() == null ? "" : ln.stack();
            ResourceKey key = ResourceKey.network(ln.name());
            boolean swarm = "swarm".equals(ln.scope());
            Owner whose = ownerOf(ln);
            if (whose == Owner.OTHER) {
                othersLeftAlone.merge(ln.owner(), 1, Integer::sum);
                continue;
            }
            if (whose == Owner.LEGACY) {
                // Made before networks carried an owner: it may be another repository's, so it is never pruned.
                if (desiredStacks.contains(stack) && !(swarm && !ownsOverlays)) {
                    notice(Severity.WARNING, "legacy-network-not-pruned", key, stack,
                            "network " + ln.name() + " of stack '" + stack + "' is not in the spec, but it was made by an earlier"
                                    + " stackwire without an owner label, so it may belong to another repository; not removed",
                            "if no repository declares it any more, remove it by hand: docker network rm " + ln.name());
                } else {
                    legacyLeftAlone++;
                }
                continue;
            }
            if (!desiredStacks.contains(stack)) {
                // Another host's stack (a swarm-wide overlay) or a stack this host stopped running: not ours to judge.
                if (!swarm) {
                    notice(Severity.WARNING, "foreign-stack-network", key, stack,
                            "network " + ln.name() + " belongs to stack '" + stack + "', which this host's spec does not run; left alone",
                            "run destroy for stack '" + stack + "' to remove it");
                }
                continue;
            }
            if (swarm && !ownsOverlays && members.getOrDefault(ln.name(), List.of()).isEmpty()) {
                continue;
            }
            if (wantedBy.containsKey(ln.name())) {
                notice(Severity.WARNING, "prune-skipped-in-use", key, stack,
                        "network " + ln.name() + " is no longer declared but containers " + String.join(", ", wantedBy.get(ln.name()))
                                + " still attach to it; not removed",
                        "declare the network again, or drop those attachments");
                continue;
            }
            if (!policy.prune()) {
                notice(Severity.WARNING, "prune-skipped", key, stack,
                        "network " + ln.name() + " is no longer in the spec; skipped (prune disabled)",
                        "enable prune in stackwire.yaml, or remove it by hand");
                continue;
            }
            Net net = new Net(ln.name(), null, ln);
            net.fate = Fate.REMOVE;
            net.owned = true;
            nets.put(ln.name(), net);
            String reason = "network is managed by stackwire (stack " + stack + ") but no longer in the spec";
            if (swarm && !ownsOverlays) {
                detachForManager(net, stack, reason);
            } else {
                removeNetwork(net, stack, reason + (swarm ? "; removed swarm-wide once every worker has detached its containers" : ""));
            }
        }
    }

    /** Whose the network is: ours, another repository's, or made before owners existed. */
    private Owner ownerOf(LiveNetwork ln) {
        String o = ln.owner();
        if (o == null) {
            // Without an owner of our own (a planner test), everything unlabelled is ours as before owners existed.
            return desired.owner().isEmpty() ? Owner.OURS : Owner.LEGACY;
        }
        return o.equals(desired.owner()) ? Owner.OURS : Owner.OTHER;
    }

    /**
     * Other repositories' networks are none of this plan's business: one line says how many were
     * left alone (a warning per network would drown the plan on a shared daemon).
     */
    private void noticeOthersLeftAlone() {
        int networks = othersLeftAlone.values().stream().mapToInt(Integer::intValue).sum();
        if (networks == 0 && legacyLeftAlone == 0) {
            return;
        }
        List<String> parts = new ArrayList<>();
        if (networks > 0) {
            int repos = othersLeftAlone.size();
            parts.add(count(networks, "network") + " of " + repos + " other " + (repos == 1 ? "repository" : "repositories"));
        }
        if (legacyLeftAlone > 0) {
            parts.add(count(legacyLeftAlone, "network") + " of other stacks made by an earlier stackwire without an owner label");
        }
        notice(Severity.INFO, "other-owners-networks", null, "", String.join(", and ", parts) + " left alone",
                networks > 0 ? "other repositories: " + String.join(", ", othersLeftAlone.keySet()) : "");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /**
     * A non-leader's share of removing a swarm overlay: it detaches its own containers, since the
     * leader's removal is refused while any node still uses the network.
     */
    private void detachForManager(Net net, String stack, String reason) {
        for (Member m : members.getOrDefault(net.name, List.of())) {
            if (m.container().labels().containsKey(SWARM_TASK_LABEL)) {
                continue;
            }
            String name = m.container().name();
            ChangeDraft c = change(ResourceKey.attachment(name, net.name), stackOf(name).isEmpty() ? stack : stackOf(name), Action.DISCONNECT);
            c.before = Normalizer.endpoint(m.endpoint(), m.container());
            c.reason = reason + "; this host detaches its own containers, stackwire on the swarm leader removes the network";
            c.endpoints.add(ref(m.container(), net.name));
            c.steps.add(disconnect(m.container(), m.endpoint()));
        }
    }

    private void planNetworkChanges() {
        for (Net net : nets.values()) {
            if (net.fate == Fate.CREATE) {
                ChangeDraft c = change(ResourceKey.network(net.name), net.spec.stack(), Action.CREATE);
                c.after = Normalizer.network(net.spec);
                c.reason = "network is in the spec but not on the daemon"
                        + (isOverlay(net.spec, null) ? "; this swarm leader creates it swarm-wide, every host attaches its own containers" : "");
                c.steps.add(createStep(net.spec));
            } else if (net.fate == Fate.REPLACE) {
                boolean plainCannotJoin = NetworkSpec.OVERLAY.equals(net.spec.driver()) && !net.spec.attachable();
                if (plainCannotJoin && !members.getOrDefault(net.name, List.of()).isEmpty()) {
                    // Its containers could never rejoin: refuse rather than strand them.
                    net.fate = Fate.BLOCKED;
                    notice(Severity.ERROR, "replace-would-strand", ResourceKey.network(net.name), net.spec.stack(),
                            "network " + net.name + " differs from the spec, but its containers could not rejoin the non-attachable"
                                    + " overlay that would replace it; not replaced",
                            "set `attachable: true` on the network");
                    continue;
                }
                planReplace(net);
            }
        }
    }

    private void planReplace(Net net) {
        NetworkSpec spec = net.spec;
        List<String> unreachable = new ArrayList<>();
        for (Member m : members.getOrDefault(net.name, List.of())) {
            Attachment wanted = declaredAttachment(m.container().name(), net.name);
            EndpointConfig cfg = wanted != null ? desiredEndpoint(wanted) : liveEndpoint(m.endpoint(), m.container());
            for (String ip : new String[] {cfg.ipv4Address(), cfg.ipv6Address()}) {
                if (ip != null && !fits(ip, spec)) {
                    unreachable.add(m.container().name() + " (" + ip + ")");
                }
            }
        }
        if (!unreachable.isEmpty()) {
            // Docker would refuse the reconnect, leaving the container off the network: refuse the replace instead.
            net.fate = Fate.BLOCKED;
            notice(Severity.ERROR, "replace-address-conflict", ResourceKey.network(net.name), spec.stack(),
                    "network " + net.name + " differs from the spec, but after a replacement these static addresses would not fit"
                            + " its subnets: " + String.join(", ", unreachable) + "; not replaced",
                    "declare a subnet that contains those addresses, or change the containers' addresses");
            return;
        }
        if (!reconnectAddressesFree(net)) {
            return;
        }
        ChangeDraft c = change(ResourceKey.network(net.name), spec.stack(), Action.REPLACE);
        c.before = Normalizer.network(net.live, spec);
        c.after = Normalizer.network(spec);
        List<String> forces = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        Reasons.networkDiff(c.before, c.after, forces, parts);
        c.forcesReplacement = forces;
        c.reason = (net.live.managed() ? "" : "adopting unlabelled network: ") + String.join("; ", parts) + " forces replacement"
                + undoes(net.live, spec);
        List<Member> on = members.getOrDefault(net.name, List.of());
        List<String> notReconnected = new ArrayList<>();
        for (Member m : on) {
            c.endpoints.add(ref(m.container(), net.name));
            c.steps.add(disconnect(m.container(), m.endpoint()));
        }
        c.steps.add(removeStep(net.live));
        c.steps.add(createStep(spec));
        for (Member m : on) {
            LiveContainer lc = m.container();
            Attachment wanted = declaredAttachment(lc.name(), net.name);
            EndpointConfig cfg;
            if (wanted != null) {
                cfg = desiredEndpoint(wanted);
            } else if (policy.selfHeal()) {
                notReconnected.add(lc.name());
                continue;
            } else {
                cfg = liveEndpoint(m.endpoint(), lc);
                drift(lc, net, false);
            }
            c.steps.add(new StepDraft(StepOp.CONNECT, net.name, null, lc.name(), null, cfg));
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

    private void removeNetwork(Net net, String stack, String reason) {
        ChangeDraft c = change(ResourceKey.network(net.name), stack, Action.DELETE);
        c.before = Normalizer.network(net.live);
        c.reason = reason;
        for (Member m : members.getOrDefault(net.name, List.of())) {
            c.endpoints.add(ref(m.container(), net.name));
            // Each container it takes off the network is a change of its own: counted, and listed
            // (managed or not, running or stopped), not hidden in the network's blast radius.
            LiveContainer lc = m.container();
            ChangeDraft d = change(ResourceKey.attachment(lc.name(), net.name), stackOf(lc.name()).isEmpty() ? stack : stackOf(lc.name()),
                    Action.DISCONNECT);
            d.before = Normalizer.endpoint(m.endpoint(), lc);
            d.reason = "network " + net.name + " is removed (" + reason + ")"
                    + (desired.containers().containsKey(lc.name()) ? "" : "; the container is not in the spec");
            d.endpoints.add(ref(lc, net.name));
            d.steps.add(disconnect(lc, m.endpoint()));
        }
        c.steps.add(removeStep(net.live));
    }

    /**
     * Disconnects an endpoint, carrying its full config: if the change it belongs to fails
     * half-way, the executor reconnects the container with it (docs/planning.md, "Rollback").
     */
    private static StepDraft disconnect(LiveContainer lc, LiveEndpoint e) {
        return new StepDraft(StepOp.DISCONNECT, e.network(), null, lc.name(), null, liveEndpoint(e, lc));
    }

    /** Removes a network by its observed ID, carrying how to create it again if its successor cannot be. */
    private static StepDraft removeStep(LiveNetwork ln) {
        Map<String, String> options = new TreeMap<>(ln.options());
        options.remove(VXLAN_OPTION); // the swarm allocates a new one; a create may not ask for it
        return new StepDraft(StepOp.REMOVE_NETWORK, ln.name(), ln.id(), null,
                new NetworkCreate(ln.name(), ln.driver(), ln.internal(), ln.attachable(), ln.ipv6(), ln.ipam(), options, ln.labels()),
                null);
    }

    /**
     * A replacement of a network someone else made from another spec says whose work it undoes (a
     * reviewer of an apply run next to a controller should know the controller's network goes);
     * nothing when this controller made it, the ordinary case of a new commit.
     */
    private String undoes(LiveNetwork ln, NetworkSpec spec) {
        boolean known = ln.instance() != null || ln.revision() != null;
        boolean ours = ln.controller() != null && ln.controller().equals(policy.peers().controller());
        return ln.managed() && known && !ours && disagrees(ln, spec) ? "; undoes the network " + madeBy(ln) + " created" : "";
    }

    private StepDraft createStep(NetworkSpec spec) {
        return new StepDraft(StepOp.CREATE_NETWORK, spec.name(), null, null,
                networkCreate(spec, desired.owner(), desired.revision()), null);
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

    // ---- containers ----------------------------------------------------------------------------

    private void planContainers() {
        for (ContainerSpec spec : desired.containers().values()) {
            LiveContainer lc = live.container(spec.name());
            if (lc == null) {
                notice(Severity.WARNING, "pending-container", ResourceKey.container(spec.name()), spec.stack(),
                        "container " + spec.name() + " does not exist yet; its attachments are made when it appears",
                        "start it (stackwire does not create containers)");
                continue;
            }
            planPorts(spec, lc);
            if (!spec.attachments().isEmpty() && sharesNetworkStack(lc)) {
                continue;
            }
            Map<String, Attachment> declared = declaredByNetwork(spec);
            for (Attachment a : declared.values()) {
                planAttachment(spec, lc, a);
            }
            for (LiveEndpoint e : lc.endpoints()) {
                Net net = nets.get(e.network());
                if (!declared.containsKey(e.network()) && net != null && net.owned && net.fate == Fate.KEEP && !net.attachBlocked) {
                    drift(lc, net, true);
                }
            }
            if (connecting.contains(spec.name()) && lc.endpoint("none") != null) {
                ChangeDraft c = change(ResourceKey.attachment(spec.name(), "none"), spec.stack(), Action.DISCONNECT);
                c.before = Normalizer.endpoint(lc.endpoint("none"), lc);
                c.reason = "leaves `none` before joining other networks";
                c.disruptive = false;
                c.endpoints.add(ref(lc, "none"));
                c.steps.add(new StepDraft(StepOp.DISCONNECT, "none", null, spec.name(), null, null));
            }
        }
    }

    /** Whether a container listed on {@code host} or {@code none} (alone) really is in that mode. */
    private static boolean inMode(LiveContainer lc, String mode) {
        if (!mode.equals(lc.networkMode())) {
            return false;
        }
        return lc.endpoints().stream().allMatch(e -> e.network().equals(mode));
    }

    /** Host-mode and container-mode containers cannot join networks; reports it with the fix. */
    private boolean sharesNetworkStack(LiveContainer lc) {
        String mode = lc.networkMode();
        String stack = stackOf(lc.name());
        ResourceKey key = ResourceKey.container(lc.name());
        if (declaredByNetwork(desired.containers().get(lc.name())).containsKey("host")) {
            return true; // host listed: checked against the mode with the referenced networks
        }
        if ("host".equals(mode)) {
            notice(Severity.ERROR, "container-host-network", key, stack,
                    "container " + lc.name() + " uses the host's network stack (--network host) and cannot join other networks",
                    "re-create it without --network host, e.g. on one of the networks the spec gives it");
            return true;
        }
        if (mode.startsWith("container:")) {
            notice(Severity.ERROR, "container-shared-network", key, stack,
                    "container " + lc.name() + " shares another container's network stack (--network " + mode + ") and cannot join networks itself",
                    "attach the container it shares with instead, or re-create it with its own network");
            return true;
        }
        return false;
    }

    private void planAttachment(ContainerSpec spec, LiveContainer lc, Attachment a) {
        Net net = nets.get(a.network());
        ResourceKey key = ResourceKey.attachment(spec.name(), a.network());
        if (net == null || !net.usable()) {
            return;
        }
        if ("bridge".equals(a.network()) && !Normalizer.aliases(a.aliases(), Normalizer.autoAliases(lc)).isEmpty()) {
            notice(Severity.ERROR, "aliases-on-default-bridge", key, spec.stack(),
                    "container " + spec.name() + " asks for aliases on the default `bridge`, where Docker has no DNS; not attached",
                    "attach it to a user-defined network for aliases");
            return;
        }
        LiveEndpoint e = lc.endpoint(a.network());
        if (net.fate == Fate.REPLACE && e != null) {
            return; // the replace reconnects it with the desired config
        }
        SortedMap<String, Object> after = Normalizer.attachment(a, spec.name(), lc);
        if (e == null) {
            ChangeDraft c = change(key, spec.stack(), Action.CONNECT);
            c.after = after;
            c.reason = "attachment is in the spec but the container is not connected"
                    + (net.viaSwarm ? "; the daemon attaches it through the swarm to the overlay a swarm manager creates" : "");
            c.endpoints.add(ref(lc, a.network()));
            c.steps.add(new StepDraft(StepOp.CONNECT, a.network(), null, spec.name(), null, desiredEndpoint(a)));
            connecting.add(spec.name());
            return;
        }
        SortedMap<String, Object> before = Normalizer.endpoint(e, lc);
        String stale = staleEndpoint(e, net);
        if (before.equals(after) && stale == null) {
            attachmentContested(spec, a, key);
            return;
        }
        if (stale == null && attachmentHeldForPeer(spec, e, key, before, after)) {
            return;
        }
        attachmentContested(spec, a, key);
        ChangeDraft c = change(key, spec.stack(), Action.RECONNECT);
        c.before = before;
        c.after = after;
        c.reason = (stale != null ? stale + (before.equals(after) ? "" : "; " + Reasons.attachmentDiff(before, after))
                : Reasons.attachmentDiff(before, after)) + " (Docker cannot edit an endpoint in place: disconnect + connect)";
        c.endpoints.add(ref(lc, a.network()));
        c.steps.add(disconnect(lc, e));
        c.steps.add(new StepDraft(StepOp.CONNECT, a.network(), null, spec.name(), null, desiredEndpoint(a)));
        connecting.add(spec.name());
    }

    /**
     * Why an endpoint must be made again although its settings match: it was made on a network that
     * is gone (removed and re-created under the same name while the container was stopped, which
     * Docker allows), so the container cannot start until it is reconnected. Null when it is fine.
     * Docker's own networks are looked up by name on start and never count.
     */
    private static String staleEndpoint(LiveEndpoint e, Net net) {
        if (e.networkId().isEmpty() || NetworkSpec.isPredefined(net.name) || net.viaSwarm) {
            return null; // a worker sees an overlay only while a running container uses it
        }
        if (net.live == null) {
            return "endpoint points to a network that no longer exists (id " + shortId(e.networkId())
                    + "); the network of that name is created by this plan";
        }
        if (net.live.id().equals(e.networkId())) {
            return null;
        }
        return "endpoint points to a network that no longer exists (id " + shortId(e.networkId())
                + "); the network of that name is " + shortId(net.live.id());
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** Containers the spec does not declare, attached to declared managed networks. */
    private void planUndeclaredContainers() {
        for (LiveContainer lc : live.containers().values()) {
            if (desired.containers().containsKey(lc.name()) || lc.labels().containsKey(SWARM_TASK_LABEL)) {
                // Swarm service tasks belong to their service; Docker refuses to disconnect them by hand.
                continue;
            }
            for (LiveEndpoint e : lc.endpoints()) {
                Net net = nets.get(e.network());
                if (net != null && net.owned && net.spec != null && net.fate == Fate.KEEP && !net.attachBlocked) {
                    drift(lc, net, true);
                }
            }
        }
    }

    /**
     * An endpoint on a managed network that the spec does not declare: disconnected under self-heal,
     * otherwise reported. {@code act} false only reports (a replace already handles the endpoint).
     */
    private void drift(LiveContainer lc, Net net, boolean act) {
        ResourceKey key = ResourceKey.attachment(lc.name(), net.name);
        String stack = desired.containers().containsKey(lc.name()) ? stackOf(lc.name()) : net.spec != null ? net.spec.stack() : "";
        if (act && policy.selfHeal()) {
            ChangeDraft c = change(key, stack, Action.DISCONNECT);
            c.before = Normalizer.endpoint(lc.endpoint(net.name), lc);
            c.reason = "attached outside the spec to a network stackwire manages; self-heal disconnects it";
            c.endpoints.add(ref(lc, net.name));
            c.steps.add(disconnect(lc, lc.endpoint(net.name)));
            return;
        }
        notice(Severity.WARNING, "drift-unmanaged-attachment", key, stack,
                "container " + lc.name() + " is attached to " + net.name + ", which the spec does not declare for it; left alone (self-heal off)",
                "declare the attachment in the spec, disconnect it by hand, or enable selfHeal");
    }

    /** Suffixes of the temporary names a container replacement uses (see DockerGateway#replaceContainer). */
    static final String NEW_SUFFIX = "-stackwire-new";
    static final String OLD_SUFFIX = "-stackwire-old";

    /**
     * Published ports: compared only when the spec has a {@code ports:} key. A difference re-creates
     * the container (Docker cannot change bindings in place), as far as the replace policy allows
     * and only when every new binding can be had: on an address this host has, on a port no other
     * container and no process holds.
     */
    private void planPorts(ContainerSpec spec, LiveContainer lc) {
        if (!spec.managesPorts()) {
            return;
        }
        ResourceKey key = ResourceKey.container(spec.name());
        List<PortBinding> want = Normalizer.ports(spec.ports());
        List<PortBinding> have = Normalizer.ports(lc.configuredPorts());
        if (want.equals(have)) {
            return;
        }
        String mode = lc.networkMode();
        // A --network none container that joins a network has its ports published from then on.
        boolean noNetwork = "none".equals(mode) && !onANetwork(spec, lc);
        if (!want.isEmpty() && ("host".equals(mode) || noNetwork || mode.startsWith("container:"))) {
            notice(Severity.ERROR, "ports-without-network", key, spec.stack(),
                    "container " + spec.name() + " uses --network " + mode + ", where Docker publishes no ports",
                    "none".equals(mode) ? "remove ports: from the spec, or attach the container to a network in the spec"
                            : "remove ports: from the spec, or re-create the container on a network");
            return;
        }
        List<PortBinding> added = new ArrayList<>(want);
        added.removeAll(have);
        List<PortBinding> removed = new ArrayList<>(have);
        removed.removeAll(want);
        String diff = "ports changed: " + texts(removed) + " -> " + texts(added);
        if (!portsAvailable(spec, lc, added)) {
            return;
        }
        ReplacePolicy rp = spec.replace() != null ? spec.replace() : desired.policy().replace();
        if (rp == ReplacePolicy.NEVER) {
            notice(Severity.WARNING, "ports-drift", key, spec.stack(),
                    "container " + spec.name() + ": " + diff + ", but its replace policy is never; left alone",
                    "re-create the container by hand, or set replace: allow (or plan-only) for it");
            return;
        }
        if (rp == ReplacePolicy.PLAN_ONLY && policy.unattended()) {
            notice(Severity.WARNING, "replace-needs-approval", key, spec.stack(),
                    "container " + spec.name() + ": " + diff + "; replace policy plan-only, so only a confirmed apply re-creates it",
                    "run `stackwire apply` and confirm, or set replace: allow for it");
            return;
        }
        ChangeDraft c = change(key, spec.stack(), Action.REPLACE);
        c.before = portAttributes(lc.running() && !lc.actualPorts().isEmpty()
                ? Normalizer.actualPorts(lc.actualPorts()) : have);
        c.after = portAttributes(want);
        c.forcesReplacement = List.of("ports");
        c.reason = diff + " forces replacement" + (rp == ReplacePolicy.PLAN_ONLY
                ? " (replace: plan-only: only a confirmed apply performs it)" : "");
        c.disruptive = true;
        for (LiveEndpoint e : lc.endpoints()) {
            c.endpoints.add(ref(lc, e.network()));
        }
        c.steps.add(new StepDraft(StepOp.REPLACE_CONTAINER, "", null, spec.name(), null, null,
                new ContainerReplace(lc.id(), want, rp == ReplacePolicy.PLAN_ONLY)));
    }

    /** On a network other than {@code none} now, or after this plan (the spec attaches it to one). */
    private static boolean onANetwork(ContainerSpec spec, LiveContainer lc) {
        return lc.endpoints().stream().anyMatch(e -> !"none".equals(e.network()))
                || spec.attachments().stream().anyMatch(a -> !NetworkSpec.isPredefined(a.network()) || "bridge".equals(a.network()));
    }

    private static SortedMap<String, Object> portAttributes(List<PortBinding> ports) {
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("ports", Normalizer.portTexts(ports));
        return m;
    }

    private static String texts(List<PortBinding> ports) {
        return ports.isEmpty() ? "(none)" : String.join(", ", Normalizer.portTexts(ports));
    }

    /**
     * Whether every binding the container does not have yet can be had; reports each one that cannot
     * (Docker would only fail when it starts the new container, after the old one was stopped).
     */
    private boolean portsAvailable(ContainerSpec spec, LiveContainer lc, List<PortBinding> added) {
        ResourceKey key = ResourceKey.container(spec.name());
        HostPorts host = policy.host();
        boolean ok = true;
        TreeSet<String> missing = new TreeSet<>();
        for (PortBinding b : added) {
            String ip = b.hostIp();
            if (host.probed() && !ip.isEmpty() && !"::".equals(ip) && !host.addresses().contains(ip)) {
                missing.add(ip);
            }
        }
        for (String ip : missing) {
            ok = false;
            notice(Severity.ERROR, "port-address-not-on-host", key, spec.stack(),
                    "container " + spec.name() + " publishes ports on " + ip + ", which is not an address of this host"
                            + " (Docker would fail to start it); not replaced",
                    "use one of this host's addresses (" + String.join(", ", host.addresses()) + "), e.g. through a host variable");
        }
        TreeMap<String, String> conflicts = new TreeMap<>();
        for (PortBinding b : added) {
            if (b.randomHostPort()) {
                continue;
            }
            for (LiveContainer other : live.containers().values()) {
                if (other.name().equals(lc.name()) || !other.running()) {
                    continue;
                }
                List<PortBinding> held = new ArrayList<>(Normalizer.actualPorts(other.actualPorts()));
                held.addAll(Normalizer.ports(other.configuredPorts()));
                for (PortBinding h : held) {
                    if (overlaps(b, h)) {
                        conflicts.putIfAbsent(b.toString(), "held by container " + other.name() + " (" + h + ")");
                    }
                }
            }
            for (int port = b.hostPortStart(); port <= b.hostPortEnd() && !conflicts.containsKey(b.toString()); port++) {
                String busy = host.busy().get(HostPorts.key(b.hostIp(), port, b.protocol()));
                if (busy != null) {
                    conflicts.put(b.toString(), "in use on this host: " + busy);
                }
            }
        }
        for (Map.Entry<String, String> e : conflicts.entrySet()) {
            ok = false;
            notice(Severity.ERROR, "port-conflict", key, spec.stack(),
                    "container " + spec.name() + " wants host port " + e.getKey() + ", which is " + e.getValue() + "; not replaced",
                    "pick a free host port, or free this one first");
        }
        return ok;
    }

    /** Same protocol, intersecting host ports, and addresses that meet (every interface meets all). */
    private static boolean overlaps(PortBinding a, PortBinding b) {
        if (a.protocol() != b.protocol() || a.randomHostPort() || b.randomHostPort()
                || a.hostPortEnd() < b.hostPortStart() || b.hostPortEnd() < a.hostPortStart()) {
            return false;
        }
        String x = a.hostIp();
        String y = b.hostIp();
        if (x.isEmpty() || y.isEmpty() || x.equals(y)) {
            return true;
        }
        return ("::".equals(x) && y.contains(":")) || ("::".equals(y) && x.contains(":"));
    }

    /**
     * Containers left behind by an interrupted replacement ({@code web-stackwire-new},
     * {@code web-stackwire-old}) of a declared container: a REPAIR_REPLACEMENT step finishes or
     * undoes it where {@link ReplaceRepair} knows how; anything else is reported, never touched.
     */
    private void planLeftovers() {
        TreeSet<String> bases = new TreeSet<>();
        for (LiveContainer lc : live.containers().values()) {
            String n = lc.name();
            String suffix = n.endsWith(NEW_SUFFIX) ? NEW_SUFFIX : n.endsWith(OLD_SUFFIX) ? OLD_SUFFIX : null;
            if (suffix != null && desired.containers().containsKey(n.substring(0, n.length() - suffix.length()))) {
                bases.add(n.substring(0, n.length() - suffix.length()));
            }
        }
        for (String base : bases) {
            ContainerSpec spec = desired.containers().get(base);
            LiveContainer b = live.container(base);
            LiveContainer nw = live.container(base + NEW_SUFFIX);
            LiveContainer od = live.container(base + OLD_SUFFIX);
            ReplaceRepair repair = ReplaceRepair.of(slot(b), slot(nw), slot(od));
            if (repair != null) {
                planRepair(spec, repair, b, nw, od);
                continue;
            }
            ResourceKey key = ResourceKey.container(base);
            if (b == null) {
                String n = od != null ? od.name() : nw.name();
                notice(Severity.ERROR, "replace-interrupted", key, spec.stack(),
                        "container " + base + " is missing, and " + n + " is left from an interrupted replacement"
                                + " that stackwire cannot finish by itself",
                        "put it back with `docker rename " + n + " " + base + "` (and `docker start " + base
                                + "` if it should run), then plan again");
                continue;
            }
            if (od != null) {
                notice(Severity.WARNING, "replace-leftover", key, spec.stack(),
                        "container " + od.name() + " is what " + base + " was before a replacement whose clean-up did not finish; left alone",
                        "check " + base + ", then remove the old one with `docker rm " + od.name() + "` (its volumes stay)");
            }
            if (nw != null) {
                notice(Severity.WARNING, "replace-leftover", key, spec.stack(),
                        "container " + nw.name() + " is left over from an interrupted replacement of " + base
                                + "; the next replacement of " + base + " removes it",
                        "or remove it now with `docker rm " + nw.name() + "`");
            }
        }
    }

    private static ReplaceRepair.Slot slot(LiveContainer lc) {
        return lc == null ? null : ReplaceRepair.slot(lc.id(), lc.running(), lc.labels());
    }

    /** One change with one REPAIR_REPLACEMENT step; its reason says what the step will do. */
    private void planRepair(ContainerSpec spec, ReplaceRepair repair, LiveContainer b, LiveContainer nw, LiveContainer od) {
        String base = spec.name();
        boolean start = ReplaceRepair.startAfter(repair, slot(b), slot(nw));
        String then = start ? ", start it" : "";
        ChangeDraft c;
        switch (repair) {
            case REMOVE_NEW -> {
                c = change(ResourceKey.container(nw.name()), spec.stack(), Action.DELETE);
                c.reason = "left by a replacement of " + base + " interrupted before the swap; removed"
                        + (start ? ", and " + base + " (the old container, which ran) started again" : "");
            }
            case REMOVE_OLD -> {
                c = change(ResourceKey.container(od.name()), spec.stack(), Action.DELETE);
                c.reason = "the old " + base + ", left by a replacement interrupted after the swap; removed (its volumes stay)"
                        + (start ? ", and the new " + base + " started" : "");
            }
            case FINISH -> {
                c = change(ResourceKey.container(base), spec.stack(), Action.CREATE);
                c.after = portAttributes(Normalizer.ports(nw.configuredPorts()));
                c.reason = "missing after a replacement interrupted between the renames; finished: rename " + nw.name()
                        + " (complete) to " + base + then + ", remove " + od.name() + " (its volumes stay)";
            }
            default -> {
                c = change(ResourceKey.container(base), spec.stack(), Action.CREATE);
                c.after = portAttributes(Normalizer.ports(od.configuredPorts()));
                c.reason = "missing after an interrupted replacement; restored: rename " + od.name() + " back to " + base
                        + " (left stopped: start it if it should run; the next plan replaces it again if its ports differ)";
            }
        }
        c.disruptive = start || repair == ReplaceRepair.FINISH || repair == ReplaceRepair.RESTORE;
        if (b == null) {
            // The repair puts a container under the name, with the attachments it had: not pending.
            ResourceKey key = ResourceKey.container(base);
            notices.removeIf(n -> n.code().equals("pending-container") && key.equals(n.subject()));
        }
        c.steps.add(new StepDraft(StepOp.REPAIR_REPLACEMENT, "", null, base, null, null));
    }

    // ---- destroy -------------------------------------------------------------------------------

    private void planDestroy() {
        Set<String> stacks = policy.stacks().isEmpty() ? desiredStacks : policy.stacks();
        checkDestroyStacks();
        for (LiveNetwork ln : live.networks().values()) {
            NetworkSpec spec = desired.networks().get(ln.name());
            String stack = spec != null ? spec.stack() : ln.stack() == null ? "" : ln.stack();
            if (!stacks.contains(stack) || NetworkSpec.isPredefined(ln.name()) || (spec != null && spec.external())) {
                continue;
            }
            ResourceKey key = ResourceKey.network(ln.name());
            if (!ln.managed()) {
                if (spec != null) {
                    notice(Severity.WARNING, "destroy-skipped-unlabelled", key, stack,
                            "network " + ln.name() + " carries no stackwire labels; destroy leaves it alone", "remove it by hand if it should go");
                }
                continue;
            }
            Owner whose = ownerOf(ln);
            if (whose == Owner.OTHER && spec == null) {
                othersLeftAlone.merge(ln.owner(), 1, Integer::sum);
                continue;
            }
            if (whose == Owner.OTHER) {
                notice(Severity.WARNING, "destroy-skipped-other-owner", key, stack,
                        "network " + ln.name() + " belongs to another repository (owner " + ln.owner() + "); destroy leaves it alone",
                        "destroy it from that repository");
                continue;
            }
            if (whose == Owner.LEGACY && spec == null) {
                notice(Severity.WARNING, "destroy-skipped-legacy", key, stack,
                        "network " + ln.name() + " of stack '" + stack + "' was made by an earlier stackwire without an owner label"
                                + " and this spec does not declare it, so it may belong to another repository; left alone",
                        "if no repository declares it any more, remove it by hand: docker network rm " + ln.name());
                continue;
            }
            if ("swarm".equals(ln.scope()) && !ownsOverlays) {
                notice(Severity.WARNING, "destroy-skipped-swarm", key, stack,
                        "overlay network " + ln.name() + " is swarm-scoped; only stackwire on the swarm leader removes it", "run destroy on the swarm leader (`docker node ls` marks it Leader)");
                continue;
            }
            TreeSet<String> others = new TreeSet<>();
            for (String c : wantedBy.getOrDefault(ln.name(), new TreeSet<>())) {
                if (!stacks.contains(stackOf(c))) {
                    others.add(c);
                }
            }
            if (!others.isEmpty()) {
                notice(Severity.WARNING, "destroy-skipped-in-use", key, stack,
                        "network " + ln.name() + " is kept: containers " + String.join(", ", others) + " of other stacks still use it", "");
                continue;
            }
            Net net = new Net(ln.name(), spec, ln);
            net.fate = Fate.REMOVE;
            nets.put(ln.name(), net);
            removeNetwork(net, stack, "destroy requested for stack " + stack);
        }
        for (ContainerSpec spec : desired.containers().values()) {
            LiveContainer lc = live.container(spec.name());
            if (!stacks.contains(spec.stack()) || lc == null) {
                continue;
            }
            for (String network : declaredByNetwork(spec).keySet()) {
                if (NetworkSpec.isPredefined(network)) {
                    // Docker's own networks: leaving `bridge` would cut the container off, and `host`/`none` are modes.
                    continue;
                }
                LiveEndpoint e = lc.endpoint(network);
                Net removed = nets.get(network);
                if (e == null || (removed != null && removed.fate == Fate.REMOVE)) {
                    continue;
                }
                ChangeDraft c = change(ResourceKey.attachment(spec.name(), network), spec.stack(), Action.DISCONNECT);
                c.before = Normalizer.endpoint(e, lc);
                c.reason = "destroy requested for stack " + spec.stack();
                c.endpoints.add(ref(lc, network));
                c.steps.add(disconnect(lc, e));
            }
        }
    }

    /**
     * {@code destroy --stack NAME} for a stack that neither the spec nor any network stackwire
     * manages on the daemon has: a typo, which would otherwise destroy nothing and say so quietly.
     * A stack that left the spec but still has managed networks here is fine: that is how it is cleaned up.
     */
    private void checkDestroyStacks() {
        Set<String> known = new TreeSet<>(desiredStacks);
        for (LiveNetwork ln : live.networks().values()) {
            if (ln.managed() && ln.stack() != null) {
                known.add(ln.stack());
            }
        }
        for (String stack : policy.stacks()) {
            if (known.contains(stack)) {
                continue;
            }
            String close = io.stackwire.model.yaml.Suggest.closest(stack, known);
            notice(Severity.ERROR, "unknown-stack", null, stack,
                    "stack '" + stack + "' is neither in the spec nor on any network stackwire manages on this daemon; nothing to destroy for it",
                    close != null ? "did you mean '" + close + "'?"
                            : known.isEmpty() ? "this spec and daemon have no stacks" : "known stacks: " + String.join(", ", known));
        }
    }

    // ---- addresses -----------------------------------------------------------------------------

    /**
     * A network created or re-created in address space that a network staying on the daemon holds:
     * Docker refuses the create ("Pool overlaps with other one on this address space"), for a
     * replacement only once the old network is gone and its containers are off it. Found here, before
     * any change, instead. Space that a network removed in this plan holds is free by the time the
     * create runs ({@link #extraOrder}). Repeats until nothing more is blocked, since a blocked
     * replacement keeps its old space.
     */
    private void checkSubnetsFree() {
        boolean again = true;
        while (again) {
            again = false;
            Set<String> removed = stepNetworks(StepOp.REMOVE_NETWORK);
            for (Net net : nets.values()) {
                if (net.fate != Fate.CREATE && net.fate != Fate.REPLACE) {
                    continue;
                }
                TreeSet<String> clashes = new TreeSet<>();
                for (IpamPool pool : net.spec.ipam().pools()) {
                    for (LiveNetwork other : live.networks().values()) {
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
                changes.removeIf(c -> c.key.equals(key));
                notice(Severity.ERROR, "subnet-in-use", key, net.spec.stack(),
                        "network " + net.name + " cannot be " + verb + ": subnet " + String.join("; ", clashes)
                                + ", which this plan keeps (Docker refuses overlapping pools); not " + verb + ", and attachments to it wait",
                        "give " + net.name + " a free subnet, or let that network go first: stackwire removes it in the same plan"
                                + " when it prunes, destroys or replaces it, otherwise `docker network rm` it");
                again = true;
            }
        }
    }

    /** A static address one planned CONNECT asks for. */
    private record Take(ChangeDraft change, String container, String network, String address) {}

    /**
     * A static address that another endpoint on the network holds (its configured address, or the
     * one it has now, dynamic or not), that is the network's gateway or an aux address, or that
     * another CONNECT in this plan asks for: Docker refuses the connect ("Address already in use"),
     * or, with the holder stopped, accepts it and the holder cannot start. The attachment gets no
     * steps and an error naming the holder; the rest of the plan goes ahead. A holder that this plan
     * disconnects first frees the address ({@link #extraOrder}). A replacement's own reconnects were
     * checked before it was planned ({@link #reconnectAddressesFree}). Repeats until stable: a
     * refused reconnect keeps its container on its old address.
     */
    private void checkAddresses() {
        boolean again = true;
        while (again) {
            Map<String, List<Take>> takes = takes();
            Set<String> leaving = leaving();
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
                changes.remove(c);
                String container = c.key.name();
                notice(Severity.ERROR, "address-in-use", c.key, c.stack,
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
        for (ChangeDraft c : changes) {
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

    /** Container and network of every DISCONNECT planned. */
    private Set<String> leaving() {
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

    private Set<String> stepNetworks(StepOp op) {
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

    /** Who holds or takes the address {@code t} asks for, in words; empty when it is free for it. */
    private List<String> holders(Take t, List<Take> same, Set<String> leaving) {
        List<String> out = new ArrayList<>();
        for (Member m : members.getOrDefault(t.network(), List.of())) {
            String name = m.container().name();
            if (!name.equals(t.container()) && holds(m.endpoint(), t.address()) && !leaving.contains(name + "\u0000" + t.network())) {
                out.add("held by container " + name + " (" + (desired.containers().containsKey(name) ? "declared in the spec"
                        : "not managed by stackwire") + ", " + (m.container().running() ? "running" : "stopped, configured with it") + ")");
            }
        }
        Net net = nets.get(t.network());
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

    private static boolean holds(LiveEndpoint e, String address) {
        return address.equals(IpAddress.canonical(e.ipv4Config())) || address.equals(IpAddress.canonical(e.ipv6Config()))
                || address.equals(IpAddress.canonical(e.ipv4Address())) || address.equals(IpAddress.canonical(e.ipv6Address()));
    }

    /** A container that connects nowhere after all must not leave {@code none} either. */
    private void dropLeavingNone(String container) {
        for (ChangeDraft c : changes) {
            for (StepDraft s : c.steps) {
                if (s.op() == StepOp.CONNECT && container.equals(s.container())) {
                    return;
                }
            }
        }
        changes.removeIf(c -> c.action == Action.DISCONNECT && c.key.equals(ResourceKey.attachment(container, "none")));
    }

    /**
     * The reconnects of a replacement must not ask for one address twice (a declared container's new
     * address that a container outside the spec keeps), nor for a gateway or aux address of the new
     * network: Docker would refuse one half-way, after the old network is gone. Refuses the
     * replacement instead; reports why.
     */
    private boolean reconnectAddressesFree(Net net) {
        Map<String, TreeSet<String>> wanted = new TreeMap<>();
        for (Member m : members.getOrDefault(net.name, List.of())) {
            Attachment a = declaredAttachment(m.container().name(), net.name);
            if (a == null && policy.selfHeal()) {
                continue; // not reconnected
            }
            EndpointConfig cfg = a != null ? desiredEndpoint(a) : liveEndpoint(m.endpoint(), m.container());
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
        notice(Severity.ERROR, "address-in-use", ResourceKey.network(net.name), net.spec.stack(),
                "network " + net.name + " differs from the spec, but its containers could not all rejoin a replacement: "
                        + String.join("; ", problems) + "; not replaced",
                "give each container its own address, away from the gateway and aux addresses, or disconnect the container outside the spec first");
        return false;
    }

    /**
     * Orderings the step kinds do not imply, for {@link Drafts#assemble}, each also said in the
     * reason of the change it holds back (the text plan shows no steps): a CREATE_NETWORK waits
     * for the REMOVE_NETWORK of every other network whose pools overlap its own (a rename that keeps
     * the subnet, a subnet moved into another's old space), and a CONNECT with a static address for
     * the DISCONNECT of the container that holds it now. A create without subnets waits for nothing:
     * the daemon takes the first free pool at that moment, so it never collides.
     */
    private Map<String, List<String>> extraOrder() {
        Map<String, List<String>> after = new HashMap<>();
        Set<String> removed = stepNetworks(StepOp.REMOVE_NETWORK);
        Set<String> created = stepNetworks(StepOp.CREATE_NETWORK);
        Set<String> leaving = leaving();
        for (ChangeDraft c : changes) {
            for (StepDraft s : c.steps) {
                if (s.op() == StepOp.CREATE_NETWORK) {
                    NetworkSpec spec = desired.networks().get(s.network());
                    for (String r : removed) {
                        LiveNetwork old = live.network(r);
                        if (r.equals(s.network()) || old == null || spec == null || !scopeOf(spec).equals(old.scope())) {
                            continue;
                        }
                        if (spec.ipam().pools().stream().anyMatch(p -> old.ipam().pools().stream().anyMatch(q -> subnetsOverlap(p.subnet(), q.subnet())))) {
                            after.computeIfAbsent(s.key(), k -> new ArrayList<>())
                                    .add(new StepDraft(StepOp.REMOVE_NETWORK, r, null, null, null, null).key());
                            c.reason += "; created once network " + r + " is removed, whose address space it reuses";
                            if (created.contains(r)) {
                                // If r's replacement fails, r is put back in its old space (rollback): this
                                // create must not have taken it by then (docs/planning.md, "Rollback").
                                after.get(s.key()).add(new StepDraft(StepOp.CREATE_NETWORK, r, null, null, null, null).key());
                            }
                        }
                    }
                } else if (s.op() == StepOp.CONNECT && s.endpoint() != null) {
                    for (Member m : members.getOrDefault(s.network(), List.of())) {
                        String name = m.container().name();
                        if (name.equals(s.container()) || !leaving.contains(name + "\u0000" + s.network())) {
                            continue;
                        }
                        for (String ip : new String[] {s.endpoint().ipv4Address(), s.endpoint().ipv6Address()}) {
                            String address = IpAddress.canonical(ip);
                            if (address != null && holds(m.endpoint(), address)) {
                                after.computeIfAbsent(s.key(), k -> new ArrayList<>())
                                        .add(new StepDraft(StepOp.DISCONNECT, s.network(), null, name, null, null).key());
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

    // ---- helpers -------------------------------------------------------------------------------

    private ChangeDraft change(ResourceKey key, String stack, Action action) {
        ChangeDraft c = new ChangeDraft(key, stack, action);
        changes.add(c);
        return c;
    }

    private void notice(Severity severity, String code, ResourceKey subject, String stack, String message, String hint) {
        notices.add(new Notice(severity, code, subject, stack, message, hint));
    }

    private EndpointRef ref(LiveContainer lc, String network) {
        return new EndpointRef(lc.name(), network, desired.containers().containsKey(lc.name()), lc.running());
    }

    private String stackOf(String container) {
        ContainerSpec c = desired.containers().get(container);
        return c == null ? "" : c.stack();
    }

    /** One attachment per network; if the spec repeats a network, the first wins (the loader rejects that). */
    private static Map<String, Attachment> declaredByNetwork(ContainerSpec spec) {
        Map<String, Attachment> out = new TreeMap<>();
        for (Attachment a : spec.attachments()) {
            out.putIfAbsent(a.network(), a);
        }
        return out;
    }

    private Attachment declaredAttachment(String container, String network) {
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
}
