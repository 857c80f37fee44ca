package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.DEFAULT;
import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
import static io.stackwire.reconcile.plan.Fx.ep;
import static io.stackwire.reconcile.plan.Fx.net;
import static io.stackwire.reconcile.plan.Fx.ops;
import static io.stackwire.reconcile.plan.Fx.predefined;
import static io.stackwire.reconcile.plan.Fx.running;
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.step;
import static io.stackwire.reconcile.plan.Fx.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlanOrderingTest {

    /** A plan with every phase: a replace, a prune, a create, a reconnect and connects, over two stacks. */
    static DesiredState desiredMix() {
        return desired(
                List.of(net("zeta").subnet("10.2.0.0/24").spec(), net("alpha").spec(), net("mid").stack("other").spec()),
                List.of(container("web", att("zeta", "w"), att("alpha", "a2")),
                        container("api", att("alpha", "api"), att("zeta")),
                        container("job", "other", att("mid"), att("alpha"))));
    }

    static LiveState liveMix() {
        return state(with(predefined(), net("zeta").subnet("10.1.0.0/24").live(), net("alpha").live(), net("gone").live()),
                List.of(running("web", ep("web", "zeta", "w"), ep("web", "alpha", "a1")),
                        running("api", ep("api", "gone"), ep("api", "zeta")),
                        running("x", ep("x", "gone")),
                        running("job")));
    }

    @Test
    void ordersStepsByPhaseThenNetworkThenContainer() {
        Plan plan = Planner.plan(desiredMix(), liveMix(), DEFAULT);
        assertThat(ops(plan)).containsExactly(
                "DISCONNECT alpha web",
                "DISCONNECT gone api",
                "DISCONNECT gone x",
                "DISCONNECT zeta api",
                "DISCONNECT zeta web",
                "REMOVE_NETWORK gone",
                "REMOVE_NETWORK zeta",
                "CREATE_NETWORK zeta", // a replacement's create comes before brand-new ones
                "CREATE_NETWORK mid",
                "CONNECT alpha api",
                "CONNECT alpha job",
                "CONNECT alpha web",
                "CONNECT mid job",
                "CONNECT zeta api",
                "CONNECT zeta web");
    }

    @Test
    void dependenciesLetTheExecutorParalleliseSafely() {
        Plan plan = Planner.plan(desiredMix(), liveMix(), DEFAULT);
        assertThat(step(plan, Step.RemoveNetwork.class, "gone", null).dependsOn())
                .containsExactly(step(plan, Step.Disconnect.class, "gone", "api").id(), step(plan, Step.Disconnect.class, "gone", "x").id());
        assertThat(step(plan, Step.CreateNetwork.class, "zeta", null).dependsOn())
                .containsExactly(step(plan, Step.RemoveNetwork.class, "zeta", null).id());
        assertThat(step(plan, Step.Connect.class, "zeta", "web").dependsOn()).containsExactly(
                step(plan, Step.Disconnect.class, "zeta", "web").id(), step(plan, Step.CreateNetwork.class, "zeta", null).id());
        assertThat(step(plan, Step.Connect.class, "alpha", "web").dependsOn()).containsExactly(step(plan, Step.Disconnect.class, "alpha", "web").id());
        assertThat(step(plan, Step.Connect.class, "alpha", "api").dependsOn()).isEmpty();
        assertThat(step(plan, Step.Disconnect.class, "gone", "x").dependsOn()).isEmpty();
    }

    @Test
    void sortsChangesByStackKindNameAndNetwork() {
        Plan plan = Planner.plan(desiredMix(), liveMix(), DEFAULT);
        assertThat(plan.changes()).extracting(c -> c.stack() + " " + c.action() + " " + c.key()).containsExactly(
                "app DELETE network.gone",
                "app REPLACE network.zeta",
                "app CONNECT attachment.api/alpha",
                "app DISCONNECT attachment.api/gone",
                "app RECONNECT attachment.web/alpha",
                "app DISCONNECT attachment.x/gone",
                "other CREATE network.mid",
                "other CONNECT attachment.job/alpha",
                "other CONNECT attachment.job/mid");
    }

    @Test
    void everyStepPointsAtTheChangeItBelongsTo() {
        Plan plan = Planner.plan(desiredMix(), liveMix(), DEFAULT);
        for (Step s : plan.steps()) {
            ResourceKey key = plan.changes().get(s.change()).key();
            if (key.kind() == ResourceKind.NETWORK) {
                assertThat(key.name()).isEqualTo(Fx.network(s));
            } else {
                assertThat(key).isEqualTo(ResourceKey.attachment(Fx.container(s), Fx.network(s)));
            }
        }
    }

    @Test
    void sameInputsGiveAnEqualPlan() {
        Plan a = Planner.plan(desiredMix(), liveMix(), DEFAULT);
        Plan b = Planner.plan(desiredMix(), liveMix(), DEFAULT);
        assertThat(a).isEqualTo(b);
        assertThat(a.toString()).isEqualTo(b.toString());
    }

    @Test
    void shuffledInputsGiveAnIdenticalPlan() {
        Plan expected = Planner.plan(desiredMix(), liveMix(), DEFAULT);
        Random r = new Random(7);
        for (int i = 0; i < 20; i++) {
            Plan shuffled = Planner.plan(shuffle(desiredMix(), r), shuffle(liveMix(), r), DEFAULT);
            assertThat(shuffled).isEqualTo(expected);
            assertThat(shuffled.toString()).isEqualTo(expected.toString());
        }
    }

    @Test
    void thePlanCarriesTheFingerprintOfWhatItDependsOn() {
        Plan plan = Planner.plan(desiredMix(), liveMix(), DEFAULT);

        assertThat(plan.dependencies().recorded()).isTrue();
        assertThat(plan.liveFingerprint()).isEqualTo(plan.dependencies().fingerprint()).matches("[0-9a-f]{64}");
    }

    /** Same desired state with every list and map in a different order. */
    static DesiredState shuffle(DesiredState d, Random r) {
        List<NetworkSpec> networks = new ArrayList<>();
        for (NetworkSpec n : d.networks().values()) {
            networks.add(new NetworkSpec(n.name(), n.stack(), n.driver(), n.internal(), n.attachable(), n.ipv6(), n.encrypted(),
                    new io.stackwire.model.Ipam(n.ipam().driver(), shuffled(n.ipam().pools(), r), shuffled(n.ipam().options(), r)),
                    shuffled(n.options(), r), shuffled(n.labels(), r), n.external(), n.adopt(), n.source()));
        }
        List<ContainerSpec> containers = new ArrayList<>();
        for (ContainerSpec c : d.containers().values()) {
            List<Attachment> atts = new ArrayList<>();
            for (Attachment a : c.attachments()) {
                atts.add(new Attachment(a.network(), shuffled(a.aliases(), r), a.ipv4Address(), a.ipv6Address(), a.source()));
            }
            containers.add(new ContainerSpec(c.name(), c.stack(), shuffled(atts, r), shuffled(c.ports(), r), c.replace(), c.source()));
        }
        return desired(shuffled(networks, r), shuffled(containers, r));
    }

    static LiveState shuffle(LiveState l, Random r) {
        List<LiveNetwork> networks = new ArrayList<>();
        for (LiveNetwork n : l.networks().values()) {
            networks.add(new LiveNetwork(n.id(), n.name(), n.driver(), n.scope(), n.internal(), n.attachable(), n.ipv6(),
                    new io.stackwire.model.Ipam(n.ipam().driver(), shuffled(n.ipam().pools(), r), shuffled(n.ipam().options(), r)),
                    shuffled(n.options(), r), shuffled(n.labels(), r)));
        }
        List<LiveContainer> containers = new ArrayList<>();
        for (LiveContainer c : l.containers().values()) {
            List<LiveEndpoint> eps = new ArrayList<>();
            for (LiveEndpoint e : c.endpoints()) {
                eps.add(new LiveEndpoint(e.network(), e.networkId(), shuffled(e.aliases(), r), e.ipv4Config(), e.ipv6Config(),
                        e.ipv4Address(), e.ipv6Address()));
            }
            containers.add(new LiveContainer(c.id(), c.name(), c.running(), c.networkMode(), shuffled(c.labels(), r),
                    shuffled(eps, r), shuffled(c.configuredPorts(), r), shuffled(c.actualPorts(), r)));
        }
        Map<String, LiveNetwork> nm = new HashMap<>();
        shuffled(networks, r).forEach(n -> nm.put(n.name(), n));
        Map<String, LiveContainer> cm = new HashMap<>();
        shuffled(containers, r).forEach(c -> cm.put(c.name(), c));
        return new LiveState(new java.util.TreeMap<>(nm), new java.util.TreeMap<>(cm), l.swarm(), l.apiVersion());
    }

    static <T> List<T> shuffled(List<T> in, Random r) {
        List<T> out = new ArrayList<>(in);
        Collections.shuffle(out, r);
        return out;
    }

    static <V> Map<String, V> shuffled(Map<String, V> in, Random r) {
        Map<String, V> out = new LinkedHashMap<>();
        for (String k : shuffled(new ArrayList<>(in.keySet()), r)) {
            out.put(k, in.get(k));
        }
        return out;
    }
}
