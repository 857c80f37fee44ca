package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class WorkflowWarmUpTest {

    @Test
    void theFirstGatewayIsBuiltOnABackgroundThreadAndLaterOnesOnDemand() throws Exception {
        List<String> builtOn = new CopyOnWriteArrayList<>();
        Supplier<DockerGateway> gateways = Startup.firstBuiltAhead(() -> {
            builtOn.add(Thread.currentThread().getName());
            return new InMemoryDaemon("fake:///docker.sock");
        });

        // Built before anybody asks: that is the point.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> !builtOn.isEmpty());
        assertThat(builtOn).containsExactly("stackwire-docker-init");

        DockerGateway first = gateways.get();
        DockerGateway second = gateways.get();
        assertThat(first).isNotSameAs(second);
        assertThat(builtOn).containsExactly("stackwire-docker-init", Thread.currentThread().getName());
    }

    @Test
    void aGatewayThatCannotBeBuiltFailsWhenAskedForAsItWouldHaveWithoutTheWarmUp() {
        Supplier<DockerGateway> gateways = Startup.firstBuiltAhead(() -> {
            throw new IllegalArgumentException("cannot use the Docker daemon address DOCKER_HOST: bad");
        });

        assertThatThrownBy(gateways::get).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DOCKER_HOST");
    }
}
