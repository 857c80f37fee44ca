package io.stackwire.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random desired/live pairs with a fixed seed: every plan is deterministic, totally ordered with
 * dependencies that come earlier, obeys Docker's rules when run against {@link DaemonModel}, and
 * converges: re-planning against the result has no changes left.
 */
class PlannerPropertyTest {

    private static final long SEED = 20261128L;
    private static final int CASES = 1500;
    private static final String[] NETS = {"n0", "n1", "n2", "n3", "n4", "n5"};
    private static final String[] STACKS = {"a", "b"};

    record Scenario(DesiredState desired, LiveState live, PlanPolicy policy) {}

    @Test
    void randomPlansAreOrderedDeterministicAndConverge() {
        Random r = new Random(SEED);
        Map<Action, Integer> seen = new HashMap<>();
        for (int i = 0; i < CASES; i++) {
            Scenario s = scenario(r);
            Plan plan = Planner.plan(s.desired(), s.live(), s.policy());
            plan.changes().forEach(c -> seen.merge(c.action(), 1, Integer::sum));
            try {
                assertThat(Planner.plan(s.desired(), s.live(), s.policy())).isEqualTo(plan);
                checkOrder(plan);
                checkOwnership(plan, s);
                DaemonModel daemon = new DaemonModel(s.live(), s.desired()).refusingClashes();
                daemon.apply(plan);
                Plan again = Planner.plan(s.desired(), daemon.state(), s.policy());
                assertThat(again.changes()).as("re-plan after applying").isEmpty();
                // The executor runs independent steps in parallel: every order the dependencies allow must work too.
                DaemonModel other = new DaemonModel(s.live(), s.desired()).refusingClashes();
                other.applyLatestReadyFirst(plan);
                assertThat(Planner.plan(s.desired(), other.state(), s.policy()).changes()).as("re-plan after the other order").isEmpty();
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + "\n" + s + "\nplan steps " + Fx.ops(plan) + "\nchanges " + plan.changes(), e);
            }
        }
        // the generator must actually exercise every action
        assertThat(seen.keySet()).containsExactlyInAnyOrder(Action.values());
    }

    /** Networks the plan removes and creates again. */
    static java.util.Set<String> replaced(Plan plan) {
        java.util.Set<String> removed = new java.util.HashSet<>();
        java.util.Set<String> out = new java.util.HashSet<>();
        plan.steps().stream().filter(x -> x.op() == StepOp.REMOVE_NETWORK).forEach(x -> removed.add(Fx.network(x)));
        plan.steps().stream().filter(x -> x.op() == StepOp.CREATE_NETWORK && removed.contains(Fx.network(x))).forEach(x -> out.add(Fx.network(x)));
        return out;
    }

    private static void checkOrder(Plan plan) {
        List<Step> steps = plan.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            assertThat(s.id()).isEqualTo(i);
            assertThat(s.dependsOn()).isSorted().doesNotHaveDuplicates().allMatch(d -> d < s.id());
            assertThat(s.change()).isBetween(0, plan.changes().size() - 1);
            boolean creates = i > 0 && s.op() == StepOp.CREATE_NETWORK && steps.get(i - 1).op() == StepOp.CREATE_NETWORK;
            if (i > 0 && !creates) { // creates may be reordered by what they wait for (Drafts.createsInWaitOrder)
                assertThat(Drafts.stepOrder(replaced(plan)).compare(draft(steps.get(i - 1)), draft(s))).as("total order").isNegative();
            }
            for (Step other : steps) {
                boolean mustPrecede = switch (s.op()) {
                    case CONNECT -> (other.op() == StepOp.CREATE_NETWORK && Fx.network(other).equals(Fx.network(s)))
                            || (other.op() == StepOp.DISCONNECT && Fx.container(s).equals(Fx.container(other))
                                    && (Fx.network(other).equals(Fx.network(s)) || Fx.network(other).equals("none")));
                    case REMOVE_NETWORK -> other.op() == StepOp.DISCONNECT && Fx.network(other).equals(Fx.network(s));
                    case CREATE_NETWORK -> other.op() == StepOp.REMOVE_NETWORK && Fx.network(other).equals(Fx.network(s));
                    default -> false;
                };
                if (mustPrecede) {
                    assertThat(s.dependsOn()).as("%s depends on %s", s.describe(), other.describe()).contains(other.id());
                }
            }
        }
        for (int i = 1; i < plan.changes().size(); i++) {
            Change a = plan.changes().get(i - 1);
            Change b = plan.changes().get(i);
            int cmp = a.stack().compareTo(b.stack());
            assertThat(cmp < 0 || (cmp == 0 && a.key().compareTo(b.key()) < 0)).as("changes sorted: %s before %s", a.key(), b.key()).isTrue();
        }
        for (Change c : plan.changes()) {
            if (c.disruptive()) {
                assertThat(c.endpoints()).anyMatch(EndpointRef::running);
            }
        }
    }

    /** Nothing stackwire does not own is ever removed or replaced. */
    private static void checkOwnership(Plan plan, Scenario s) {
        for (Step step : plan.steps()) {
            if (step instanceof Step.RemoveNetwork remove) {
                LiveNetwork n = s.live().network(remove.network());
                NetworkSpec spec = s.desired().networks().get(remove.network());
                assertThat(n.managed() || (spec != null && spec.adopt() && !s.policy().destroy()))
                        .as("removes only what it owns: %s", remove.network()).isTrue();
                assertThat(NetworkSpec.isPredefined(remove.network())).isFalse();
                if ("swarm".equals(n.scope())) {
                    assertThat(s.live().swarm().role()).isEqualTo(Role.MANAGER);
                }
            }
            if (step instanceof Step.CreateNetwork create) {
                NetworkSpec spec = s.desired().networks().get(create.network());
                assertThat(spec).isNotNull();
                assertThat(spec.external()).isFalse();
            }
        }
    }

    private static Drafts.StepDraft draft(Step s) {
        // The step order reads the kind, network and container only.
        return new Drafts.StepDraft(s.op(), Fx.network(s), null, Fx.container(s), null, null, null);
    }

    // ---- generator -----------------------------------------------------------------------------

    static Scenario scenario(Random r) {
        Role role = Role.values()[r.nextInt(3)];
        List<NetworkSpec> specs = new ArrayList<>();
        List<LiveNetwork> lives = new ArrayList<>(Fx.predefined());
        Set<String> declaredSubnets = new HashSet<>();
        for (String name : NETS) {
            if (r.nextInt(10) < 7) {
                Fx.N n = randomNet(r, name);
                if (r.nextInt(10) == 0) {
                    n.external();
                } else if (r.nextInt(10) == 0) {
                    n.adopt();
                }
                if (!n.external) {
                    // The loader rejects declared networks with overlapping subnets.
                    n.pools.removeIf(p -> !declaredSubnets.add(p.subnet()));
                }
                specs.add(n.spec());
                switch (r.nextInt(10)) {
                    case 0, 1, 2 -> { }
                    case 3, 4, 5 -> lives.add(n.external ? n.unmanaged() : n.live());
                    case 6, 7 -> lives.add(randomNet(r, name).stack(n.stack).live());
                    case 8 -> lives.add(randomNet(r, name).unmanaged());
                    default -> lives.add(n.unmanaged());
                }
            } else {
                switch (r.nextInt(10)) {
                    case 0, 1, 2, 3, 4 -> { }
                    case 5, 6, 7 -> lives.add(randomNet(r, name).stack(r.nextInt(4) == 0 ? "z" : pick(r, STACKS)).live());
                    default -> lives.add(randomNet(r, name).unmanaged());
                }
            }
        }
        lives = withoutOverlaps(lives);
        Set<String> liveNames = new HashSet<>();
        lives.forEach(n -> liveNames.add(n.name()));
        List<String> attachTargets = new ArrayList<>(List.of(NETS));
        attachTargets.add("bridge");

        List<ContainerSpec> containers = new ArrayList<>();
        List<LiveContainer> liveContainers = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = "c" + i;
            if (r.nextInt(10) < 7) {
                List<Attachment> atts = new ArrayList<>();
                for (String t : attachTargets) {
                    if (r.nextInt(3) == 0) {
                        boolean bridge = "bridge".equals(t);
                        List<String> aliases = bridge ? List.of() : randomAliases(r);
                        String ip = !bridge && r.nextInt(8) == 0 ? "10." + (1 + r.nextInt(3)) + ".0." + (10 + i) : null;
                        atts.add(new Attachment(t, aliases, ip, null, null));
                    }
                }
                containers.add(new ContainerSpec(name, pick(r, STACKS), atts, List.of(), null, null));
            }
            if (r.nextInt(10) < 8) {
                liveContainers.add(randomLiveContainer(r, name, liveNames));
            }
        }
        DesiredState desired = Fx.desired(specs, containers);
        LiveState live = Fx.state(lives, liveContainers, role);
        PlanPolicy policy;
        if (r.nextInt(7) == 0) {
            Set<String> stacks = new TreeSet<>();
            for (String s : new String[] {"a", "b", "z"}) {
                if (r.nextBoolean()) {
                    stacks.add(s);
                }
            }
            policy = PlanPolicy.destroy(stacks);
        } else {
            policy = Fx.policy(r.nextBoolean(), r.nextBoolean());
        }
        return new Scenario(desired, live, policy);
    }

    /**
     * A daemon never holds two networks with overlapping pools: a pool another network already has
     * is moved to a fresh one (a network that then differs from its spec, as a hand-made one may).
     */
    private static List<LiveNetwork> withoutOverlaps(List<LiveNetwork> lives) {
        List<String> used = new ArrayList<>();
        List<LiveNetwork> out = new ArrayList<>();
        for (LiveNetwork n : lives) {
            List<IpamPool> pools = new ArrayList<>();
            for (IpamPool pool : n.ipam().pools()) {
                IpamPool p = pool;
                if (used.stream().anyMatch(u -> AddressSpace.subnetsOverlap(u, pool.subnet()))) {
                    int i = used.size();
                    p = p.isIpv6() ? new IpamPool("fd00:" + (100 + i) + "::/64", "fd00:" + (100 + i) + "::1", null, null)
                            : new IpamPool("172." + (40 + i) + ".0.0/16", "172." + (40 + i) + ".0.1", null, null);
                }
                used.add(p.subnet());
                pools.add(p);
            }
            out.add(pools.equals(n.ipam().pools()) ? n : new LiveNetwork(n.id(), n.name(), n.driver(), n.scope(), n.internal(),
                    n.attachable(), n.ipv6(), new Ipam(n.ipam().driver(), pools, n.ipam().options()), n.options(), n.labels()));
        }
        return out;
    }

    private static Fx.N randomNet(Random r, String name) {
        Fx.N n = Fx.net(name).stack(pick(r, STACKS));
        if (r.nextInt(6) == 0) {
            n.overlay();
            if (r.nextInt(5) == 0) {
                n.attachable = false;
            }
            if (r.nextInt(3) == 0) {
                n.encrypted();
            }
        }
        if (r.nextInt(5) == 0) {
            n.internal();
        }
        int k = 1 + r.nextInt(5);
        switch (r.nextInt(3)) {
            case 0 -> { }
            case 1 -> n.subnet("10." + k + ".0.0/24");
            default -> n.pool("10." + k + ".0.0/24", "10." + k + ".0.254");
        }
        if (r.nextInt(8) == 0) {
            n.ipv6();
            if (r.nextBoolean()) {
                n.subnet("fd00:" + k + "::/64");
            }
        }
        if (r.nextInt(8) == 0) {
            n.option("com.docker.network.driver.mtu", r.nextBoolean() ? "9000" : "1500");
        }
        if (r.nextInt(5) == 0) {
            n.label("team", pick(r, new String[] {"x", "y"}));
        }
        return n;
    }

    private static LiveContainer randomLiveContainer(Random r, String name, Set<String> liveNetworks) {
        String id = Fx.idOf(name);
        boolean running = r.nextBoolean();
        int mode = r.nextInt(12);
        if (mode == 0) {
            return new LiveContainer(id, name, running, "none",
                    Map.of(), List.of(new LiveEndpoint("none", "id-none", List.of(), null, null, "", "")), List.of(), List.of());
        }
        if (mode == 1) {
            return new LiveContainer(id, name, running, "host",
                    Map.of(), List.of(new LiveEndpoint("host", "id-host", List.of(), null, null, "", "")), List.of(), List.of());
        }
        List<LiveEndpoint> eps = new ArrayList<>();
        for (String n : new TreeSet<>(liveNetworks)) {
            if (NetworkSpec.isPredefined(n) && !"bridge".equals(n)) {
                continue;
            }
            if (r.nextInt(3) == 0) {
                List<String> aliases = new ArrayList<>("bridge".equals(n) ? List.of() : randomAliases(r));
                if (!"bridge".equals(n)) {
                    aliases.add(id.substring(0, 12));
                }
                // Sometimes an address a declared container asks for (see scenario).
                String ip = "bridge".equals(n) || r.nextInt(6) != 0 ? null
                        : r.nextBoolean() ? "10.9.0." + (2 + r.nextInt(50)) : "10." + (1 + r.nextInt(3)) + ".0." + (10 + r.nextInt(7));
                eps.add(new LiveEndpoint(n, "id-" + n, aliases, ip, null, !running ? "" : ip != null ? ip : "10.0.0.2", ""));
            }
        }
        return new LiveContainer(id, name, running, eps.isEmpty() ? "bridge" : eps.get(0).network(), Map.of(), eps, List.of(), List.of());
    }

    private static List<String> randomAliases(Random r) {
        List<String> out = new ArrayList<>();
        for (String a : new String[] {"x", "y"}) {
            if (r.nextInt(3) == 0) {
                out.add(a);
            }
        }
        return out;
    }

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }
}
