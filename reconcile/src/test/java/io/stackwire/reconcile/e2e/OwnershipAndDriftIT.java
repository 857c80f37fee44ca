package io.stackwire.reconcile.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.ContainerNetwork;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.plan.Step;
import io.stackwire.reconcile.plan.StepOp;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drift by hand, replacements that keep other people's containers attached, and what stackwire never touches. */
class OwnershipAndDriftIT {

    private static final String STACK = """
            stack: app
            networks:
              {{p}}app:
                ipam:
                  config:
                    - subnet: 10.213.{{o}}.0/24
                labels:
                  tier: %s
            containers:
              {{p}}web:
                networks:
                  {{p}}app:
                    aliases: [www]
              {{p}}db:
                networks:
                  {{p}}app:
                    aliases: [database]
            """;

    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void driftMadeByHandIsDetectedAndHealed() throws Exception {
        h.docker.run("web", null);
        h.docker.run("db", null);
        h.docker.run("intruder", null);
        h.spec("stackwire.yaml", "self_heal: true\n");
        h.spec("app.yaml", STACK.formatted("one"));
        h.apply();

        // By hand: web leaves, db comes back with the wrong alias, a stranger joins.
        h.docker.client.disconnectFromNetworkCmd().withContainerId(h.p("web")).withNetworkId(h.p("app")).exec();
        h.docker.client.disconnectFromNetworkCmd().withContainerId(h.p("db")).withNetworkId(h.p("app")).exec();
        h.docker.client.connectToNetworkCmd().withContainerId(h.p("db")).withNetworkId(h.p("app"))
                .withContainerNetwork(new ContainerNetwork().withAliases("wrong")).exec();
        h.docker.client.connectToNetworkCmd().withContainerId(h.p("intruder")).withNetworkId(h.p("app")).exec();

        Plan plan = h.plan();
        assertThat(plan.changes()).extracting(c -> c.action() + " " + c.key().name())
                .containsExactlyInAnyOrder("CONNECT " + h.p("web"), "RECONNECT " + h.p("db"), "DISCONNECT " + h.p("intruder"));
        h.applyPlan(plan);

        LiveContainer db = h.observe().container(h.p("db"));
        assertThat(db.endpoint(h.p("app")).aliases()).contains("database").doesNotContain("wrong");
        assertThat(h.observe().container(h.p("intruder")).endpoint(h.p("app"))).isNull();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolves(h.p("web"), "database")).isTrue());
        assertThat(h.plan().changes()).isEmpty();
    }

    @Test
    void withoutSelfHealAStrangerOnAManagedNetworkIsOnlyReported() throws Exception {
        h.docker.run("web", null);
        h.docker.run("db", null);
        h.docker.run("stranger", null);
        h.spec("app.yaml", STACK.formatted("one"));
        h.apply();
        h.docker.client.connectToNetworkCmd().withContainerId(h.p("stranger")).withNetworkId(h.p("app")).exec();

        Plan plan = h.plan();
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).anySatisfy(n -> assertThat(n.message()).contains(h.p("stranger")));
        assertThat(h.observe().container(h.p("stranger")).endpoint(h.p("app"))).isNotNull();
    }

    @Test
    void replacingANetworkReconnectsEveryContainerWithItsAliasesIncludingUnmanagedAndStoppedOnes() throws Exception {
        h.docker.run("web", null);
        h.docker.run("db", null);
        h.docker.run("legacy", null);
        h.docker.create("sleeper", null);
        h.spec("app.yaml", STACK.formatted("one"));
        h.apply();
        String oldId = h.observe().network(h.p("app")).id();
        // Containers stackwire does not manage, attached by hand with their own aliases.
        h.docker.client.connectToNetworkCmd().withContainerId(h.p("legacy")).withNetworkId(h.p("app"))
                .withContainerNetwork(new ContainerNetwork().withAliases("old-api")).exec();
        h.docker.client.connectToNetworkCmd().withContainerId(h.p("sleeper")).withNetworkId(h.p("app"))
                .withContainerNetwork(new ContainerNetwork().withAliases("batch")).exec();

        h.spec("app.yaml", STACK.formatted("two"));
        Plan plan = h.plan();
        assertThat(plan.changes()).anySatisfy(c -> {
            assertThat(c.action()).isEqualTo(Action.REPLACE);
            assertThat(c.reason()).contains("label tier changed: one -> two");
            assertThat(c.forcesReplacement()).containsExactly("labels");
            assertThat(c.endpoints()).extracting(e -> e.container())
                    .contains(h.p("web"), h.p("db"), h.p("legacy"), h.p("sleeper"));
        });
        h.applyPlan(plan);

        LiveNetwork now = h.observe().network(h.p("app"));
        assertThat(now.id()).isNotEqualTo(oldId);
        assertThat(now.labels()).containsEntry("tier", "two");
        assertThat(h.observe().container(h.p("legacy")).endpoint(h.p("app")).aliases()).contains("old-api");
        assertThat(h.observe().container(h.p("sleeper")).endpoint(h.p("app")).aliases()).contains("batch");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolves(h.p("web"), "old-api")).isTrue());
        assertThat(h.resolves(h.p("legacy"), "www")).isTrue();
        // The stopped container kept a usable endpoint: it starts and is reachable by its alias.
        h.docker.client.startContainerCmd(h.p("sleeper")).exec();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolves(h.p("web"), "batch")).isTrue());
        assertThat(h.plan().changes()).isEmpty();
    }

    @Test
    void anUnmanagedNetworkWithADeclaredNameIsAConflictAndLeftUntouched() throws Exception {
        h.docker.run("web", null);
        h.docker.run("db", null);
        String theirs = h.docker.client.createNetworkCmd().withName(h.p("app")).withDriver("bridge").exec().getId();
        h.spec("app.yaml", STACK.formatted("one"));

        Plan plan = h.plan();
        assertThat(plan.steps()).noneMatch(s -> s instanceof Step.OnNetwork n && h.p("app").equals(n.network()));
        assertThat(plan.notices()).anySatisfy(n -> {
            assertThat(n.code()).isEqualTo("conflict-unmanaged-network");
            assertThat(n.hint()).contains("external");
        });
        h.applyPlan(plan);
        LiveNetwork after = h.observe().network(h.p("app"));
        assertThat(after.id()).isEqualTo(theirs);
        assertThat(after.managed()).isFalse();
        assertThat(h.observe().container(h.p("web")).endpoint(h.p("app"))).isNull();
    }

    @Test
    void aNetworkThatLeftTheSpecIsRemovedAfterItsEndpointsAreDisconnected() throws Exception {
        h.docker.run("web", null);
        h.docker.run("db", null);
        h.docker.run("other", null);
        h.spec("app.yaml", STACK.formatted("one"));
        h.spec("keep.yaml", """
                stack: keep
                networks:
                  {{p}}keep: {}
                containers:
                  {{p}}other:
                    networks: [{{p}}keep]
                """);
        h.apply();
        h.docker.client.connectToNetworkCmd().withContainerId(h.p("other")).withNetworkId(h.p("app")).exec();

        h.spec("app.yaml", "stack: app\n");
        Plan plan = h.plan();
        assertThat(plan.changes()).anySatisfy(c -> {
            assertThat(c.action()).isEqualTo(Action.DELETE);
            assertThat(c.key().name()).isEqualTo(h.p("app"));
        });
        int remove = plan.steps().stream().filter(s -> s.op() == StepOp.REMOVE_NETWORK).findFirst().orElseThrow().id();
        assertThat(plan.steps().stream().filter(s -> s.op() == StepOp.DISCONNECT).mapToInt(s -> s.id()))
                .hasSize(3).allMatch(id -> id < remove);
        h.applyPlan(plan);

        assertThat(h.observe().network(h.p("app"))).isNull();
        assertThat(h.observe().network(h.p("keep"))).isNotNull();
        assertThat(h.observe().container(h.p("other")).endpoint(h.p("keep"))).isNotNull();
        assertThat(h.observe().container(h.p("web"))).isNotNull();
    }

    @Test
    void destroyRemovesOnlyWhatTheStackManagesAndNeverTheContainers() throws Exception {
        h.docker.run("web", null);
        h.docker.run("db", null);
        h.docker.run("other", null);
        h.spec("app.yaml", STACK.formatted("one"));
        h.spec("keep.yaml", """
                stack: keep
                networks:
                  {{p}}keep: {}
                containers:
                  {{p}}other:
                    networks: [{{p}}keep]
                """);
        h.apply();

        Plan plan = h.plan(PlanPolicy.destroy(Set.of(h.p("app"))));
        h.applyPlan(plan);

        assertThat(h.observe().network(h.p("app"))).isNull();
        assertThat(h.observe().network(h.p("keep"))).isNotNull();
        assertThat(h.observe().container(h.p("web"))).isNotNull();
        assertThat(h.observe().container(h.p("other")).endpoint(h.p("keep"))).isNotNull();
    }
}
