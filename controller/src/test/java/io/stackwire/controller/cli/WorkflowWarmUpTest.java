package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwire.reconcile.daemon.DockerGateway;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class WorkflowWarmUpTest {

    @Test
    void theFirstGatewayIsBuiltOnABackgroundThreadAndLaterOnesOnDemand() throws Exception {
        List<String> builtOn = new CopyOnWriteArrayList<>();
        Supplier<DockerGateway> gateways = Startup.firstBuiltAhead(() -> {
            builtOn.add(Thread.currentThread().getName());
            return new FakeDocker();
        });

        // Built before anybody asks: that is the point.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (builtOn.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
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
