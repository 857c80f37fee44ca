package io.stackwire.reconcile.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.Step;
import io.stackwire.reconcile.plan.StepOp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Overlays on a single-node swarm, through the planner and executor. Swarm mode changes the
 * daemon for good, so the test only turns it on where scripts/test said it may (its private
 * daemon, {@code STACKWIRE_TEST_SWARM_ADDR}), and leaves again; a daemon that already is a manager
 * is used as it is. Encrypted overlays are only created: this kernel has no IPsec ESP, so no
 * traffic is sent over them.
 */
class SwarmOverlayIT {

    static final String SWARM_ADDR_ENV = "STACKWIRE_TEST_SWARM_ADDR";

    private static boolean weInitialised;

    private Harness h;

    @BeforeAll
    static void swarm() throws IOException {
        try (Harness probe = new Harness()) {
            Info info = probe.docker.client.infoCmd().exec();
            String state = info.getSwarm() == null || info.getSwarm().getLocalNodeState() == null
                    ? "inactive" : info.getSwarm().getLocalNodeState().name().toLowerCase(java.util.Locale.ROOT);
            if ("active".equals(state)) {
                Assumptions.assumeTrue(Boolean.TRUE.equals(info.getSwarm().getControlAvailable()),
                        "the test daemon is a swarm worker; overlays are created by a manager");
                return;
            }
            String addr = System.getenv(SWARM_ADDR_ENV);
            Assumptions.assumeTrue(addr != null && !addr.isBlank(), "the test daemon is not in a swarm and "
                    + SWARM_ADDR_ENV + " is not set: scripts/test sets it (and this test runs `docker swarm init`)"
                    + " only on the private daemon it starts, e.g. STACKWIRE_TEST_PRIVATE_DAEMON=1 scripts/test");
            // docker swarm init --advertise-addr A --listen-addr A:2377 --default-addr-pool 10.244.0.0/16
            //   --default-addr-pool-mask-length 24 (docker-java has no field for the pool).
            post("/swarm/init", """
                    {"ListenAddr": "%1$s:2377", "AdvertiseAddr": "%1$s", "DefaultAddrPool": ["10.244.0.0/16"],
                     "SubnetSize": 24, "Spec": {}}""".formatted(addr));
            weInitialised = true;
        }
    }

    @AfterAll
    static void leave() throws IOException {
        if (weInitialised) {
            post("/swarm/leave?force=true", "");
        }
    }

    private static void post(String path, String body) throws IOException {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        try (DockerHttpClient http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig()).responseTimeout(Duration.ofSeconds(60)).build();
                DockerHttpClient.Response r = http.execute(DockerHttpClient.Request.builder()
                        .method(DockerHttpClient.Request.Method.POST).path(path)
                        .putHeader("Content-Type", "application/json")
                        .bodyBytes(body.getBytes(StandardCharsets.UTF_8)).build());
                InputStream in = r.getBody()) {
            String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(r.getStatusCode()).as("POST %s: %s", path, answer).isLessThan(300);
        }
    }

    private static final String STACK = """
            stack: mesh
            networks:
              {{p}}mesh:
                driver: overlay
                attachable: true
                ipam:
                  config:
                    - subnet: 10.213.{{o}}.0/24
                labels:
                  tier: %s
            containers:
              {{p}}one:
                networks:
                  {{p}}mesh:
                    aliases: [alpha]
              {{p}}two:
                networks:
                  {{p}}mesh:
                    aliases: [beta]
              {{p}}sleeper:
                networks:
                  {{p}}mesh:
                    aliases: [gamma]
            """;

    @BeforeEach
    void setUp() {
        h = new Harness();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void anAttachableOverlayIsCreatedByTheManagerAndContainersFindEachOtherByNameAndAlias() throws Exception {
        h.docker.run("one", null);
        h.docker.run("two", null);
        h.docker.create("sleeper", null);
        h.spec("mesh.yaml", STACK.formatted("a"));

        Plan plan = h.plan();
        assertThat(plan.changes()).anySatisfy(c -> {
            assertThat(c.action()).isEqualTo(Action.CREATE);
            assertThat(c.key().name()).isEqualTo(h.p("mesh"));
        });
        h.applyPlan(plan);

        LiveNetwork mesh = h.observe().network(h.p("mesh"));
        assertThat(mesh.driver()).isEqualTo("overlay");
        assertThat(mesh.scope()).isEqualTo("swarm");
        assertThat(mesh.attachable()).isTrue();
        assertThat(mesh.labels()).containsEntry(Labels.MANAGED, "true")
                .containsEntry(Labels.STACK, h.docker.prefix + "mesh").containsKey(Labels.SPEC_HASH)
                .containsEntry("tier", "a");
        assertThat(mesh.options()).as("the daemon adds the VXLAN id").containsKey("com.docker.network.driver.overlay.vxlanid_list");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolves(h.p("one"), "beta")).isTrue());
        assertThat(h.resolves(h.p("two"), "alpha")).isTrue();
        assertThat(h.pings(h.p("one"), h.p("two"))).isTrue();
        assertThat(h.pings(h.p("two"), "alpha")).isTrue();
        // The stopped container joined too: once started it is reachable by its alias.
        h.docker.client.startContainerCmd(h.p("sleeper")).exec();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.pings(h.p("one"), "gamma")).isTrue());

        Plan again = h.plan();
        assertThat(again.changes()).as("second plan: %s", again.changes()).isEmpty();
        assertThat(again.steps()).isEmpty();
    }

    @Test
    void anEncryptedOverlayIsCreatedWithTheEncryptedOption() throws Exception {
        h.spec("sealed.yaml", """
                stack: sealed
                networks:
                  {{p}}sealed:
                    driver: overlay
                    attachable: true
                    encrypted: true
                    ipam:
                      config:
                        - subnet: 10.213.{{o}}.0/24
                """);
        Plan plan = h.plan();
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(Action.CREATE);
            assertThat(c.after()).containsEntry("encrypted", true);
        });
        assertThat(plan.steps()).singleElement()
                .isInstanceOfSatisfying(Step.CreateNetwork.class, s -> assertThat(s.create().options()).containsKey(Normalizer.ENCRYPTED_OPTION));
        h.applyPlan(plan);

        // The manager lists a new overlay's options only once its allocator has run: under load that
        // took a moment once (CI, 2026-11-28), so wait for it (see the issue 3 note on this race).
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(h.observe().network(h.p("sealed")).options()).containsKey(Normalizer.ENCRYPTED_OPTION));
        LiveNetwork sealed = h.observe().network(h.p("sealed"));
        assertThat(Normalizer.network(sealed)).containsEntry("encrypted", true);
        Plan again = h.plan();
        assertThat(again.changes()).as("second plan: %s", again.changes()).isEmpty();
    }

    @Test
    void replacingTheOverlayKeepsEveryContainerAttachedWithItsAliases() throws Exception {
        h.docker.run("one", null);
        h.docker.run("two", null);
        h.docker.create("sleeper", null);
        h.spec("mesh.yaml", STACK.formatted("a"));
        h.apply();
        String oldId = h.observe().network(h.p("mesh")).id();

        h.spec("mesh.yaml", STACK.formatted("b"));
        Plan plan = h.plan();
        assertThat(plan.changes()).anySatisfy(c -> {
            assertThat(c.action()).isEqualTo(Action.REPLACE);
            assertThat(c.forcesReplacement()).containsExactly("labels");
            assertThat(c.endpoints()).extracting(e -> e.container())
                    .contains(h.p("one"), h.p("two"), h.p("sleeper"));
        });
        h.applyPlan(plan);

        LiveNetwork mesh = h.observe().network(h.p("mesh"));
        assertThat(mesh.id()).isNotEqualTo(oldId);
        assertThat(mesh.labels()).containsEntry("tier", "b");
        for (String[] c : new String[][] {{"one", "alpha"}, {"two", "beta"}, {"sleeper", "gamma"}}) {
            LiveContainer lc = h.observe().container(h.p(c[0]));
            assertThat(lc.endpoint(h.p("mesh"))).as(c[0]).isNotNull();
            assertThat(lc.endpoint(h.p("mesh")).aliases()).as(c[0]).contains(c[1]);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.pings(h.p("one"), "beta")).isTrue());
        assertThat(h.pings(h.p("two"), "alpha")).isTrue();
        Plan again = h.plan();
        assertThat(again.changes()).as("second plan: %s", again.changes()).isEmpty();
    }

    @Test
    void anOverlayThatLeftTheSpecIsDisconnectedThenRemoved() throws Exception {
        h.docker.run("one", null);
        h.docker.run("two", null);
        h.docker.create("sleeper", null);
        h.spec("mesh.yaml", STACK.formatted("a"));
        h.apply();

        h.spec("mesh.yaml", "stack: mesh\n");
        Plan plan = h.plan();
        assertThat(plan.changes()).anySatisfy(c -> {
            assertThat(c.action()).isEqualTo(Action.DELETE);
            assertThat(c.key().name()).isEqualTo(h.p("mesh"));
        });
        int remove = plan.steps().stream().filter(s -> s.op() == StepOp.REMOVE_NETWORK).findFirst().orElseThrow().id();
        assertThat(plan.steps().stream().filter(s -> s.op() == StepOp.DISCONNECT).mapToInt(s -> s.id()))
                .hasSize(3).allMatch(id -> id < remove);
        h.applyPlan(plan);

        assertThat(h.observe().network(h.p("mesh"))).isNull();
        for (String c : new String[] {"one", "two", "sleeper"}) {
            assertThat(h.observe().container(h.p(c)).endpoint(h.p("mesh"))).as(c).isNull();
        }
        assertThat(h.plan().changes()).isEmpty();
    }
}
