package io.stackwire.reconcile.plan;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.plan.PlanContext.Fate;
import io.stackwire.reconcile.plan.PlanContext.Net;
import java.time.Duration;
import java.time.Instant;
import java.util.SortedMap;

/**
 * Two controllers of one repository (docs/planning.md): holds a network or endpoint another
 * controller made or claims from a disagreeing spec, and reports the conflict on both sides.
 */
final class PeerConflicts {

    private final PlanContext cx;

    PeerConflicts(PlanContext cx) {
        this.cx = cx;
    }

    /**
     * Another controller of this repository (or a hand-run apply) made this network a moment ago
     * from a spec that disagrees with ours: replacing it would have the other side replace it back
     * on its next pass, forever. Unattended, hold it and say whose it is (docs/planning.md, "Two
     * controllers of one repository"); the same spec hash means no disagreement, so no hold.
     */
    boolean heldForPeer(Net net) {
        LiveNetwork ln = net.live;
        if (!cx.policy.unattended() || !ln.managed() || !disagrees(ln, net.spec)) {
            return false;
        }
        // Its maker still asserts it (a live claim): held for as long as that lasts, so the fight
        // ends instead of restarting after every quiet period.
        PeerClaim alive = cx.policy.peers().asserting(ln.controller(), cx.desired.owner(), ResourceKey.network(net.name).address());
        if (alive == null && !cx.policy.peers().holds(ln.controller(), ln.created())) {
            return false;
        }
        net.fate = Fate.BLOCKED;
        if (alive == null) {
            String made = " created it " + Math.max(0, Duration.between(ln.created(), cx.policy.peers().now()).toSeconds()) + "s ago";
            cx.notice(NoticeCode.CONFLICT_OTHER_REVISION, ResourceKey.network(net.name), net.spec.stack(),
                    "network " + net.name + " differs from this spec (revision " + Labels.revision(cx.desired.revision()) + "), but "
                            + madeBy(ln) + made + " from a spec that disagrees; replacing it would make the two"
                            + " replace each other's network every pass, so it is held, and attachments to it too, until "
                            + ln.created().plus(cx.policy.peers().quiet()),
                    "make the two specs agree (point both at one branch, or commit the local edit), or stop the other one; after "
                            + cx.policy.peers().quiet().toMinutes() + " minutes this controller replaces it as usual");
        } else {
            cx.notice(NoticeCode.CONFLICT_OTHER_REVISION, ResourceKey.network(net.name), net.spec.stack(),
                    "network " + net.name + " differs from this spec (revision " + Labels.revision(cx.desired.revision()) + "), but "
                            + madeBy(ln) + (ln.created() == null ? "" : " created it at " + ln.created())
                            + " from a spec that disagrees, and that controller still asserts it (in conflict since "
                            + alive.since() + "); it is held, and attachments to it too, for as long as that controller runs",
                    "make the two specs agree (point both at one branch, or commit the local edit), or stop one of the two"
                            + " controllers; this controller replaces it only once the other has stopped (its claim "
                            + PeerClaim.NAME_PREFIX + alive.controller() + ".* lapses) and the network is older than "
                            + cx.policy.peers().quiet().toMinutes() + " minutes");
        }
        return true;
    }

    /**
     * The other side of a hold: this network stands as our spec wants (or we are about to make it
     * so), but another live controller of this repository claims it with a spec that disagrees
     * and holds off. Reported here too, so both controllers show the conflict; nothing is blocked.
     */
    void contestedBy(Net net) {
        String address = ResourceKey.network(net.name).address();
        String ours = PeerClaim.hashOf(net.spec);
        for (PeerClaim c : cx.policy.peers().others(cx.desired.owner(), address)) {
            if (c.resources().get(address).equals(ours)) {
                continue;
            }
            cx.notice(NoticeCode.CONFLICT_OTHER_REVISION, ResourceKey.network(net.name), net.spec.stack(),
                    "network " + net.name + " is kept as this spec (revision " + Labels.revision(cx.desired.revision())
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
    boolean attachmentHeldForPeer(ContainerSpec spec, LiveEndpoint e, ResourceKey key,
            SortedMap<String, Object> before, SortedMap<String, Object> after) {
        String madeBy = e.driverOpts().get(PeerClaim.STAMP_CONTROLLER);
        if (!cx.policy.unattended() || madeBy == null || madeBy.isEmpty()) {
            return false;
        }
        java.time.Instant connected = PeerClaim.epoch(e.driverOpts().get(PeerClaim.STAMP_CONNECTED));
        PeerClaim alive = cx.policy.peers().asserting(madeBy, cx.desired.owner(), key.address());
        if (alive == null && !cx.policy.peers().holds(madeBy, connected)) {
            return false;
        }
        String instance = e.driverOpts().getOrDefault(PeerClaim.STAMP_INSTANCE, madeBy);
        String rev = e.driverOpts().get(PeerClaim.STAMP_REVISION);
        String who = "controller " + instance + " at " + (rev == null || rev.isEmpty() ? "an unknown revision" : "revision " + rev);
        cx.notice(NoticeCode.CONFLICT_OTHER_REVISION, key, spec.stack(),
                "container " + key.name() + "'s endpoint on " + key.network() + " differs from this spec (revision "
                        + Labels.revision(cx.desired.revision()) + "; " + Reasons.attachmentDiff(before, after) + "), but " + who
                        + " connected it" + (connected == null ? "" : " at " + connected) + " from a spec that disagrees;"
                        + " reconnecting it would make the two reconnect it every pass, so it is held"
                        + (alive != null ? " for as long as that controller runs (in conflict since " + alive.since() + ")"
                                : " until " + connected.plus(cx.policy.peers().quiet())),
                "make the two specs agree (point both at one branch, or commit the local edit), or stop one of the two"
                        + " controllers; this controller reconnects it only once the other has stopped and "
                        + cx.policy.peers().quiet().toMinutes() + " minutes have passed since it connected it");
        return true;
    }

    /** As {@link #contestedBy}, for an attachment another live controller claims with other aliases or addresses. */
    void attachmentContested(ContainerSpec spec, Attachment a, ResourceKey key) {
        String ours = PeerClaim.hashOf(a);
        for (PeerClaim c : cx.policy.peers().others(cx.desired.owner(), key.address())) {
            if (c.resources().get(key.address()).equals(ours)) {
                continue;
            }
            cx.notice(NoticeCode.CONFLICT_OTHER_REVISION, key, spec.stack(),
                    "container " + key.name() + "'s endpoint on " + key.network() + " is kept as this spec (revision "
                            + Labels.revision(cx.desired.revision()) + ") wants it, but " + c.who() + " wants other aliases or"
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

    /**
     * A replacement of a network someone else made from another spec says whose work it undoes (a
     * reviewer of an apply run next to a controller should know the controller's network goes);
     * nothing when this controller made it, the ordinary case of a new commit.
     */
    String undoes(LiveNetwork ln, NetworkSpec spec) {
        boolean known = ln.instance() != null || ln.revision() != null;
        boolean ours = ln.controller() != null && ln.controller().equals(cx.policy.peers().controller());
        return ln.managed() && known && !ours && disagrees(ln, spec) ? "; undoes the network " + madeBy(ln) + " created" : "";
    }
}
