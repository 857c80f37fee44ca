package io.stackwire.controller.loop;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.PortBinding;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.controller.loop.LoopStatus.AttachmentView;
import io.stackwire.controller.loop.LoopStatus.ContainerView;
import java.util.ArrayList;
import java.util.List;

/**
 * Each spec'd container as status shows it, for the loop's {@code /status} and for
 * {@code stackwire status} reading the daemon directly: its networks and aliases, the ports the
 * spec publishes and the ones the daemon really publishes (like {@code docker port}), and ports
 * drift compared the way the planner compares them.
 */
public final class ContainerViews {

    private ContainerViews() {}

    public static List<ContainerView> of(DesiredState desired, LiveState live) {
        List<ContainerView> out = new ArrayList<>();
        java.util.Map<String, ContainerSpec> specs = new java.util.TreeMap<>(desired.containers());
        if (live != null) {
            // Containers a select: entry matches are shown by their own names, like named ones.
            for (ContainerSpec entry : desired.selectors().values()) {
                for (LiveContainer lc : live.containers().values()) {
                    if (entry.selector().matches(lc.name(), lc.labels())) {
                        specs.putIfAbsent(lc.name(), entry.selected(lc.name()));
                    }
                }
            }
        }
        for (ContainerSpec spec : specs.values()) {
            LiveContainer lc = live == null ? null : live.container(spec.name());
            String state = live == null ? "unknown" : lc == null ? "missing" : lc.running() ? "running" : "stopped";
            List<AttachmentView> networks = new ArrayList<>();
            for (Attachment a : spec.attachments()) {
                networks.add(new AttachmentView(a.network(), a.aliases(), lc != null && lc.endpoint(a.network()) != null));
            }
            List<String> published = lc == null || !lc.running() ? List.of()
                    : texts(Normalizer.actualPorts(lc.actualPorts()));
            out.add(new ContainerView(spec.name(), spec.stack(), state,
                    networks, spec.managesPorts() ? texts(Normalizer.ports(spec.ports())) : null, published, drift(spec, lc)));
        }
        return out;
    }

    /** {@code ports changed: old -> new} when the container's configured ports differ from the spec, else null. */
    static String drift(ContainerSpec spec, LiveContainer lc) {
        if (!spec.managesPorts() || lc == null) {
            return null;
        }
        List<PortBinding> want = Normalizer.ports(spec.ports());
        List<PortBinding> have = Normalizer.ports(lc.configuredPorts());
        if (want.equals(have)) {
            return null;
        }
        List<PortBinding> added = new ArrayList<>(want);
        added.removeAll(have);
        List<PortBinding> removed = new ArrayList<>(have);
        removed.removeAll(want);
        return "ports changed: " + join(removed) + " -> " + join(added);
    }

    private static String join(List<PortBinding> ports) {
        return ports.isEmpty() ? "(none)" : String.join(", ", texts(ports));
    }

    /** Canonical {@code -p} texts with the protocol always written, e.g. {@code 127.0.0.1:5432:5432/tcp}. */
    static List<String> texts(List<PortBinding> normalised) {
        return Normalizer.portTexts(normalised).stream().map(t -> t.contains("/") ? t : t + "/tcp").toList();
    }
}
