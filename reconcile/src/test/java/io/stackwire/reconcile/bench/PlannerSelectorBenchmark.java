package io.stackwire.reconcile.bench;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSelector;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.StackSpec;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.plan.Planner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Planning with {@code select:} entries: 1,000 networks in 10 stacks, 10 compose selector entries
 * (one per stack, 5 networks each) that match 1,000 containers (100 replicas each), so 5,000
 * attachments, plus 1,000 containers no selector matches on the same daemon. The drifted state
 * lacks 1% of the attachments (50). Target: under 100 ms per plan. Run with
 * {@code scripts/bench-planner PlannerSelectorBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlannerSelectorBenchmark {

    static final int NETWORKS = 1000;
    static final int ENTRIES = 10;
    static final int REPLICAS = 100;
    static final int PER_ENTRY = 5;
    static final int UNRELATED = 1000;

    DesiredState desired;
    /** The same attachments with every matched container named in the spec: the cost selectors add is the difference. */
    DesiredState named;
    LiveState drifted;
    LiveState converged;
    PlanPolicy policy = PlanPolicy.from(RepoPolicy.DEFAULT);

    @Setup
    public void setUp() {
        List<NetworkSpec> networks = new ArrayList<>();
        TreeMap<String, LiveNetwork> liveNets = new TreeMap<>();
        for (int i = 0; i < NETWORKS; i++) {
            String subnet = "10." + (i / 250) + "." + (i % 250) + ".0/24";
            NetworkSpec spec = new NetworkSpec(String.format("net-%04d", i), "s" + (i % ENTRIES), "bridge", false, false, false,
                    false, new Ipam(null, List.of(new IpamPool(subnet, null, null, null)), null), null, Map.of(), false, false, null);
            networks.add(spec);
            Map<String, String> labels = new TreeMap<>();
            labels.put(Labels.MANAGED, "true");
            labels.put(Labels.STACK, spec.stack());
            liveNets.put(spec.name(), new LiveNetwork("id-" + spec.name(), spec.name(), "bridge", "local", false, false, false,
                    new Ipam("default", List.of(new IpamPool(subnet, subnet.replace(".0/24", ".1"), null, null)), null), Map.of(),
                    labels));
        }
        List<StackSpec> stacks = new ArrayList<>();
        List<StackSpec> namedStacks = new ArrayList<>();
        TreeMap<String, LiveContainer> good = new TreeMap<>();
        TreeMap<String, LiveContainer> bad = new TreeMap<>();
        int attachment = 0;
        int missing = 0;
        for (int s = 0; s < ENTRIES; s++) {
            String stack = "s" + s;
            List<Attachment> atts = new ArrayList<>();
            for (int k = 0; k < PER_ENTRY; k++) {
                // networks of this stack: s, s+10, s+20, ...
                atts.add(new Attachment(String.format("net-%04d", s + k * ENTRIES), List.of("web-" + k), null, null, null));
            }
            Map<String, String> selectorLabels = Map.of(ContainerSelector.COMPOSE_PROJECT, stack, ContainerSelector.COMPOSE_SERVICE, "web");
            ContainerSpec entry = new ContainerSpec("web-" + stack, stack, atts, List.of(), null, null, false,
                    new ContainerSelector("web-" + stack, selectorLabels, null));
            stacks.add(new StackSpec(stack, stack + ".yaml", networks.stream().filter(n -> n.stack().equals(stack)).toList(),
                    List.of(entry), null));
            List<ContainerSpec> replicas = new ArrayList<>();
            for (int r = 1; r <= REPLICAS; r++) {
                replicas.add(new ContainerSpec(stack + "_web_" + r, stack, atts, List.of(), null, null));
            }
            namedStacks.add(new StackSpec(stack, stack + ".yaml", networks.stream().filter(n -> n.stack().equals(stack)).toList(),
                    replicas, null));
            for (int r = 1; r <= REPLICAS; r++) {
                String name = stack + "_web_" + r;
                String id = Normalizer.sha256Hex(name);
                List<LiveEndpoint> all = new ArrayList<>();
                List<LiveEndpoint> some = new ArrayList<>();
                for (Attachment a : atts) {
                    LiveEndpoint e = new LiveEndpoint(a.network(), "id-" + a.network(), List.of(a.aliases().get(0), id.substring(0, 12)),
                            null, null, "", "");
                    all.add(e);
                    if (attachment++ % 100 == 0) {
                        missing++;
                    } else {
                        some.add(e);
                    }
                }
                Map<String, String> labels = Map.of(ContainerSelector.COMPOSE_PROJECT, stack, ContainerSelector.COMPOSE_SERVICE, "web",
                        "com.docker.compose.container-number", String.valueOf(r));
                good.put(name, new LiveContainer(id, name, true, stack + "_default", labels, all, List.of(), List.of()));
                bad.put(name, new LiveContainer(id, name, true, stack + "_default", labels, some, List.of(), List.of()));
            }
        }
        for (int u = 0; u < UNRELATED; u++) {
            String name = String.format("other-%04d", u);
            LiveContainer c = new LiveContainer(Normalizer.sha256Hex(name), name, true, "bridge",
                    Map.of(ContainerSelector.COMPOSE_PROJECT, "other", ContainerSelector.COMPOSE_SERVICE, "web"), List.of(), List.of(), List.of());
            good.put(name, c);
            bad.put(name, c);
        }
        desired = DesiredState.of("bench", "rev", stacks, RepoPolicy.DEFAULT);
        named = DesiredState.of("bench", "rev", namedStacks, RepoPolicy.DEFAULT);
        drifted = new LiveState(liveNets, bad, new SwarmInfo(SwarmInfo.Role.NONE, ""), "1.41");
        converged = new LiveState(liveNets, good, new SwarmInfo(SwarmInfo.Role.NONE, ""), "1.41");

        Plan p = Planner.plan(desired, drifted, policy);
        check(p.count(Action.CONNECT) == missing && missing == ENTRIES * REPLICAS * PER_ENTRY / 100, "connects", p);
        check(p.dependencies().selections().values().stream().mapToInt(x -> x.containers().size()).sum() == ENTRIES * REPLICAS,
                "1,000 matched containers", p);
        check(Planner.plan(desired, converged, policy).isEmpty(), "converged plan is empty", p);
        check(Planner.plan(named, drifted, policy).changes().equals(p.changes()), "named equivalent plans the same", p);
    }

    @Benchmark
    public Plan selectorsWithOnePercentDrift() {
        return Planner.plan(desired, drifted, policy);
    }

    @Benchmark
    public Plan selectorsWithNoDrift() {
        return Planner.plan(desired, converged, policy);
    }

    @Benchmark
    public Plan namedEquivalentWithNoDrift() {
        return Planner.plan(named, converged, policy);
    }

    private static void check(boolean ok, String what, Plan p) {
        if (!ok) {
            throw new IllegalStateException("benchmark workload is wrong: " + what + " (" + p.changes().size() + " changes, "
                    + p.notices() + ")");
        }
    }
}
