package io.stackwire.reconcile.plan;

import io.stackwire.model.ContainerSpec;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.PortBinding;
import io.stackwire.model.ReplacePolicy;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.plan.Drafts.ChangeDraft;
import io.stackwire.reconcile.plan.Drafts.StepDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Published ports: container replacement and the host checks via {@link HostPorts} (docs/planning.md, "Ports"). */
final class Ports {

    private final PlanContext cx;

    Ports(PlanContext cx) {
        this.cx = cx;
    }

    /**
     * Published ports: compared only when the spec has a {@code ports:} key. A difference re-creates
     * the container (Docker cannot change bindings in place), as far as the replace policy allows
     * and only when every new binding can be had: on an address this host has, on a port no other
     * container and no process holds.
     */
    void planPorts(ContainerSpec spec, LiveContainer lc) {
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
            cx.notice(NoticeCode.PORTS_WITHOUT_NETWORK, key, spec.stack(),
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
        ReplacePolicy rp = spec.replace() != null ? spec.replace() : cx.desired.policy().replace();
        if (rp == ReplacePolicy.NEVER) {
            cx.notice(NoticeCode.PORTS_DRIFT, key, spec.stack(),
                    "container " + spec.name() + ": " + diff + ", but its replace policy is never; left alone");
            return;
        }
        if (rp == ReplacePolicy.PLAN_ONLY && cx.policy.unattended()) {
            cx.notice(NoticeCode.REPLACE_NEEDS_APPROVAL, key, spec.stack(),
                    "container " + spec.name() + ": " + diff + "; replace policy plan-only, so only a confirmed apply re-creates it");
            return;
        }
        ChangeDraft c = cx.change(key, spec.stack(), Action.REPLACE);
        c.before = portAttributes(lc.running() && !lc.actualPorts().isEmpty()
                ? Normalizer.actualPorts(lc.actualPorts()) : have);
        c.after = portAttributes(want);
        c.forcesReplacement = List.of("ports");
        c.reason = diff + " forces replacement" + (rp == ReplacePolicy.PLAN_ONLY
                ? " (replace: plan-only: only a confirmed apply performs it)" : "");
        c.disruptive = true;
        for (LiveEndpoint e : lc.endpoints()) {
            c.endpoints.add(cx.ref(lc, e.network()));
        }
        c.steps.add(new StepDraft(StepOp.REPLACE_CONTAINER, "", null, spec.name(), null, null,
                new ContainerReplace(lc.id(), want, rp == ReplacePolicy.PLAN_ONLY)));
    }

    /** On a network other than {@code none} now, or after this plan (the spec attaches it to one). */
    private static boolean onANetwork(ContainerSpec spec, LiveContainer lc) {
        return lc.endpoints().stream().anyMatch(e -> !"none".equals(e.network()))
                || spec.attachments().stream().anyMatch(a -> !NetworkSpec.isPredefined(a.network()) || "bridge".equals(a.network()));
    }

    static SortedMap<String, Object> portAttributes(List<PortBinding> ports) {
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
        HostPorts host = cx.policy.host();
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
            cx.notice(NoticeCode.PORT_ADDRESS_NOT_ON_HOST, key, spec.stack(),
                    "container " + spec.name() + " publishes ports on " + ip + ", which is not an address of this host"
                            + " (Docker would fail to start it); not replaced",
                    "use one of this host's addresses (" + String.join(", ", host.addresses()) + "), e.g. through a host variable");
        }
        TreeMap<String, String> conflicts = new TreeMap<>();
        for (PortBinding b : added) {
            if (b.randomHostPort()) {
                continue;
            }
            for (LiveContainer other : cx.live.containers().values()) {
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
            cx.notice(NoticeCode.PORT_CONFLICT, key, spec.stack(),
                    "container " + spec.name() + " wants host port " + e.getKey() + ", which is " + e.getValue() + "; not replaced");
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
}
