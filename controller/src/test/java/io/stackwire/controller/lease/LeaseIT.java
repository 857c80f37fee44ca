package io.stackwire.controller.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.reconcile.docker.DockerJavaGateway;
import io.stackwire.reconcile.daemon.NetworkRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lease against the real daemon: its lock record is a configuration-only network (no bridge,
 * no iptables rules), it costs three Docker calls per take-and-release, and contenders racing for
 * it never both hold it.
 */
class LeaseIT {

    private final String name = "swtest-lease-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void cleanUp() throws Exception {
        for (String id : docker("network", "ls", "-q", "--filter", "name=" + name).split("\\s+")) {
            if (!id.isBlank()) {
                docker("network", "rm", id);
            }
        }
    }

    @Test
    void theLockIsAConfigurationOnlyNetworkAndCostsThreeCalls() throws Exception {
        try (DockerJavaGateway gateway = DockerJavaGateway.fromEnvironment()) {
            Lease lease = new Lease(gateway, name, "it-owner", Lease.DEFAULT_TTL, Clock.systemUTC());
            long before = gateway.apiCalls();
            Lease.Attempt a = lease.tryAcquire();
            assertThat(a.acquired()).as(a.describe()).isTrue();
            assertThat(gateway.apiCalls() - before).as("create + list by name").isEqualTo(2);

            JsonNode n = new ObjectMapper().readTree(docker("network", "inspect", name)).get(0);
            assertThat(n.path("ConfigOnly").asBoolean()).as("config-only: no bridge, no iptables").isTrue();
            assertThat(n.path("Driver").asText()).isEqualTo("null");
            assertThat(n.path("Labels").path("io.stackwire.lease.owner").asText()).isEqualTo("it-owner");
            // No interface was made for it: a bridge network would have a br-<id> link.
            String shortId = n.path("Id").asText().substring(0, 12);
            assertThat(docker("network", "inspect", "-f", "{{.Options}}", name)).doesNotContain("bridge.name");
            assertThat(new java.io.File("/sys/class/net/br-" + shortId)).doesNotExist();

            assertThat(lease.release(a)).isTrue();
            assertThat(gateway.apiCalls() - before).as("plus one remove").isEqualTo(3);
            assertThat(gateway.networksNamed(name)).isEmpty();
        }
    }

    @Test
    void contendersRacingForTheLeaseNeverBothHoldIt() throws Exception {
        int contenders = 6;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        List<DockerJavaGateway> gateways = new ArrayList<>();
        try {
            for (int i = 0; i < contenders; i++) {
                gateways.add(DockerJavaGateway.fromEnvironment());
            }
            int won = 0;
            for (int round = 0; round < 10; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Lease.Attempt>> attempts = new ArrayList<>();
                List<Lease> leases = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    Lease lease = new Lease(gateways.get(i), name, "contender-" + i, Lease.DEFAULT_TTL, Clock.systemUTC());
                    leases.add(lease);
                    attempts.add(pool.submit(() -> {
                        go.await();
                        return lease.tryAcquire();
                    }));
                }
                go.countDown();
                int held = 0;
                Lease.Attempt winner = null;
                int winnerIndex = -1;
                for (int i = 0; i < contenders; i++) {
                    Lease.Attempt a = attempts.get(i).get(30, TimeUnit.SECONDS);
                    if (a.acquired()) {
                        held++;
                        winner = a;
                        winnerIndex = i;
                    }
                }
                assertThat(held).as("round %d: never two holders", round).isLessThanOrEqualTo(1);
                List<NetworkRef> left = gateways.get(0).networksNamed(name);
                if (held == 0) {
                    // All gave way to one another (each saw a concurrent create): nothing is left behind.
                    assertThat(left).isEmpty();
                    continue;
                }
                won++;
                assertThat(left).as("round %d: only the winner's lock record remains", round).hasSize(1);
                assertThat(left.get(0).id()).isEqualTo(winner.networkId());
                assertThat(leases.get(winnerIndex).release(winner)).isTrue();
            }
            assertThat(won).as("rounds with a holder").isPositive();
        } finally {
            pool.shutdownNow();
            gateways.forEach(DockerJavaGateway::close);
        }
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(60, TimeUnit.SECONDS);
        return output;
    }
}
