package io.stackwire.reconcile.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.ContainerNetwork;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKey;
import io.stackwire.reconcile.plan.Step;
import io.stackwire.reconcile.plan.StepOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Static addresses someone else holds, and a network renamed with its subnet, against the real daemon. */
class AddressesIT {

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
    void anAddressAHandStartedContainerHoldsIsAnErrorNamingItAndNothingChanges() throws Exception {
        h.docker.run("web", null);
        h.spec("app.yaml", """
                stack: app
                networks:
                  {{p}}app:
                    ipam:
                      config:
                        - subnet: 10.213.{{o}}.0/24
                """);
        h.apply();
        // By hand, as `docker run --network N --ip X` would.
        h.docker.run("legacy", null);
        h.docker.client.connectToNetworkCmd().withContainerId(h.p("legacy")).withNetworkId(h.p("app"))
                .withContainerNetwork(new ContainerNetwork().withIpamConfig(
                        new ContainerNetwork.Ipam().withIpv4Address("10.213." + h.octet + ".5"))).exec();
        h.spec("app.yaml", """
                stack: app
                networks:
                  {{p}}app:
                    ipam:
                      config:
                        - subnet: 10.213.{{o}}.0/24
                containers:
                  {{p}}web:
                    networks:
                      {{p}}app:
                        ipv4_address: 10.213.{{o}}.5
                """);

        Plan plan = h.plan();
        assertThat(plan.hasErrors()).as("the CLI exits 1 on this plan").isTrue();
        Notice n = plan.notices().stream().filter(x -> x.code().equals("address-in-use")).findFirst().orElseThrow();
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.subject()).isEqualTo(ResourceKey.attachment(h.p("web"), h.p("app")));
        assertThat(n.message()).isEqualTo("10.213." + h.octet + ".5 on " + h.p("app") + " is held by container " + h.p("legacy")
                + " (not managed by stackwire, running); " + h.p("web") + " is not connected to " + h.p("app"));
        assertThat(plan.steps()).isEmpty();

        h.applyPlan(plan);
        assertThat(h.observe().container(h.p("web")).endpoint(h.p("app"))).isNull();
        LiveEndpoint legacy = h.observe().container(h.p("legacy")).endpoint(h.p("app"));
        assertThat(legacy.ipv4Address()).isEqualTo("10.213." + h.octet + ".5");
    }

    @Test
    void aRenameKeepingTheSubnetConvergesInOneApply() throws Exception {
        h.docker.run("web", null);
        String v1 = """
                stack: app
                networks:
                  {{p}}%s:
                    ipam:
                      config:
                        - subnet: 10.213.{{o}}.0/24
                containers:
                  {{p}}web:
                    networks:
                      {{p}}%s:
                        ipv4_address: 10.213.{{o}}.5
                        aliases: [www]
                """;
        h.spec("app.yaml", v1.formatted("old", "old"));
        h.apply();
        h.spec("app.yaml", v1.formatted("new", "new"));

        Plan plan = h.plan();
        Step create = plan.steps().stream().filter(s -> s.op() == StepOp.CREATE_NETWORK).findFirst().orElseThrow();
        Step.RemoveNetwork remove = plan.steps().stream().filter(Step.RemoveNetwork.class::isInstance)
                .map(Step.RemoveNetwork.class::cast).findFirst().orElseThrow();
        assertThat(remove.network()).isEqualTo(h.p("old"));
        assertThat(create.dependsOn()).contains(remove.id());
        h.applyPlan(plan); // default parallelism; asserts every step succeeded

        assertThat(h.observe().network(h.p("old"))).isNull();
        assertThat(h.observe().container(h.p("web")).endpoint(h.p("new")).ipv4Address()).isEqualTo("10.213." + h.octet + ".5");
        assertThat(h.plan().changes()).isEmpty();
    }
}
