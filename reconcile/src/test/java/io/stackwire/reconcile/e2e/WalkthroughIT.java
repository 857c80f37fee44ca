package io.stackwire.reconcile.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Plan;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed walkthrough replayed through stackwire: specs in, real DNS and reachability out. */
class WalkthroughIT {

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
    void threeContainersJoinedToOneNetworkResolveEachOtherByNameAndAlias() throws Exception {
        for (String c : new String[] {"one", "two", "three"}) {
            h.docker.run(c, null);
        }
        h.spec("custom.yaml", """
                stack: custom
                networks:
                  {{p}}CustomNetwork:
                    ipam:
                      config:
                        - subnet: 10.213.{{o}}.0/24
                containers:
                  {{p}}one:
                    networks:
                      {{p}}CustomNetwork:
                        aliases: [first]
                        ipv4_address: 10.213.{{o}}.11
                  {{p}}two:
                    networks: [{{p}}CustomNetwork]
                  {{p}}three:
                    networks: [{{p}}CustomNetwork]
                """);

        Plan plan = h.plan();
        assertThat(plan.changes()).extracting(c -> c.action())
                .containsExactlyInAnyOrder(Action.CREATE, Action.CONNECT, Action.CONNECT, Action.CONNECT);
        h.applyPlan(plan);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolves(h.p("two"), "first")).isTrue());
        assertThat(h.resolve(h.p("two"), "first")).contains("10.213." + h.octet + ".11");
        assertThat(h.resolve(h.p("three"), h.p("one"))).contains("10.213." + h.octet + ".11");
        assertThat(h.resolves(h.p("one"), h.p("three"))).isTrue();
        assertThat(h.pings(h.p("one"), h.p("two"))).isTrue();

        // Idempotent: the second plan is empty, so applying it makes no Docker call at all.
        Plan again = h.plan();
        assertThat(again.changes()).as("second plan: %s", again.changes()).isEmpty();
        long before = h.gateway.apiCalls();
        h.applyPlan(again);
        assertThat(h.gateway.apiCalls()).isEqualTo(before);
    }

    @Test
    void containerRemovedFromTheSpecIsDisconnectedUnderSelfHealAndStopsResolving() throws Exception {
        h.docker.run("one", null);
        h.docker.run("two", null);
        String stack = """
                stack: custom
                networks:
                  {{p}}net: {}
                containers:
                  {{p}}one:
                    networks: [{{p}}net]
                """;
        h.spec("stackwire.yaml", "self_heal: true\n");
        h.spec("custom.yaml", stack + """
                  {{p}}two:
                    networks:
                      {{p}}net:
                        aliases: [second]
                """);
        h.apply();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolves(h.p("one"), "second")).isTrue());

        h.spec("custom.yaml", stack);
        Plan plan = h.plan();
        assertThat(plan.changes()).extracting(c -> c.action()).containsExactly(Action.DISCONNECT);
        h.applyPlan(plan);

        assertThat(h.observe().container(h.p("two")).endpoint(h.p("net"))).isNull();
        assertThat(h.resolves(h.p("one"), "second")).isFalse();
        assertThat(h.resolves(h.p("one"), h.p("two"))).isFalse();
    }

    @Test
    void containerOnTwoNetworksReachesBothWhileTheOthersCannotSeeEachOther() throws Exception {
        for (String c : new String[] {"router", "left", "right"}) {
            h.docker.run(c, null);
        }
        h.spec("two-networks.yaml", """
                stack: two-networks
                networks:
                  {{p}}Network1: {}
                  {{p}}Network2: {}
                containers:
                  {{p}}router:
                    networks:
                      {{p}}Network1:
                        aliases: [gateway-one]
                      {{p}}Network2:
                        aliases: [gateway-two]
                  {{p}}left:
                    networks: [{{p}}Network1]
                  {{p}}right:
                    networks: [{{p}}Network2]
                """);
        h.apply();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.pings(h.p("router"), h.p("left"))).isTrue());
        assertThat(h.pings(h.p("router"), h.p("right"))).isTrue();
        assertThat(h.pings(h.p("left"), "gateway-one")).isTrue();
        assertThat(h.pings(h.p("right"), "gateway-two")).isTrue();
        assertThat(h.resolves(h.p("left"), h.p("right"))).isFalse();
        assertThat(h.resolves(h.p("right"), h.p("left"))).isFalse();
        assertThat(h.resolves(h.p("left"), "gateway-two")).isFalse();
    }

    @Test
    void changingAnAliasReconnectsOnlyThatAttachmentAndNamesKeepResolving() throws Exception {
        h.docker.run("web", null);
        h.docker.run("db", null);
        String head = """
                stack: app
                networks:
                  {{p}}app: {}
                containers:
                  {{p}}web:
                    networks: [{{p}}app]
                  {{p}}db:
                    networks:
                      {{p}}app:
                """;
        h.spec("app.yaml", head + "        aliases: [db-old]\n");
        h.apply();
        String webId = h.observe().container(h.p("web")).id();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolves(h.p("web"), "db-old")).isTrue());

        h.spec("app.yaml", head + "        aliases: [db-new]\n");
        Plan plan = h.plan();
        assertThat(plan.changes()).hasSize(1);
        assertThat(plan.changes().get(0).action()).isEqualTo(Action.RECONNECT);
        assertThat(plan.changes().get(0).key().name()).isEqualTo(h.p("db"));
        h.applyPlan(plan);

        LiveEndpoint ep = h.observe().container(h.p("db")).endpoint(h.p("app"));
        assertThat(ep.aliases()).contains("db-new").doesNotContain("db-old");
        assertThat(h.observe().container(h.p("web")).id()).isEqualTo(webId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolves(h.p("web"), "db-new")).isTrue());
        assertThat(h.resolves(h.p("web"), "db-old")).isFalse();
        assertThat(h.resolves(h.p("web"), h.p("db"))).isTrue();
        assertThat(h.plan().changes()).isEmpty();
    }

    @Test
    void anAliasMovedInTheSpecFollowsToItsNewContainer() throws Exception {
        h.docker.run("client", null);
        h.docker.run("blue", null);
        h.docker.run("green", null);
        String spec = """
                stack: deploy
                networks:
                  {{p}}svc: {}
                containers:
                  {{p}}client:
                    networks: [{{p}}svc]
                  {{p}}blue:
                    networks:
                      {{p}}svc:
                        aliases: [%s]
                  {{p}}green:
                    networks:
                      {{p}}svc:
                        aliases: [%s]
                """;
        h.spec("deploy.yaml", spec.formatted("api", "green-standby"));
        h.apply();
        String blueIp = h.observe().container(h.p("blue")).endpoint(h.p("svc")).ipv4Address();
        String greenIp = h.observe().container(h.p("green")).endpoint(h.p("svc")).ipv4Address();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolve(h.p("client"), "api")).contains(blueIp));

        h.spec("deploy.yaml", spec.formatted("blue-standby", "api"));
        h.apply();
        String nowGreenIp = h.observe().container(h.p("green")).endpoint(h.p("svc")).ipv4Address();
        String nowBlueIp = h.observe().container(h.p("blue")).endpoint(h.p("svc")).ipv4Address();
        assertThat(greenIp).isNotEmpty();
        assertThat(nowBlueIp).isNotEqualTo(nowGreenIp);
        // nslookup prints "Address 1: <ip> <name>" lines; match the whole address to avoid prefixes.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolve(h.p("client"), "api"))
                .containsPattern("\\b" + java.util.regex.Pattern.quote(nowGreenIp) + "\\b")
                .doesNotContainPattern("\\b" + java.util.regex.Pattern.quote(nowBlueIp) + "\\b"));
    }
}
