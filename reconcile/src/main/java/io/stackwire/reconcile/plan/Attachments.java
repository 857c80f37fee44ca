package io.stackwire.reconcile.plan;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.Drafts.StepDraft;
import io.stackwire.reconcile.plan.PlanContext.Fate;
import io.stackwire.reconcile.plan.PlanContext.Net;
import java.util.Map;
import java.util.SortedMap;

/**
 * Declared containers' attachments: connect, reconnect, drift on managed networks, and the
 * network modes that cannot join networks (docs/planning.md, "Attachments").
 */
final class Attachments {

    private final PlanContext cx;
    private final PeerConflicts peers;
    private final Ports ports;

    Attachments(PlanContext cx, PeerConflicts peers, Ports ports) {
        this.cx = cx;
        this.peers = peers;
        this.ports = ports;
    }

    /**
     * Each declared container that exists: its ports ({@link Ports}), then its attachments, the
     * drift of its undeclared endpoints, and leaving {@code none}; a missing one is pending.
     */
    void planContainers() {
        for (ContainerSpec spec : cx.desired.containers().values()) {
            LiveContainer lc = cx.live.container(spec.name());
            if (lc == null) {
                cx.notice(NoticeCode.PENDING_CONTAINER, ResourceKey.container(spec.name()), spec.stack(),
                        "container " + spec.name() + " does not exist yet; its attachments are made when it appears");
                continue;
            }
            ports.planPorts(spec, lc);
            if (!spec.attachments().isEmpty() && sharesNetworkStack(lc)) {
                continue;
            }
            Map<String, Attachment> declared = PlanContext.declaredByNetwork(spec);
            for (Attachment a : declared.values()) {
                planAttachment(spec, lc, a);
            }
            for (LiveEndpoint e : lc.endpoints()) {
                Net net = cx.nets.get(e.network());
                if (!declared.containsKey(e.network()) && net != null && net.owned && net.fate == Fate.KEEP && !net.attachBlocked) {
                    drift(lc, net, true);
                }
            }
            if (cx.connecting.contains(spec.name()) && lc.endpoint("none") != null) {
                ChangeDraft c = cx.change(ResourceKey.attachment(spec.name(), "none"), spec.stack(), Action.DISCONNECT);
                c.before = Normalizer.endpoint(lc.endpoint("none"), lc);
                c.reason = "leaves `none` before joining other networks";
                c.disruptive = false;
                c.endpoints.add(cx.ref(lc, "none"));
                c.steps.add(new StepDraft(StepOp.DISCONNECT, "none", null, spec.name(), null, null, null));
            }
        }
    }

    /** Host-mode and container-mode containers cannot join networks; reports it with the fix. */
    private boolean sharesNetworkStack(LiveContainer lc) {
        String mode = lc.networkMode();
        String stack = cx.stackOf(lc.name());
        ResourceKey key = ResourceKey.container(lc.name());
        if (PlanContext.declaredByNetwork(cx.desired.containers().get(lc.name())).containsKey("host")) {
            return true; // host listed: checked against the mode with the referenced networks
        }
        if ("host".equals(mode)) {
            cx.notice(NoticeCode.CONTAINER_HOST_NETWORK, key, stack,
                    "container " + lc.name() + " uses the host's network stack (--network host) and cannot join other networks");
            return true;
        }
        if (mode.startsWith("container:")) {
            cx.notice(NoticeCode.CONTAINER_SHARED_NETWORK, key, stack,
                    "container " + lc.name() + " shares another container's network stack (--network " + mode + ") and cannot join networks itself");
            return true;
        }
        return false;
    }

    private void planAttachment(ContainerSpec spec, LiveContainer lc, Attachment a) {
        Net net = cx.nets.get(a.network());
        ResourceKey key = ResourceKey.attachment(spec.name(), a.network());
        if (net == null || !net.usable()) {
            return;
        }
        if ("bridge".equals(a.network()) && !Normalizer.aliases(a.aliases(), Normalizer.autoAliases(lc)).isEmpty()) {
            cx.notice(NoticeCode.ALIASES_ON_DEFAULT_BRIDGE, key, spec.stack(),
                    "container " + spec.name() + " asks for aliases on the default `bridge`, where Docker has no DNS; not attached");
            return;
        }
        LiveEndpoint e = lc.endpoint(a.network());
        if (net.fate == Fate.REPLACE && e != null) {
            return; // the replace reconnects it with the desired config
        }
        SortedMap<String, Object> after = Normalizer.attachment(a, spec.name(), lc);
        if (e == null) {
            ChangeDraft c = cx.change(key, spec.stack(), Action.CONNECT);
            c.after = after;
            c.reason = "attachment is in the spec but the container is not connected"
                    + (net.viaSwarm ? "; the daemon attaches it through the swarm to the overlay a swarm manager creates" : "");
            c.endpoints.add(cx.ref(lc, a.network()));
            c.steps.add(new StepDraft(StepOp.CONNECT, a.network(), null, spec.name(), null, PlanContext.desiredEndpoint(a), null));
            cx.connecting.add(spec.name());
            return;
        }
        SortedMap<String, Object> before = Normalizer.endpoint(e, lc);
        String stale = staleEndpoint(e, net);
        if (before.equals(after) && stale == null) {
            peers.attachmentContested(spec, a, key);
            return;
        }
        if (stale == null && peers.attachmentHeldForPeer(spec, e, key, before, after)) {
            return;
        }
        peers.attachmentContested(spec, a, key);
        ChangeDraft c = cx.change(key, spec.stack(), Action.RECONNECT);
        c.before = before;
        c.after = after;
        c.reason = (stale != null ? stale + (before.equals(after) ? "" : "; " + Reasons.attachmentDiff(before, after))
                : Reasons.attachmentDiff(before, after)) + " (Docker cannot edit an endpoint in place: disconnect + connect)";
        c.endpoints.add(cx.ref(lc, a.network()));
        c.steps.add(PlanContext.disconnect(lc, e));
        c.steps.add(new StepDraft(StepOp.CONNECT, a.network(), null, spec.name(), null, PlanContext.desiredEndpoint(a), null));
        cx.connecting.add(spec.name());
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
    void planUndeclaredContainers() {
        for (LiveContainer lc : cx.live.containers().values()) {
            if (cx.desired.containers().containsKey(lc.name()) || lc.labels().containsKey(PlanContext.SWARM_TASK_LABEL)) {
                // Swarm service tasks belong to their service; Docker refuses to disconnect them by hand.
                continue;
            }
            for (LiveEndpoint e : lc.endpoints()) {
                Net net = cx.nets.get(e.network());
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
    void drift(LiveContainer lc, Net net, boolean act) {
        ResourceKey key = ResourceKey.attachment(lc.name(), net.name);
        String stack = cx.desired.containers().containsKey(lc.name()) ? cx.stackOf(lc.name()) : net.spec != null ? net.spec.stack() : "";
        if (act && cx.policy.selfHeal()) {
            ChangeDraft c = cx.change(key, stack, Action.DISCONNECT);
            c.before = Normalizer.endpoint(lc.endpoint(net.name), lc);
            c.reason = "attached outside the spec to a network stackwire manages; self-heal disconnects it";
            c.endpoints.add(cx.ref(lc, net.name));
            c.steps.add(PlanContext.disconnect(lc, lc.endpoint(net.name)));
            return;
        }
        cx.notice(NoticeCode.DRIFT_UNMANAGED_ATTACHMENT, key, stack,
                "container " + lc.name() + " is attached to " + net.name + ", which the spec does not declare for it; left alone (self-heal off)");
    }
}
