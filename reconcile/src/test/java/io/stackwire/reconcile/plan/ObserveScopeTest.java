package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.DEFAULT;
import static io.stackwire.reconcile.plan.Fx.SELF_HEAL;
import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.attIp;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
import static io.stackwire.reconcile.plan.Fx.ep;
import static io.stackwire.reconcile.plan.Fx.epIp;
import static io.stackwire.reconcile.plan.Fx.net;
import static io.stackwire.reconcile.plan.Fx.predefined;
import static io.stackwire.reconcile.plan.Fx.running;
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.stopped;
import static io.stackwire.reconcile.plan.Fx.with;
import static io.stackwire.reconcile.plan.Fx.withPorts;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A scoped observation inspects only what {@link ObserveScope} asks for; every other container is
 * known from the container list alone (no aliases, no configured ports, no hostname). Plans made
 * from such an observation must be exactly the plans made from a full one: same steps, notices,
 * dependencies and fingerprint, so a saved plan checks the same either way.
 */
class ObserveScopeTest {

    private final Fx.N front = net("front").subnet("10.1.0.0/24");
    private final Fx.N back = net("back").subnet("10.2.0.0/24");
    private final Fx.N elsewhere = net("elsewhere").subnet("10.3.0.0/24").stack("other-stack");

    private DesiredState spec() {
        return desired(List.of(front.spec(), back.spec()),
                List.of(container("web", attIp("front", "10.1.0.10", "www")), container("api", att("back"), att("bridge"))));
    }

    /** A busy daemon: the spec's containers, an intruder and a squatter on front, and unrelated ones. */
    private LiveState full() {
        List<LiveNetwork> networks = with(predefined(), front.live(), elsewhere.live(), net("hand-made").subnet("10.4.0.0/24").unmanaged());
        List<LiveContainer> containers = new ArrayList<>(List.of(
                running("web", ep("web", "front", "www")),
                running("api", ep("api", "bridge")),
                running("intruder", ep("intruder", "front", "sneaky")),
                stopped("squatter", epIp("squatter", "front", "10.1.0.10", "sq")),
                running("web-stackwire-old", ep("web-stackwire-old", "bridge")),
                withPorts(running("ci-job", ep("ci-job", "bridge", "ci")), "127.0.0.1:8080:80"),
                running("other-stack-db", ep("other-stack-db", "elsewhere", "db")),
                running("by-hand", ep("by-hand", "hand-made", "x"))));
        for (int i = 0; i < 20; i++) {
            containers.add(running("unrelated-" + i, ep("unrelated-" + i, "bridge", "u" + i)));
        }
        return state(networks, containers);
    }

    /** What the list alone says of a container outside the scope. */
    private static LiveContainer listed(LiveContainer c) {
        List<LiveEndpoint> endpoints = c.endpoints().stream().map(e -> new LiveEndpoint(e.network(), e.networkId(), List.of(),
                e.ipv4Config(), e.ipv6Config(), e.ipv4Address(), e.ipv6Address())).toList();
        return new LiveContainer(c.id(), c.name(), c.running(), c.networkMode(), c.labels(), endpoints, List.of(),
                c.running() ? c.configuredPorts() : List.of(), "");
    }

    private static LiveState scoped(LiveState full, ObserveScope scope) {
        Set<String> managed = new TreeSet<>();
        full.networks().values().stream().filter(LiveNetwork::managed).forEach(n -> managed.add(n.name()));
        TreeMap<String, LiveContainer> out = new TreeMap<>();
        for (LiveContainer c : full.containers().values()) {
            boolean detail = scope.needsDetail(c.name(), c.endpoints().stream().map(LiveEndpoint::network).toList(), managed);
            out.put(c.name(), detail ? c : listed(c));
        }
        return new LiveState(full.networks(), out, full.swarm(), full.apiVersion());
    }

    @Test
    void inspectsTheSpecsContainersTheirLeftoversAndEveryoneOnASpecOrManagedNetworkOnly() {
        ObserveScope scope = ObserveScope.of(spec());
        LiveState full = full();
        Set<String> managed = Set.of("front", "elsewhere");
        List<String> inspected = full.containers().values().stream()
                .filter(c -> scope.needsDetail(c.name(), c.endpoints().stream().map(LiveEndpoint::network).toList(), managed))
                .map(LiveContainer::name).toList();

        // Docker's bridge is used by the spec, but other containers' endpoints there never matter.
        assertThat(inspected).containsExactly("api", "intruder", "other-stack-db", "squatter", "web", "web-stackwire-old");
        assertThat(scope.networks()).containsExactlyInAnyOrder("front", "back");
        // A saved plan's re-check reads its dependencies' scope: bridge is among them, but not read in full.
        Plan plan = Planner.plan(spec(), full, DEFAULT);
        assertThat(plan.dependencies().resources()).containsKey("network.bridge");
        assertThat(plan.dependencies().scope().networks()).doesNotContain("bridge");
        assertThat(plan.dependencies().scope().needsDetail("ci-job", List.of("bridge"), managed)).isFalse();
        assertThat(ObserveScope.ALL.needsDetail("anything", List.of(), Set.of())).isTrue();
    }

    @Test
    void aPlanFromTheScopedObservationIsThePlanFromTheFullOne() {
        LiveState full = full();
        LiveState scoped = scoped(full, ObserveScope.of(spec()));
        assertThat(scoped).isNotEqualTo(full); // the unrelated containers did lose their aliases

        for (PlanPolicy policy : List.of(DEFAULT, SELF_HEAL)) {
            Plan a = Planner.plan(spec(), full, policy);
            Plan b = Planner.plan(spec(), scoped, policy);
            assertThat(b.steps()).isEqualTo(a.steps());
            assertThat(b.changes()).isEqualTo(a.changes());
            assertThat(b.notices()).isEqualTo(a.notices());
            assertThat(b.dependencies()).isEqualTo(a.dependencies());
            assertThat(b.liveFingerprint()).isEqualTo(a.liveFingerprint());
            // A saved plan is checked against a scoped observation (its dependencies' scope): not stale.
            assertThat(a.dependencies().changesIn(scoped(full, a.dependencies().scope()))).isEmpty();
        }
        // The self-heal plan disconnects the intruder, whose aliases it shows: those were inspected.
        Plan heal = Planner.plan(spec(), scoped, SELF_HEAL);
        assertThat(heal.changes()).anySatisfy(c -> assertThat(c.key().name()).contains("intruder"));
    }

    @Test
    void aScopedObservationStillSeesAChangeToWhatThePlanDependsOn() {
        Plan plan = Planner.plan(spec(), full(), DEFAULT);
        List<LiveContainer> more = new ArrayList<>(full().containers().values());
        more.add(running("late", ep("late", "front", "late-alias")));
        LiveState busier = state(new ArrayList<>(full().networks().values()), more);

        assertThat(plan.dependencies().changesIn(scoped(busier, plan.dependencies().scope())))
                .containsExactly("network.front: endpoint late added");
    }
}
