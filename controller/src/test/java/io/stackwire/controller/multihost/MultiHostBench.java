package io.stackwire.controller.multihost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Issue 7's measurements on the multi-host testbed (run by scripts/bench-multihost, recorded in
 * docs/benchmarks.md): time from a commit to every host converged, once with the push webhook and
 * once with polling only, and the Docker API calls each host's sidecar makes in an idle minute.
 * Not part of the test suite: it needs STACKWIRE_BENCH_MULTIHOST=1.
 */
@EnabledIfEnvironmentVariable(named = "STACKWIRE_BENCH_MULTIHOST", matches = "1")
class MultiHostBench {

    private static final int ROUNDS = 3;
    private static final String INTERVAL = "10s";

    @Test
    void commitToConvergedAndIdleApiCalls() throws Exception {
        Cluster.assumeSupported();
        try (Cluster cluster = new Cluster(3)) {
            String p = cluster.p;
            String mesh = p + "mesh";
            for (String h : cluster.hosts) {
                cluster.runContainer(h, p + h.toLowerCase() + "1");
            }
            cluster.commit("the overlay", spec(cluster, mesh, "r0"));
            for (String h : cluster.hosts) {
                cluster.start(h, "--interval", INTERVAL);
            }
            awaitAll(cluster, mesh, "r0", Duration.ofSeconds(90));

            List<Long> webhook = new ArrayList<>();
            List<Long> polling = new ArrayList<>();
            for (int i = 1; i <= 2 * ROUNDS; i++) {
                boolean hook = i <= ROUNDS;
                long t0 = System.nanoTime();
                cluster.commit("round " + i, spec(cluster, mesh, "r" + i));
                if (hook) {
                    for (String h : cluster.hosts) {
                        cluster.sidecar(h).webhook();
                    }
                }
                awaitAll(cluster, mesh, "r" + i, Duration.ofSeconds(90));
                (hook ? webhook : polling).add((System.nanoTime() - t0) / 1_000_000);
            }

            Thread.sleep(5_000); // let follow-up passes settle before the idle minute
            Map<String, Double> before = new LinkedHashMap<>();
            for (String h : cluster.hosts) {
                before.put(h, cluster.sidecar(h).metric("stackwire_docker_api_calls_total", ""));
            }
            Thread.sleep(60_000);
            StringBuilder idle = new StringBuilder();
            for (String h : cluster.hosts) {
                double calls = cluster.sidecar(h).metric("stackwire_docker_api_calls_total", "") - before.get(h);
                idle.append(idle.length() == 0 ? "" : ", ").append(h).append(' ').append((long) calls);
            }

            String row = "| " + LocalDate.now() + " | 3 hosts, `--interval " + INTERVAL + "`, " + ROUNDS + " rounds each"
                    + " | webhook: " + webhook + " ms | polling: " + polling + " ms | idle minute API calls: " + idle + " |";
            System.out.println("BENCH " + row);
            Files.writeString(Path.of("target", "multihost-bench.md"), row + "\n");
            assertThat(webhook).hasSize(ROUNDS);
        }
    }

    /** Every host runs the mesh stack and its own app stack; round r gives each container alias r. */
    private static Map<String, String> spec(Cluster cluster, String mesh, String round) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("mesh.yaml", "stack: mesh\nnetworks:\n  " + mesh + ":\n    driver: overlay\n    attachable: true\n");
        for (String h : cluster.hosts) {
            String x = h.toLowerCase();
            files.put("hosts/" + h + ".yaml", "stacks: [mesh, app-" + x + "]\n");
            files.put("app-" + x + ".yaml", "stack: app-" + x + "\ncontainers:\n  " + cluster.p + x + "1:\n    networks:\n      "
                    + mesh + ":\n        aliases: [" + x + "-" + round + "]\n");
        }
        return files;
    }

    private static void awaitAll(Cluster cluster, String mesh, String round, Duration max) {
        for (String h : cluster.hosts) {
            String x = h.toLowerCase();
            await().ignoreExceptions().atMost(max).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(cluster.aliases(h, cluster.p + x + "1", mesh)).contains(x + "-" + round));
        }
    }
}
