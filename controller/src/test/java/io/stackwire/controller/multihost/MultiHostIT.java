package io.stackwire.controller.multihost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 7's scenarios on a real multi-host testbed: three Docker Engines in a swarm (A leads, B and
 * C are workers), one spec repo served over HTTP on loopback, one {@code stackwire run} process per
 * host. The sidecars poll only every 60 s, so what happens sooner is the work of the push webhook
 * and of Docker events. The tests build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiHostIT {

    private static final Duration SOON = Duration.ofSeconds(30);
    private static Cluster cluster;
    private static String p;
    private static String mesh;
    private static String mesh2;
    private static String mesh3;
    private static String cnet;
    /** container short name (a1, b1, c1; the first letter is its host) -> network -> alias. */
    private static final Map<String, Map<String, String>> attachments = new TreeMap<>();
    private static final List<String> overlays = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        Cluster.assumeSupported();
        cluster = new Cluster(3);
        p = cluster.p;
        mesh = p + "mesh";
        mesh2 = p + "mesh2";
        mesh3 = p + "mesh3";
        cnet = p + "cnet";
        cluster.runContainer("A", p + "a1");
        cluster.runContainer("B", p + "b1");
        commit("stacks, no overlay yet");
        for (String h : cluster.hosts) {
            cluster.start(h, "--interval", "60s", "--resync", "5m");
        }
        for (String h : cluster.hosts) {
            await().ignoreExceptions().atMost(SOON).untilAsserted(() -> assertThat(cluster.sidecar(h).status().path("lastPass").path("outcome").asText())
                    .as("first pass on %s:\n%s", h, cluster.log(h)).isIn("applied", "no_changes"));
        }
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aCommitDeclaringAnOverlayIsCreatedOnceByTheLeaderAndContainersOnTwoHostsReachEachOtherByNameAndAlias() throws Exception {
        Map<String, Double> creates0 = new TreeMap<>();
        for (String h : List.of("B", "C")) {
            creates0.put(h, cluster.sidecar(h).metric("stackwire_changes_applied_total", "action=\"create\""));
        }
        overlays.add(mesh);
        attach("a1", mesh, "alpha");
        attach("b1", mesh, "bravo");
        attach("c1", mesh, "charlie"); // not started yet: pending on C
        String rev = commit("add the overlay");
        webhookAll();

        awaitAliases("A", "a1", mesh, "alpha");
        awaitAliases("B", "b1", mesh, "bravo");
        awaitPing("A", "a1", p + "b1");
        awaitPing("A", "a1", "bravo");
        awaitPing("B", "b1", p + "a1");
        awaitPing("B", "b1", "alpha");
        assertThat(cluster.networksNamed("A", mesh)).as("one overlay, swarm-wide").isOne();
        assertThat(cluster.docker("A", "network", "inspect", "--format", "{{.Scope}} {{.Attachable}} {{index .Labels \"io.stackwire.stack\"}}", mesh).out())
                .isEqualTo("swarm true mesh");
        for (String h : List.of("B", "C")) {
            assertThat(cluster.sidecar(h).metric("stackwire_changes_applied_total", "action=\"create\""))
                    .as("a worker never creates an overlay; %s metrics:\n%s", h, cluster.sidecar(h).metrics()).isEqualTo(creates0.get(h));
        }
        await().ignoreExceptions().atMost(SOON).untilAsserted(() -> {
            JsonNode c = cluster.sidecar("C").status();
            assertThat(c.path("revision").asText()).isEqualTo(rev);
            assertThat(c.path("pendingContainers").toString()).contains(p + "c1");
        });
    }

    @Test
    @Order(2)
    void aContainerStartedLaterOnAThirdHostIsAttachedWithinSeconds() throws Exception {
        cluster.runContainer("C", p + "c1");
        awaitAliases("C", "c1", mesh, "charlie");
        awaitPing("C", "c1", "alpha");
        awaitPing("C", "c1", p + "b1");
        awaitPing("A", "a1", "charlie");
    }

    @Test
    @Order(3)
    void anAliasChangeOnHostBIsAppliedThereOnly() throws Exception {
        double applied0A = applied("A");
        double applied0C = applied("C");
        attach("b1", mesh, "bravo2");
        String rev = commit("rename b1's alias");
        webhookAll();

        awaitAliases("B", "b1", mesh, "bravo2");
        awaitPing("A", "a1", "bravo2");
        assertThat(cluster.exec("A", p + "a1", "nslookup", "bravo").rc()).as("the old alias is gone").isNotZero();
        for (String h : List.of("A", "C")) {
            await().ignoreExceptions().atMost(SOON).untilAsserted(() -> assertThat(cluster.sidecar(h).status().path("revision").asText()).isEqualTo(rev));
        }
        assertThat(applied("A")).as("A changed nothing").isEqualTo(applied0A);
        assertThat(applied("C")).as("C changed nothing").isEqualTo(applied0C);
    }

    @Test
    @Order(4)
    void aSecondManagerNeverCreatesTheOverlayOnlyTheLeaderDoes() throws Exception {
        cluster.docker("A", "node", "promote", "swtest-mh-B");
        try {
            await().ignoreExceptions().atMost(SOON).until(() -> cluster.docker("B", "info", "--format", "{{.Swarm.ControlAvailable}}").out().equals("true"));
            overlays.add(mesh2);
            attach("a1", mesh2, "alpha-2");
            attach("b1", mesh2, "bravo-2");
            commit("a second overlay while B is a manager too");
            webhookAll();

            awaitAliases("A", "a1", mesh2, "alpha-2");
            awaitAliases("B", "b1", mesh2, "bravo-2");
            awaitPing("B", "b1", "alpha-2");
            assertThat(cluster.networksNamed("A", mesh2)).isOne();
            assertThat(cluster.networksNamed("B", mesh2)).as("B, a manager, lists every overlay").isOne();
            assertThat(cluster.sidecar("B").metric("stackwire_changes_applied_total", "action=\"create\""))
                    .as("a manager that is not the leader never creates").isZero();
        } finally {
            cluster.docker("A", "node", "demote", "swtest-mh-B");
        }
    }

    @Test
    @Order(5)
    void withTheLeadersControllerStoppedWorkersKeepTheirStateAndReportThenCatchUp() throws Exception {
        assertThat(cluster.sidecar("A").stop()).as("SIGTERM: a clean stop exits 0").isEqualTo(0);
        assertThat(cluster.log("A")).contains("stackwire run: stopped cleanly");
        overlays.add(mesh3);
        attach("b1", mesh3, "bravo-3");
        String rev = commit("an overlay nobody can create while A's controller is down");
        webhookAll();

        await().ignoreExceptions().atMost(SOON).untilAsserted(() -> {
            JsonNode b = cluster.sidecar("B").status();
            assertThat(b.path("revision").asText()).isEqualTo(rev);
            assertThat(b.path("notices").toString()).contains("overlay-pending", mesh3);
        });
        assertThat(cluster.aliases("B", p + "b1", mesh)).as("B keeps what it had").contains("bravo2");
        awaitPing("B", "b1", "alpha");

        cluster.start("A", "--interval", "60s", "--resync", "5m");
        awaitAliases("B", "b1", mesh3, "bravo-3");
        assertThat(cluster.networksNamed("A", mesh3)).isOne();
    }

    @Test
    @Order(6)
    void aHostThatLeavesTheSwarmReportsItAndDeletesNothing() throws Exception {
        cluster.docker("C", "swarm", "leave", "--force");
        // What an operator does next: otherwise C's attachment tasks keep the overlays "in use" swarm-wide.
        await().atMost(SOON).until(() -> cluster.dockerMay("A", "node", "rm", "--force", "swtest-mh-C").rc() == 0);
        attach("c2", cnet, "charlie-local");
        String rev = commit("a local network on C");
        webhookAll();

        await().ignoreExceptions().atMost(SOON).untilAsserted(() -> {
            JsonNode c = cluster.sidecar("C").status();
            assertThat(c.path("revision").asText()).isEqualTo(rev);
            assertThat(c.path("notices").toString()).contains("swarm-required", "not in swarm mode");
        });
        assertThat(cluster.networksNamed("C", cnet)).as("C still applies what it can: its local network").isOne();
        assertThat(cluster.networksNamed("A", mesh)).as("nothing swarm-wide was removed").isOne();
    }

    @Test
    @Order(7)
    void aDaemonRestartIsSurvivedAndEventsFlowAgain() throws Exception {
        cluster.restartDaemon("C");
        await().ignoreExceptions().atMost(SOON).untilAsserted(() -> assertThat(cluster.sidecar("C").status().path("eventsConnected").asBoolean())
                .as(cluster.log("C")).isTrue());
        cluster.runContainer("C", p + "c2"); // only an event can make this happen within SOON: polling is every 60 s
        awaitAliases("C", "c2", cnet, "charlie-local");
    }

    @Test
    @Order(8)
    void removingTheOverlaysFromGitDetachesEveryoneThenOnlyTheLeaderRemovesThem() throws Exception {
        overlays.clear();
        attachments.values().forEach(m -> m.keySet().removeIf(n -> !n.equals(cnet)));
        // All three of A's managed networks go: the mass-delete rail holds that back unless the commit says so.
        commit("remove the overlays\n\nStackwire-Allow-Mass-Delete: yes");
        webhookAll();

        for (String net : List.of(mesh, mesh2, mesh3)) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cluster.networksNamed("A", net))
                    .as("%s on A:\n%s", net, cluster.log("A")).isZero());
        }
        assertThat(cluster.aliases("B", p + "b1", mesh)).as("B detached its container").isNull();
        for (String h : List.of("B", "C")) {
            assertThat(cluster.sidecar(h).metric("stackwire_changes_applied_total", "action=\"delete\""))
                    .as("only the leader removes overlays; %s only detached", h).isZero();
        }
        assertThat(cluster.networksNamed("C", cnet)).isOne();
    }

    // ---- the spec ------------------------------------------------------------------------------

    private static void attach(String container, String network, String alias) {
        attachments.computeIfAbsent(container, c -> new TreeMap<>()).put(network, alias);
    }

    /**
     * Writes the whole repo: stack mesh holds the overlays, stack app-x the containers of host X
     * (app-c also a local bridge network), and hosts/X.yaml runs mesh and app-x.
     */
    private static String commit(String message) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("stackwire.yaml", "prune: true\n");
        StringBuilder m = new StringBuilder("stack: mesh\n");
        if (!overlays.isEmpty()) {
            m.append("networks:\n");
            overlays.forEach(o -> m.append("  ").append(o).append(":\n    driver: overlay\n    attachable: true\n"));
        }
        files.put("mesh.yaml", m.toString());
        for (String h : cluster.hosts) {
            String x = h.toLowerCase();
            files.put("hosts/" + h + ".yaml", "stacks: [mesh, app-" + x + "]\n");
            StringBuilder app = new StringBuilder("stack: app-" + x + "\n");
            if (x.equals("c")) {
                app.append("networks:\n  ").append(cnet).append(":\n    driver: bridge\n");
            }
            app.append("containers:\n");
            for (String c : List.of(x + "1", x + "2")) {
                Map<String, String> nets = attachments.getOrDefault(c, Map.of());
                if (c.endsWith("2") && nets.isEmpty()) {
                    continue;
                }
                app.append("  ").append(p).append(c).append(":\n    networks:");
                if (nets.isEmpty()) {
                    app.append(" {}\n");
                } else {
                    app.append('\n');
                    nets.forEach((n, a) -> app.append("      ").append(n).append(":\n        aliases: [").append(a).append("]\n"));
                }
            }
            files.put("app-" + x + ".yaml", app.toString());
        }
        return cluster.commit(message, files);
    }

    // ---- checks --------------------------------------------------------------------------------

    private static void webhookAll() throws Exception {
        for (String h : cluster.hosts) {
            if (cluster.sidecar(h) != null) { // not while a test has stopped it
                cluster.sidecar(h).webhook();
            }
        }
    }

    private static double applied(String h) throws Exception {
        return cluster.sidecar(h).metric("stackwire_changes_applied_total", "");
    }

    private static void awaitAliases(String h, String container, String network, String alias) {
        await().ignoreExceptions().atMost(SOON).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(cluster.aliases(h, p + container, network))
                .as("%s%s on %s, host %s; sidecar log:\n%s", p, container, network, h, cluster.log(h)).isNotNull().contains(alias));
    }

    private static void awaitPing(String h, String container, String target) {
        await().ignoreExceptions().atMost(SOON).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                cluster.exec(h, p + container, "ping", "-c1", "-W2", target).rc()).as("%s on %s pings %s", container, h, target).isZero());
    }
}
