package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.NetworkCreate;

import io.stackwire.reconcile.daemon.EndpointConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.reconcile.LiveEndpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The foundation proof: a network made through the gateway gives its containers Docker's DNS
 * names, and only on that network.
 */
class DnsResolutionIT {

    private TestDocker docker;
    private DockerJavaGateway gateway;

    @BeforeEach
    void setUp() {
        docker = new TestDocker();
        gateway = DockerJavaGateway.fromEnvironment();
    }

    @AfterEach
    void tearDown() {
        try {
            gateway.close();
        } finally {
            docker.close();
        }
    }

    @Test
    void aliasAndContainerNameResolveOnTheNetworkAndNotOnTheDefaultBridge() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(new NetworkCreate(net, "bridge", false, false, false, null, null, null));
        String db = docker.name("db");
        docker.run("db", null);
        gateway.connect(db, net, new EndpointConfig(List.of("db-alias"), null, null));
        String client = docker.name("client");
        docker.run("client", net);
        String outsider = docker.name("outsider");
        docker.run("outsider", null); // default bridge

        LiveEndpoint dbEndpoint = gateway.observe().container(db).endpoint(net);
        String dbIp = dbEndpoint.ipv4Address();
        assertThat(dbIp).isNotEmpty();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            TestDocker.ExecResult byAlias = docker.exec(client, "nslookup", "db-alias");
            assertThat(byAlias.exitCode()).as(byAlias.output()).isZero();
            assertThat(byAlias.output()).contains(dbIp);
        });
        TestDocker.ExecResult byName = docker.exec(client, "nslookup", db);
        assertThat(byName.exitCode()).as(byName.output()).isZero();
        assertThat(byName.output()).contains(dbIp);
        TestDocker.ExecResult ping = docker.exec(client, "ping", "-c1", "-W5", "db-alias");
        assertThat(ping.exitCode()).as(ping.output()).isZero();
        assertThat(ping.output()).contains("1 packets received");

        // The default bridge has no embedded DNS: neither name resolves there (its resolver is the
        // container's own loopback, see TestDocker, so the lookup leaves no test container).
        TestDocker.ExecResult outside = docker.exec(outsider, "nslookup", "db-alias");
        assertThat(outside.exitCode()).as(outside.output()).isNotZero();
        TestDocker.ExecResult outsideByName = docker.exec(outsider, "nslookup", db);
        assertThat(outsideByName.exitCode()).as(outsideByName.output()).isNotZero();
    }
}
