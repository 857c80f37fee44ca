package io.stackwire.reconcile.bench;

import io.stackwire.model.Attachment;
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
import io.stackwire.reconcile.plan.Fingerprint;
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
 * Planning time for a large host: 1,000 networks in 10 stacks and 1,000 containers with 5
 * attachments each (5,000), against a live state with 1% drift: 10 networks whose subnet changed
 * (replacements with their endpoints), 25 attachments whose aliases changed, 25 missing. Target:
 * under 100 ms per plan. Run with {@code scripts/bench-planner}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlannerBenchmark {

    static final int NETWORKS = 1000;
    static final int CONTAINERS = 1000;
    static final int PER_CONTAINER = 5;
    static final int DRIFTED_NETWORKS = 10;
    static final int CHANGED_ALIASES = 25;
    static final int MISSING_ATTACHMENTS = 25;

    DesiredState desired;
    LiveState drifted;
    LiveState converged;
    PlanPolicy policy = PlanPolicy.from(RepoPolicy.DEFAULT);

    @Setup
    public void setUp() {
        List<NetworkSpec> networks = new ArrayList<>();
        List<LiveNetwork> liveDrifted = new ArrayList<>();
        List<LiveNetwork> liveConverged = new ArrayList<>();
        for (int i = 0; i < NETWORKS; i++) {
            String subnet = "10." + (i / 250) + "." + (i % 250) + ".0/24";
            NetworkSpec spec = new NetworkSpec(name("net", i), stack(i), "bridge", false, false, false, false,
                    new Ipam(null, List.of(new IpamPool(subnet, null, null, null)), null), null, Map.of("team", "t" + (i % 7)),
                    false, false, null);
            networks.add(spec);
            liveConverged.add(live(spec, subnet));
            // Every 100th network drifted to another subnet: a replacement.
            liveDrifted.add(i % (NETWORKS / DRIFTED_NETWORKS) == 0 ? live(spec, "10.200." + (i / 100) + ".0/24") : live(spec, subnet));
        }
        List<ContainerSpec> containers = new ArrayList<>();
        List<LiveContainer> lcDrifted = new ArrayList<>();
        List<LiveContainer> lcConverged = new ArrayList<>();
        int attachment = 0;
        int reconnects = 0;
        int connects = 0;
        for (int c = 0; c < CONTAINERS; c++) {
            String name = name("ctr", c);
            String id = Normalizer.sha256Hex(name);
            List<Attachment> atts = new ArrayList<>();
            List<LiveEndpoint> good = new ArrayList<>();
            List<LiveEndpoint> bad = new ArrayList<>();
            for (int k = 0; k < PER_CONTAINER; k++, attachment++) {
                int netIndex = (c + k * 200) % NETWORKS;
                String net = name("net", netIndex);
                boolean replaced = netIndex % (NETWORKS / DRIFTED_NETWORKS) == 0;
                String alias = name + "-" + k;
                atts.add(new Attachment(net, List.of(alias, "svc-" + k), null, null, null));
                LiveEndpoint ok = new LiveEndpoint(net, "id-" + net, List.of("svc-" + k, alias, id.substring(0, 12)), null, null, "", "");
                good.add(ok);
                // 1% of the attachments drifted: every 200th has other aliases, every 200th (offset 100) is missing.
                if (attachment % 200 == 0) {
                    reconnects += replaced ? 0 : 1; // a replacement reconnects it anyway
                    bad.add(new LiveEndpoint(net, "id-" + net, List.of(alias, id.substring(0, 12)), null, null, "", ""));
                } else if (attachment % 200 != 100) {
                    bad.add(ok);
                } else {
                    connects++;
                }
            }
            containers.add(new ContainerSpec(name, stack(c), atts, List.of(), null, null));
            lcConverged.add(new LiveContainer(id, name, true, "bridge", Map.of(), good, List.of(), List.of()));
            lcDrifted.add(new LiveContainer(id, name, c % 2 == 0, "bridge", Map.of(), bad, List.of(), List.of()));
        }
        List<StackSpec> stacks = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            String st = "s" + s;
            stacks.add(new StackSpec(st, st + ".yaml", networks.stream().filter(n -> n.stack().equals(st)).toList(),
                    containers.stream().filter(c -> c.stack().equals(st)).toList(), null));
        }
        desired = DesiredState.of("bench", "rev", stacks, RepoPolicy.DEFAULT);
        drifted = state(liveDrifted, lcDrifted);
        converged = state(liveConverged, lcConverged);

        Plan p = Planner.plan(desired, drifted, policy);
        check(p.count(Action.REPLACE) == DRIFTED_NETWORKS, "replacements", p);
        check(p.count(Action.RECONNECT) == reconnects && reconnects > CHANGED_ALIASES / 2, "reconnects", p);
        check(p.count(Action.CONNECT) == connects && connects == MISSING_ATTACHMENTS, "connects", p);
        check(Planner.plan(desired, converged, policy).isEmpty(), "converged plan is empty", p);
    }

    @Benchmark
    public Plan planWithOnePercentDrift() {
        return Planner.plan(desired, drifted, policy);
    }

    @Benchmark
    public Plan planWithNoDrift() {
        return Planner.plan(desired, converged, policy);
    }

    @Benchmark
    public String fingerprintOnly() {
        return Fingerprint.of(drifted);
    }

    private static void check(boolean ok, String what, Plan p) {
        if (!ok) {
            throw new IllegalStateException("benchmark workload is wrong: " + what + " (" + p.changes().size() + " changes)");
        }
    }

    private static LiveNetwork live(NetworkSpec spec, String subnet) {
        String gateway = subnet.substring(0, subnet.lastIndexOf('.')) + ".1";
        Map<String, String> labels = new TreeMap<>(spec.labels());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.STACK, spec.stack());
        labels.put(Labels.SPEC_HASH, Normalizer.specHash(spec));
        return new LiveNetwork("id-" + spec.name(), spec.name(), "bridge", "local", false, false, false,
                new Ipam("default", List.of(new IpamPool(subnet, gateway, null, null)), null), Map.of(), labels);
    }

    private static LiveState state(List<LiveNetwork> networks, List<LiveContainer> containers) {
        TreeMap<String, LiveNetwork> n = new TreeMap<>();
        networks.forEach(x -> n.put(x.name(), x));
        TreeMap<String, LiveContainer> c = new TreeMap<>();
        containers.forEach(x -> c.put(x.name(), x));
        return new LiveState(n, c, new SwarmInfo(SwarmInfo.Role.NONE, ""), "1.41");
    }

    private static String name(String prefix, int i) {
        return String.format("%s-%04d", prefix, i);
    }

    private static String stack(int i) {
        return "s" + (i % 10);
    }
}
