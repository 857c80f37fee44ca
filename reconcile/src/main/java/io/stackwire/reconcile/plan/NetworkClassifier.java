package io.stackwire.reconcile.plan;

import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.plan.PlanContext.Fate;
import io.stackwire.reconcile.plan.PlanContext.Net;
import io.stackwire.reconcile.plan.PlanContext.Owner;
import java.util.TreeSet;

/**
 * What happens to each network the spec names (docs/planning.md, "Networks", "Ownership", "Overlays and
 * swarm roles"): its {@link PlanContext.Fate}, and the notices for networks that cannot be used as declared.
 */
final class NetworkClassifier {

    private final PlanContext cx;
    private final PeerConflicts peers;

    NetworkClassifier(PlanContext cx, PeerConflicts peers) {
        this.cx = cx;
        this.peers = peers;
    }

    /** Declared networks: their fate, and why one cannot be created, changed or used as declared. */
    void classifyDeclaredNetworks() {
        for (NetworkSpec spec : cx.desired.networks().values()) {
            LiveNetwork ln = cx.live.network(spec.name());
            Net net = new Net(spec.name(), spec, ln);
            cx.nets.put(spec.name(), net);
            ResourceKey key = ResourceKey.network(spec.name());
            if (NetworkSpec.isPredefined(spec.name())) {
                if (!spec.external()) {
                    cx.notice(NoticeCode.PREDEFINED_NETWORK, key, spec.stack(),
                            "network " + spec.name() + " is one of Docker's predefined networks and cannot be created, changed or removed");
                }
                net.fate = "bridge".equals(spec.name()) && ln != null ? Fate.KEEP : Fate.BLOCKED;
                continue;
            }
            if (spec.external()) {
                if (ln == null) {
                    net.fate = Fate.BLOCKED;
                    cx.notice(NoticeCode.EXTERNAL_NETWORK_MISSING, key, spec.stack(),
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
            } else if (ln.managed() && cx.ownerOf(ln) == Owner.OTHER) {
                net.fate = Fate.BLOCKED;
                cx.notice(NoticeCode.CONFLICT_OTHER_OWNER, key, spec.stack(),
                        "network " + spec.name() + " belongs to another repository (owner " + ln.owner() + "), which manages it;"
                                + " this one leaves it alone, and attachments to it too",
                        "rename the network in one of the two repositories; if both are really one repository, set the same"
                                + " `owner:` in both stackwire.yaml files (this one is " + cx.desired.owner() + ")");
            } else if (!ln.managed() && !spec.adopt()) {
                net.fate = Fate.BLOCKED;
                cx.notice(NoticeCode.CONFLICT_UNMANAGED_NETWORK, key, spec.stack(),
                        "network " + spec.name() + " exists but was not created by stackwire; it is left alone, and so are attachments to it");
            } else {
                net.owned = true;
                boolean equal = Normalizer.network(ln, spec).equals(Normalizer.network(spec));
                if (!equal && stillAllocating(ln)) {
                    // Replacing it now would undo the create a pass ago; the next observation sees it whole.
                    cx.notice(NoticeCode.OVERLAY_ALLOCATING, key, spec.stack(),
                            "overlay network " + spec.name() + " is listed without its subnet and driver options: the swarm"
                                    + " manager has not allocated it yet, so it is compared on the next pass, not replaced",
                            "nothing to do; if this stays for more than a few seconds, check `docker network inspect "
                                    + spec.name() + "` and the managers' health (`docker node ls`)");
                } else if (!equal && !(overlay && !overlayAllowed(net, "differs from the spec")) && !peers.heldForPeer(net)) {
                    net.fate = Fate.REPLACE;
                } else if (equal && !ln.managed()) {
                    cx.notice(NoticeCode.ADOPTED_UNLABELLED, key, spec.stack(),
                            "network " + spec.name() + " is adopted as is: it matches the spec but carries no stackwire labels,"
                                    + " so prune and destroy leave it alone");
                }
                if (net.fate != Fate.BLOCKED) {
                    peers.contestedBy(net);
                }
                if (ln.managed() && cx.ownerOf(ln) == Owner.LEGACY && net.fate != Fate.REPLACE) {
                    // Docker cannot relabel a network, and replacing it only for a label would cut its containers off.
                    cx.notice(NoticeCode.ADOPTED_LEGACY_NETWORK, key, spec.stack(),
                            "network " + spec.name() + " was made by an earlier stackwire without an owner label; adopted by owner "
                                    + cx.desired.owner() + ", since this spec declares it");
                }
            }
        }
    }

    /** Networks containers attach to that the spec does not declare: used as they are, never owned. */
    void classifyReferencedNetworks() {
        for (String name : new TreeSet<>(cx.wantedBy.keySet())) {
            if (cx.nets.containsKey(name)) {
                continue;
            }
            LiveNetwork ln = cx.live.network(name);
            Net net = new Net(name, null, ln);
            cx.nets.put(name, net);
            if ("host".equals(name) || "none".equals(name)) {
                // Listing host or none states the container's network mode: checked, never attached.
                net.fate = Fate.BLOCKED;
                for (String c : cx.wantedBy.get(name)) {
                    LiveContainer lc = cx.live.container(c);
                    if (lc != null && !inMode(lc, name)) {
                        cx.notice(NoticeCode.NETWORK_MODE_MISMATCH, ResourceKey.attachment(c, name), cx.stackOf(c),
                                "container " + c + " is listed on `" + name + "`, but runs with --network " + lc.networkMode()
                                        + (lc.endpoints().isEmpty() ? "" : " on " + String.join(", ",
                                                lc.endpoints().stream().map(LiveEndpoint::network).toList()))
                                        + "; Docker cannot change a container's network mode",
                                "re-create it with --network " + name + ", or list the networks it should be on instead");
                    }
                }
            } else if (ln == null) {
                net.fate = Fate.BLOCKED;
                for (String c : cx.wantedBy.get(name)) {
                    cx.notice(NoticeCode.ATTACHMENT_NETWORK_MISSING, ResourceKey.attachment(c, name), cx.stackOf(c),
                            "container " + c + " wants network " + name + ", which neither the spec declares nor the daemon has");
                }
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

    /** Plain containers can only join a swarm-scoped network that is attachable once the plan has run. */
    void checkAttachable(Net net) {
        if (!cx.wantedBy.containsKey(net.name) || net.fate == Fate.BLOCKED) {
            return;
        }
        boolean fromSpec = net.fate == Fate.CREATE || net.fate == Fate.REPLACE || net.live == null;
        boolean swarm = fromSpec ? NetworkSpec.OVERLAY.equals(net.spec.driver()) : "swarm".equals(net.live.scope());
        boolean attachable = fromSpec ? net.spec.attachable() : net.live.attachable();
        if (swarm && !attachable) {
            net.attachBlocked = true;
            cx.notice(NoticeCode.OVERLAY_NOT_ATTACHABLE, ResourceKey.network(net.name), net.spec == null ? "" : net.spec.stack(),
                    "overlay network " + net.name + " is not attachable, so plain containers cannot join it",
                    net.spec == null || net.spec.external() ? "re-create the network with --attachable" : "set `attachable: true` on the network");
        }
    }

    /** Whether this node may create or replace an overlay; otherwise reports why not and blocks it. */
    private boolean overlayAllowed(Net net, String what) {
        ResourceKey key = ResourceKey.network(net.name);
        String stack = net.spec.stack();
        switch (cx.role) {
            case MANAGER:
            case WORKER:
                if (cx.ownsOverlays) {
                    return true;
                }
                String node = cx.role == SwarmInfo.Role.MANAGER ? "manager (not the swarm leader)" : "worker";
                if (net.live == null) {
                    // A worker lists a swarm overlay only once one of its containers uses it, so "not
                    // visible" does not mean "missing": its connects go through the swarm, and fail
                    // (to be retried) until the leader's stackwire has created the network.
                    net.viaSwarm = true;
                    cx.notice(NoticeCode.OVERLAY_PENDING, key, stack,
                            "overlay network " + net.name + " is not visible on this " + node + "; it is created by stackwire on the swarm"
                                    + " leader (a swarm manager), and this host only attaches its own containers, once the network exists");
                } else {
                    cx.notice(NoticeCode.OVERLAY_DRIFT, key, stack,
                            "overlay network " + net.name + " " + what + "; only stackwire on the swarm leader (a swarm manager) replaces it");
                }
                return false;
            default:
                if (net.live == null) {
                    net.fate = Fate.BLOCKED;
                }
                cx.notice(NoticeCode.SWARM_REQUIRED, key, stack,
                        "overlay network " + net.name + " " + what + ", but this Docker engine is not in swarm mode");
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

    static final String VXLAN_OPTION = "com.docker.network.driver.overlay.vxlanid_list";

    static boolean isOverlay(NetworkSpec spec, LiveNetwork ln) {
        return NetworkSpec.OVERLAY.equals(spec.driver()) || (ln != null && "swarm".equals(ln.scope()));
    }
}
