package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What an ssh that fails before answering leaves in the error, with a stand-in for the ssh program. */
class SshTunnelTest {

    /** Says what a refused ssh says and exits 255, as ssh does; the CLI's arguments become $0, $1, ... */
    private static final List<String> REFUSED = List.of("sh", "-c",
            "echo 'ssh: connect to host db1 port 2222: Connection refused' >&2; exit 255");

    @Test
    void everyCallQuotesWhatSshSaidAndTheCommandToTryByHand() {
        DockerEndpoint e = new DockerEndpoint("ssh://root@db1:2222", null, "DOCKER_HOST");
        // Repeated: the transport must never see the closed connection before ssh's words are kept.
        for (int i = 0; i < 20; i++) {
            try (DockerJavaGateway gateway = DockerJavaGateway.forEndpoint(e, REFUSED, i % 2 == 0)) {
                assertThatThrownBy(gateway::observe)
                        .isInstanceOfSatisfying(GatewayException.class,
                                g -> assertThat(g.kind()).isEqualTo(GatewayException.Kind.UNAVAILABLE))
                        .hasMessage("cannot reach the Docker daemon at ssh://root@db1:2222 over ssh:"
                                + " ssh: connect to host db1 port 2222: Connection refused; check that"
                                + " 'ssh -o ConnectTimeout=30 -T -l root -p 2222 -- db1 docker system dial-stdio' works from"
                                + " this shell and prints nothing (the address is DOCKER_HOST or the docker context's)");
            }
        }
    }

    @Test
    void anSshThatSaysNothingIsReportedByItsExitCode() {
        DockerEndpoint e = new DockerEndpoint("ssh://db1", null, "DOCKER_HOST");
        try (DockerJavaGateway gateway = DockerJavaGateway.forEndpoint(e, List.of("sh", "-c", "exit 255"), true)) {
            assertThatThrownBy(gateway::observe).hasMessageContaining("over ssh: ssh exited with code 255 without answering");
        }
    }

    @Test
    void anAddressWithAPasswordIsRefusedBeforeAnyProcessStarts() {
        assertThatThrownBy(() -> DockerJavaGateway.forHost("ssh://me:pw@db1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot use the Docker daemon address ssh://me:pw@db1: an ssh:// address must not carry a password");
    }
}
