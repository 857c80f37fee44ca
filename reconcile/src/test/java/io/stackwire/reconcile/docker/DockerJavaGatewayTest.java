package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When docker-java's client is built; no daemon needed (the socket does not exist). */
class DockerJavaGatewayTest {

    @TempDir
    Path dir;

    @Test
    void readsOnASocketNeverBuildDockerJavaAndAChangingCommandBuildsItAhead() {
        String host = "unix://" + dir.resolve("docker.sock");
        try (DockerJavaGateway reads = DockerJavaGateway.forHost(host)) {
            GatewayException e = catchThrowableOfType(GatewayException.class, reads::observe);
            assertThat(e.kind()).isEqualTo(GatewayException.Kind.UNAVAILABLE);
            assertThat(reads.dockerJavaBuilt()).as("an observation over the socket").isFalse();
        }
        try (DockerJavaGateway changes = DockerJavaGateway.forHost(host).readyForChanges()) {
            assertThat(changes.dockerJavaBuilt()).isTrue();
        }
        try (DockerJavaGateway plain = DockerJavaGateway.forHost(host, false)) {
            catchThrowableOfType(GatewayException.class, plain::observe);
            assertThat(plain.dockerJavaBuilt()).as("without socket reads every call uses docker-java").isTrue();
        }
    }
}
