package io.stackwire.reconcile.plan;

import io.stackwire.model.ContainerSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.daemon.ReplaceRepair;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.Drafts.StepDraft;
import java.util.TreeSet;

/** The repair of replacements a killed apply left half done (docs/planning.md, "Ports", interrupted replacements). */
final class Leftovers {

    /** Suffixes of the temporary names a container replacement uses (see DockerGateway#replaceContainer). */
    static final String NEW_SUFFIX = "-stackwire-new";
    static final String OLD_SUFFIX = "-stackwire-old";

    private final PlanContext cx;

    Leftovers(PlanContext cx) {
        this.cx = cx;
    }

    /**
     * Containers left behind by an interrupted replacement ({@code web-stackwire-new},
     * {@code web-stackwire-old}) of a declared container: a REPAIR_REPLACEMENT step finishes or
     * undoes it where {@link ReplaceRepair} knows how; anything else is reported, never touched.
     */
    void planLeftovers() {
        TreeSet<String> bases = new TreeSet<>();
        for (LiveContainer lc : cx.live.containers().values()) {
            String n = lc.name();
            String suffix = n.endsWith(NEW_SUFFIX) ? NEW_SUFFIX : n.endsWith(OLD_SUFFIX) ? OLD_SUFFIX : null;
            if (suffix != null && cx.desired.containers().containsKey(n.substring(0, n.length() - suffix.length()))) {
                bases.add(n.substring(0, n.length() - suffix.length()));
            }
        }
        for (String base : bases) {
            ContainerSpec spec = cx.desired.containers().get(base);
            LiveContainer b = cx.live.container(base);
            LiveContainer nw = cx.live.container(base + NEW_SUFFIX);
            LiveContainer od = cx.live.container(base + OLD_SUFFIX);
            ReplaceRepair repair = ReplaceRepair.of(slot(b), slot(nw), slot(od));
            if (repair != null) {
                planRepair(spec, repair, b, nw, od);
                continue;
            }
            ResourceKey key = ResourceKey.container(base);
            if (b == null) {
                String n = od != null ? od.name() : nw.name();
                cx.notice(NoticeCode.REPLACE_INTERRUPTED, key, spec.stack(),
                        "container " + base + " is missing, and " + n + " is left from an interrupted replacement"
                                + " that stackwire cannot finish by itself",
                        "put it back with `docker rename " + n + " " + base + "` (and `docker start " + base
                                + "` if it should run), then plan again");
                continue;
            }
            if (od != null) {
                cx.notice(NoticeCode.REPLACE_LEFTOVER, key, spec.stack(),
                        "container " + od.name() + " is what " + base + " was before a replacement whose clean-up did not finish; left alone",
                        "check " + base + ", then remove the old one with `docker rm " + od.name() + "` (its volumes stay)");
            }
            if (nw != null) {
                cx.notice(NoticeCode.REPLACE_LEFTOVER, key, spec.stack(),
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
                c = cx.change(ResourceKey.container(nw.name()), spec.stack(), Action.DELETE);
                c.reason = "left by a replacement of " + base + " interrupted before the swap; removed"
                        + (start ? ", and " + base + " (the old container, which ran) started again" : "");
            }
            case REMOVE_OLD -> {
                c = cx.change(ResourceKey.container(od.name()), spec.stack(), Action.DELETE);
                c.reason = "the old " + base + ", left by a replacement interrupted after the swap; removed (its volumes stay)"
                        + (start ? ", and the new " + base + " started" : "");
            }
            case FINISH -> {
                c = cx.change(ResourceKey.container(base), spec.stack(), Action.CREATE);
                c.after = Ports.portAttributes(Normalizer.ports(nw.configuredPorts()));
                c.reason = "missing after a replacement interrupted between the renames; finished: rename " + nw.name()
                        + " (complete) to " + base + then + ", remove " + od.name() + " (its volumes stay)";
            }
            default -> {
                c = cx.change(ResourceKey.container(base), spec.stack(), Action.CREATE);
                c.after = Ports.portAttributes(Normalizer.ports(od.configuredPorts()));
                c.reason = "missing after an interrupted replacement; restored: rename " + od.name() + " back to " + base
                        + " (left stopped: start it if it should run; the next plan replaces it again if its ports differ)";
            }
        }
        c.disruptive = start || repair == ReplaceRepair.FINISH || repair == ReplaceRepair.RESTORE;
        if (b == null) {
            // The repair puts a container under the name, with the attachments it had: not pending.
            ResourceKey key = ResourceKey.container(base);
            cx.notices.removeIf(n -> n.code().equals(NoticeCode.PENDING_CONTAINER.code()) && key.equals(n.subject()));
        }
        c.steps.add(new StepDraft(StepOp.REPAIR_REPLACEMENT, "", null, base, null, null, null));
    }
}
