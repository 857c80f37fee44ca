package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.NetworkCreate;

import io.stackwire.reconcile.daemon.EndpointConfig;

import io.stackwire.reconcile.daemon.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stackwire.reconcile.daemon.GatewayException.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnavailableDaemonIT {

    @TempDir
    Path dir;

    @Test
    void daemonThatIsDownIsUnavailableWithAOneLineHint() {
        String host = "unix://" + dir.resolve("docker.sock");
        try (DockerJavaGateway gateway = DockerJavaGateway.forHost(host)) {
            GatewayException e = catchThrowableOfType(GatewayException.class, gateway::observe);

            assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(e.getMessage())
                    .startsWith("cannot reach the Docker daemon at " + host + " (")
                    .endsWith("is the Docker daemon running? set DOCKER_HOST to its address")
                    .doesNotContain("\n");
            assertThat(gateway.describe()).isEqualTo(host);
        }
    }

    @Test
    void everyOperationReportsTheDaemonAsUnavailable() {
        String host = "unix://" + dir.resolve("missing.sock");
        try (DockerJavaGateway gateway = DockerJavaGateway.forHost(host)) {
            GatewayException connect = catchThrowableOfType(GatewayException.class,
                    () -> gateway.connect("c", "n", EndpointConfig.NONE));
            GatewayException create = catchThrowableOfType(GatewayException.class,
                    () -> gateway.createNetwork(new NetworkCreate("n", "bridge", false, false, false, null, null, null)));
            GatewayException remove = catchThrowableOfType(GatewayException.class, () -> gateway.removeNetwork("abc"));

            assertThat(connect.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(create.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(remove.kind()).isEqualTo(Kind.UNAVAILABLE);
            assertThat(gateway.apiCalls()).isEqualTo(3);
        }
    }
}
