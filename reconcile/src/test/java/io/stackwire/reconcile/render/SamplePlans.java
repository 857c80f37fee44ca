package io.stackwire.reconcile.render;

import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.EndpointRef;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKey;
import io.stackwire.reconcile.plan.Step;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Hand-built plans for the renderer tests; built by hand so they do not depend on the planner. */
final class SamplePlans {

    private SamplePlans() {}

    static final Map<String, String> OURS = Map.of(Labels.MANAGED, "true", Labels.STACK, "shop");

    /** One change of every action, in two stacks, with notices and steps. */
    static Plan everyAction() {
        List<Change> changes = List.of(
                new Change(ResourceKey.network("front"), "shop", Action.CREATE, null,
                        attrs("driver", "bridge", "internal", false, "subnet", "10.1.0.0/24", "labels", Map.of("team", "shop"), "options", Map.of()),
                        "not on the daemon yet", null, false, null),
                new Change(ResourceKey.network("back"), "shop", Action.REPLACE,
                        attrs("driver", "bridge", "subnet", "10.1.0.0/24"),
                        attrs("driver", "bridge", "subnet", "10.2.0.0/24"),
                        "subnet changed: 10.1.0.0/24 -> 10.2.0.0/24 forces replacement", List.of("subnet"), true,
                        List.of(new EndpointRef("legacy", "back", false, false), new EndpointRef("web", "back", true, true))),
                new Change(ResourceKey.attachment("api", "front"), "shop", Action.CONNECT, null,
                        attrs("aliases", List.of("api", "api.shop"), "ipv4_address", "10.1.0.10"),
                        "declared in the spec", null, false, List.of(new EndpointRef("api", "front", true, true))),
                new Change(ResourceKey.attachment("web", "front"), "shop", Action.RECONNECT,
                        attrs("aliases", List.of("web")),
                        attrs("aliases", List.of("web", "www")),
                        "aliases changed: [web] -> [web, www]; Docker cannot edit aliases in place", null, true,
                        List.of(new EndpointRef("web", "front", true, true))),
                new Change(ResourceKey.network("old-net"), "old", Action.DELETE,
                        attrs("driver", "bridge", "subnet", "10.9.0.0/24"), null,
                        "no longer in the spec (prune)", null, false, null),
                new Change(ResourceKey.attachment("worker", "old-net"), "old", Action.DISCONNECT,
                        attrs("aliases", List.of("worker")), null,
                        "network old-net is being removed", null, true,
                        List.of(new EndpointRef("worker", "old-net", true, false))));
        NetworkCreate back = new NetworkCreate("back", "bridge", false, false, false,
                new Ipam("default", List.of(new IpamPool("10.2.0.0/24", "10.2.0.1", null, Map.of())), Map.of()), Map.of(), OURS);
        NetworkCreate front = new NetworkCreate("front", "bridge", false, true, false,
                new Ipam("default", List.of(new IpamPool("10.1.0.0/24", null, "10.1.0.128/25", Map.of("router", "10.1.0.2"))), Map.of()),
                Map.of("com.docker.network.bridge.name", "br-front"), OURS);
        List<Step> steps = List.of(
                new Step.Disconnect(0, "old-net", "worker", null, null, 5),
                new Step.RemoveNetwork(1, "old-net", "9f8e7d6c5b4a", null, List.of(0), 4),
                new Step.Disconnect(2, "back", "legacy", null, null, 1),
                new Step.Disconnect(3, "back", "web", null, null, 1),
                new Step.RemoveNetwork(4, "back", "0a1b2c3d4e5f", null, List.of(2, 3), 1),
                new Step.CreateNetwork(5, "back", back, List.of(4), 1),
                new Step.Connect(6, "back", "legacy", new EndpointConfig(List.of("legacy-db"), "10.2.0.5", null), List.of(5), 1),
                new Step.Connect(7, "back", "web", new EndpointConfig(List.of("web"), null, null), List.of(5), 1),
                new Step.CreateNetwork(8, "front", front, null, 0),
                new Step.Connect(9, "front", "api", new EndpointConfig(List.of("api", "api.shop"), "10.1.0.10", null), List.of(8), 2),
                new Step.Disconnect(10, "front", "web", null, List.of(8), 3),
                new Step.Connect(11, "front", "web", new EndpointConfig(List.of("web", "www"), null, "fd00::10"), List.of(10), 3));
        List<Notice> notices = List.of(
                new Notice(Severity.ERROR, "conflict-unmanaged-network", ResourceKey.network("cache"), "shop",
                        "a network named cache exists and is not managed by stackwire", "set adopt: true on the network to take it over"),
                new Notice(Severity.WARNING, "pending-container", ResourceKey.container("batch"), "shop",
                        "container batch does not exist yet; its attachments wait until it does", null));
        return new Plan(Plan.FORMAT_VERSION, "edge-1", "3f2a9c1", "sha256:5d41402abc4b2a76b9719d911017c592", changes, steps, notices);
    }

    /** A container re-created to move a port to loopback and add a udp range, under replace: plan-only. */
    static Plan replaceContainer() {
        List<Change> changes = List.of(new Change(io.stackwire.reconcile.plan.ResourceKey.container("web"), "shop", Action.REPLACE,
                attrs("ports", List.of("444:443", "49153:80")), attrs("ports", List.of("127.0.0.1:444:443", "80", "5000-5001:2000-2001/udp")),
                "ports changed: 444:443 -> 127.0.0.1:444:443, 5000-5001:2000-2001/udp forces replacement", List.of("ports"), true,
                List.of(new EndpointRef("web", "front", true, true))));
        List<io.stackwire.model.PortBinding> ports = io.stackwire.reconcile.Normalizer.ports(List.of(
                io.stackwire.model.PortBinding.parse("127.0.0.1:444:443"), io.stackwire.model.PortBinding.parse("80"),
                io.stackwire.model.PortBinding.parse("5000-5001:2000-2001/udp")));
        List<Step> steps = List.of(new Step.ReplaceContainer(0, "web",
                new io.stackwire.reconcile.daemon.ContainerReplace("4f1c2b3a" + "0".repeat(56), ports, true), null, 0));
        return new Plan(Plan.FORMAT_VERSION, "edge-1", "3f2a9c1", "sha256:5d41402abc4b2a76b9719d911017c592", changes, steps, null);
    }

    /** Nothing to do. */
    static Plan empty() {
        return new Plan(Plan.FORMAT_VERSION, "edge-1", "3f2a9c1", "sha256:5d41402abc4b2a76b9719d911017c592", null, null, null);
    }

    static SortedMap<String, Object> attrs(Object... kv) {
        SortedMap<String, Object> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
