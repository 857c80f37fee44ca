package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.DockerEvent;

import io.stackwire.reconcile.daemon.NetworkCreate;

import io.stackwire.reconcile.daemon.EndpointConfig;

import io.stackwire.reconcile.daemon.Subscription;

import io.stackwire.reconcile.daemon.EventListener;

import io.stackwire.reconcile.daemon.NetworkRef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.reconcile.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event stream and the lease lookups of the gateway against the real daemon. */
class DockerEventsIT {

    private TestDocker docker;
    private DockerJavaGateway gateway;
    private final List<DockerEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> resyncs = new CopyOnWriteArrayList<>();
    private Subscription subscription;

    @BeforeEach
    void setUp() {
        docker = new TestDocker();
        gateway = DockerJavaGateway.fromEnvironment();
        subscription = gateway.events(new EventListener() {
            @Override
            public void onEvent(DockerEvent event) {
                events.add(event);
            }

            @Override
            public void onResyncNeeded(String why) {
                resyncs.add(why);
            }
        });
    }

    @AfterEach
    void tearDown() {
        try {
            subscription.close();
            gateway.close();
        } finally {
            docker.close();
        }
    }

    @Test
    void reportsContainerAndNetworkEventsOfOurResourcesAfterAskingForAResync() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> !resyncs.isEmpty());
        assertThat(resyncs).first().isEqualTo("event stream connected");
        assertThat(subscription.connected()).isTrue();

        String net = docker.name("events-net");
        String netId = gateway.createNetwork(new NetworkCreate(net, "bridge", false, false, false, null, null, null));
        String id = docker.create("events-c", "none");
        docker.client.startContainerCmd(id).exec();
        docker.client.disconnectFromNetworkCmd().withContainerId(id).withNetworkId("none").exec();
        gateway.connect(docker.name("events-c"), net, EndpointConfig.NONE);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events)
                .extracting(e -> e.type() + " " + e.action() + " " + e.actorName())
                .contains("NETWORK create " + net,
                        "CONTAINER create " + docker.name("events-c"),
                        "CONTAINER start " + docker.name("events-c"),
                        "NETWORK connect " + net));
        DockerEvent connect = events.stream()
                .filter(e -> e.action().equals("connect") && net.equals(e.network())).findFirst().orElseThrow();
        assertThat(connect.container()).isEqualTo(id);
        assertThat(connect.actorId()).isEqualTo(netId);
        assertThat(connect.time()).isAfter(java.time.Instant.now().minusSeconds(60));
    }

    @Test
    void leaseNetworksAreHiddenFromObserveButListedByName() throws Exception {
        String lease = docker.name("lease");
        String id = gateway.createNetwork(new NetworkCreate(lease, "bridge", true, false, false, null, null,
                Map.of(Labels.LEASE, "true", Labels.LEASE_OWNER, "test")));
        assertThat(gateway.observe().network(lease)).isNull();
        List<NetworkRef> named = gateway.networksNamed(lease);
        assertThat(named).singleElement().satisfies(n -> {
            assertThat(n.id()).isEqualTo(id);
            assertThat(n.labels()).containsEntry(Labels.LEASE_OWNER, "test");
            assertThat(n.created()).isBefore(java.time.Instant.MAX);
        });
        assertThat(gateway.networksNamed(docker.name("lea"))).as("exact names only").isEmpty();
    }

    @Test
    void retryDelaysGrowAndAreCapped() {
        assertThat(EventStream.retryDelay(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(EventStream.retryDelay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(EventStream.retryDelay(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(EventStream.retryDelay(50)).isEqualTo(Duration.ofSeconds(1)); // issue 19: heard again within 1 s
    }
}
