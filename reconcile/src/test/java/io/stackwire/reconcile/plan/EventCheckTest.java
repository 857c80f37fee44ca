package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.DEFAULT;
import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
import static io.stackwire.reconcile.plan.Fx.ep;
import static io.stackwire.reconcile.plan.Fx.idOf;
import static io.stackwire.reconcile.plan.Fx.net;
import static io.stackwire.reconcile.plan.Fx.predefined;
import static io.stackwire.reconcile.plan.Fx.running;
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.ContainerSelector;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.daemon.DockerEvent.Type;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which daemon events since a plan's observation mean it must be checked by reading the daemon again. */
class EventCheckTest {

    private final Fx.N front = net("front").subnet("10.1.0.0/24");
    private final Fx.N back = net("back").subnet("10.2.0.0/24");

    /** front exists with web on it (every endpoint counts); back is to be made; api also uses Docker's bridge. */
    private Plan plan() {
        LiveState live = state(with(predefined(), front.live()),
                List.of(running("web", ep("web", "front", "www")), running("api", ep("api", "bridge"))));
        return Planner.plan(desired(List.of(front.spec(), back.spec()),
                List.of(container("web", att("front", "www")), container("api", att("back"), att("bridge")))), live, DEFAULT);
    }

    private static DockerEvent containerEvent(String action, String name, Map<String, String> attributes) {
        return new DockerEvent(Type.CONTAINER, action, idOf(name), name, null, null, Instant.EPOCH, attributes);
    }

    private static DockerEvent network(String action, String network, String networkId, String containerName) {
        return new DockerEvent(Type.NETWORK, action, networkId, network, network,
                containerName == null ? null : idOf(containerName), Instant.EPOCH);
    }

    private List<String> concerns(DockerEvent... events) {
        return EventCheck.concerns(plan().dependencies(), List.of(events));
    }

    @Test
    void nothingHappenedOrOnlyToOthersMeansThePlanStillHolds() {
        assertThat(concerns()).isEmpty();
        assertThat(concerns(
                containerEvent("create", "ci-job", Map.of("image", "busybox")),
                containerEvent("start", "ci-job", Map.of()),
                network("connect", "bridge", "bridge-id", "ci-job"), // Docker's bridge: only api's endpoint counts there
                network("create", "someone-elses", "other-id", null),
                network("connect", "someone-elses", "other-id", "ci-job"),
                containerEvent("die", "ci-job", Map.of()),
                network("disconnect", "bridge", "bridge-id", "ci-job"),
                containerEvent("destroy", "ci-job", Map.of()))).isEmpty();
    }

    @Test
    void anEventOfADeclaredContainerByNameOrIdConcerns() {
        assertThat(concerns(containerEvent("die", "web", Map.of()))).containsExactly("container web die");
        assertThat(concerns(new DockerEvent(Type.CONTAINER, "destroy", idOf("api"), "", null, null, Instant.EPOCH)))
                .as("no name: in doubt").hasSize(1);
        assertThat(concerns(new DockerEvent(Type.CONTAINER, "start", idOf("api"), "renamed-api", null, null, Instant.EPOCH)))
                .as("the same container by ID").hasSize(1);
        assertThat(concerns(containerEvent("rename", "web2", Map.of("oldName", "/web")))).hasSize(1);
        assertThat(concerns(containerEvent("create", "web-stackwire-new", Map.of()))).hasSize(1);
    }

    @Test
    void aDeclaredContainersHealthChecksAndExecsChangeNothingItDependsOn() {
        assertThat(concerns(containerEvent("exec_create: sh -c true", "web", Map.of()),
                containerEvent("exec_start: sh -c true", "web", Map.of()), containerEvent("exec_die", "web", Map.of()),
                containerEvent("health_status: healthy", "web", Map.of()))).isEmpty();
        assertThat(concerns(containerEvent("update", "web", Map.of()))).hasSize(1);
    }

    @Test
    void aNetworkTheDependenciesNameConcernsWhateverHappensToIt() {
        assertThat(concerns(network("connect", "front", front.live().id(), "intruder"))).as("every endpoint counts on front")
                .containsExactly("network front connect " + idOf("intruder").substring(0, 12));
        assertThat(concerns(network("create", "back", "new-id", null))).as("made since the plan").hasSize(1);
        assertThat(concerns(network("destroy", "", front.live().id(), null))).as("by ID").hasSize(1);
        assertThat(concerns(network("connect", "elsewhere", "x-id", "web"))).as("a declared container's endpoints").hasSize(1);
        assertThat(concerns(network("disconnect", "bridge", "bridge-id", "api"))).hasSize(1);
        assertThat(concerns(new DockerEvent(Type.NETWORK, "destroy", "", "", null, null, Instant.EPOCH))).as("names nothing").hasSize(1);
    }

    @Test
    void aContainerASelectorMayMatchConcerns() {
        var web = new io.stackwire.model.ContainerSpec("web", "shop", List.of(att("front", "web")), List.of(), null, null, false,
                new ContainerSelector("web", Map.of(ContainerSelector.COMPOSE_PROJECT, "shop", ContainerSelector.COMPOSE_SERVICE, "web"), null));
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(web)),
                state(with(predefined(), front.live()), List.of()), DEFAULT);

        assertThat(EventCheck.concerns(plan.dependencies(), List.of(containerEvent("create", "shop-web-3",
                Map.of(ContainerSelector.COMPOSE_PROJECT, "shop", ContainerSelector.COMPOSE_SERVICE, "web"))))).hasSize(1);
        assertThat(EventCheck.concerns(plan.dependencies(), List.of(containerEvent("create", "shop-db-1",
                Map.of(ContainerSelector.COMPOSE_PROJECT, "shop", ContainerSelector.COMPOSE_SERVICE, "db"))))).isEmpty();
    }

    @Test
    void aPlanThatDependsOnWhatEventsDoNotShowIsAlwaysReadAgain() {
        assertThat(EventCheck.concerns(Dependencies.NONE, List.of())).containsExactly("the plan depends on the whole daemon");
        Fx.N overlay = net("mesh").overlay();
        Plan swarm = Planner.plan(desired(List.of(overlay.spec()), List.of()),
                state(predefined(), List.of(), SwarmInfo.Role.MANAGER), DEFAULT);
        assertThat(swarm.dependencies().resources()).containsKey("swarm");
        assertThat(EventCheck.concerns(swarm.dependencies(), List.of())).hasSize(1);
    }
}
