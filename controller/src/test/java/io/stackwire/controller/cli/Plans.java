package io.stackwire.controller.cli;

import io.stackwire.reconcile.Labels;
import io.stackwire.model.PortBinding;
import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKey;
import io.stackwire.reconcile.plan.Step;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Hand-built plans, so the CLI tests do not depend on the planner. */
final class Plans {

    private Plans() {}

    /** Create network front, then connect web and api to it. */
    static Plan createFront(String fingerprint) {
        TreeMap<String, Object> after = new TreeMap<>(Map.of("driver", "bridge", "subnet", "10.1.0.0/24"));
        List<Change> changes = List.of(
                new Change(ResourceKey.network("front"), "shop", Action.CREATE, null, after, "not on the daemon yet", null, false, null),
                new Change(ResourceKey.attachment("web", "front"), "shop", Action.CONNECT, null,
                        new TreeMap<>(Map.of("aliases", List.of("web"))), "declared in the spec", null, false, null),
                new Change(ResourceKey.attachment("api", "front"), "shop", Action.CONNECT, null,
                        new TreeMap<>(Map.of("aliases", List.of("api"))), "declared in the spec", null, false, null));
        NetworkCreate create = new NetworkCreate("front", "bridge", false, false, false, null, null,
                Map.of(Labels.MANAGED, "true", Labels.STACK, "shop"));
        List<Step> steps = List.of(
                new Step.CreateNetwork(0, "front", create, null, 0),
                new Step.Connect(1, "front", "web", new EndpointConfig(List.of("web"), null, null), List.of(0), 1),
                new Step.Connect(2, "front", "api", new EndpointConfig(List.of("api"), null, null), List.of(0), 2));
        return new Plan(Plan.FORMAT_VERSION, "edge-1", "test", fingerprint, changes, steps, null);
    }

    /** Re-create web to move its port 444:443 to loopback. */
    static Plan replaceWeb(String fingerprint) {
        List<Change> changes = List.of(new Change(ResourceKey.container("web"), "shop", Action.REPLACE,
                new TreeMap<>(Map.of("ports", List.of("444:443"))), new TreeMap<>(Map.of("ports", List.of("127.0.0.1:444:443"))),
                "ports changed: 444:443 -> 127.0.0.1:444:443 forces replacement", List.of("ports"), true, null));
        List<Step> steps = List.of(new Step.ReplaceContainer(0, "web",
                new ContainerReplace("id-web", List.of(PortBinding.parse("127.0.0.1:444:443")), false), null, 0));
        return new Plan(Plan.FORMAT_VERSION, "edge-1", "test", fingerprint, changes, steps, null);
    }
}
