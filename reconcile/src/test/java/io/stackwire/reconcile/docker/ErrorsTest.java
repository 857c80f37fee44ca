package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.stackwire.reconcile.daemon.GatewayException.Kind;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorsTest {

    /** Status codes and texts as Docker 20.10 sends them (recorded against the real daemon). */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            404 | network swtest-x not found                                                   | NOT_FOUND
            404 | No such container: swtest-x                                                  | NOT_FOUND
            409 | network with name swtest-x already exists                                    | CONFLICT
            403 | endpoint with name swtest-c already exists in network swtest-n               | ALREADY
            500 | container 0123abcd is not connected to network swtest-n                      | ALREADY
            500 | container 0123abcd is not connected to the network swtest-n                  | ALREADY
            304 | ''                                                                           | ALREADY
            403 | error while removing network: network n id 0123 has active endpoints         | CONFLICT
            403 | bridge is a pre-defined network and cannot be removed                        | REFUSED
            403 | Address already in use                                                       | REFUSED
            400 | container sharing network namespace with another container or host cannot be connected to any other network | REFUSED
            403 | Pool overlaps with other one on this address space                           | REFUSED
            500 | Invalid address 10.9.9.9: It does not belong to any of this network's subnets | REFUSED
            """)
    void classifiesTheDaemonsAnswers(int status, String message, Kind kind) {
        GatewayException e = Errors.classify(status, message, "act", null);

        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.getMessage()).isEqualTo("act: " + message);
    }

    @Test
    void keepsOnlyTheDaemonsMessageFromDockerJavaExceptions() {
        NotFoundException e = new NotFoundException("Status 404: {\"message\":\"network swtest-x not found\"}\n");

        GatewayException g = Errors.map(e, "connect c to swtest-x", "unix:///s");

        assertThat(g.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(g.getMessage()).isEqualTo("connect c to swtest-x: network swtest-x not found");
    }

    @Test
    void mapsByHttpStatusWhenTheTextSaysNothing() {
        assertThat(Errors.map(new ConflictException("boom"), "a", "h").kind()).isEqualTo(Kind.CONFLICT);
        assertThat(Errors.map(new BadRequestException("boom"), "a", "h").kind()).isEqualTo(Kind.REFUSED);
        assertThat(Errors.map(new InternalServerErrorException("boom"), "a", "h").kind()).isEqualTo(Kind.REFUSED);
    }

    @Test
    void overTlsAConnectionClosedOnEveryTryIsARefusedClientCertificate() {
        // TLS 1.3: the daemon refuses the client certificate after the client finished its side of
        // the handshake, so the client may see only a broken pipe (RemoteTlsIT meets both forms).
        RuntimeException closed = new RuntimeException(new java.net.SocketException("Broken pipe"));
        GatewayException tls = Errors.unavailable("tcp://127.0.0.1:2376", closed, true);
        assertThat(tls.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(tls.getMessage()).startsWith("cannot reach the Docker daemon at tcp://127.0.0.1:2376: the TLS handshake failed (")
                .contains("Broken pipe").contains("DOCKER_CERT_PATH").doesNotContain("\n");
        assertThat(Errors.unavailable("unix:///run/docker.sock", closed, false).getMessage())
                .as("without TLS it stays a daemon that dropped the request")
                .startsWith("the Docker daemon at unix:///run/docker.sock closed the connection without answering (");
    }

    @Test
    void anIoFailureUnderneathIsUnavailableAndNamesTheEndpoint() {
        RuntimeException e = new RuntimeException(new IOException("Connection refused"));

        GatewayException g = Errors.map(e, "list networks", "unix:///tmp/x.sock");

        assertThat(g.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(g.getMessage()).isEqualTo("cannot reach the Docker daemon at unix:///tmp/x.sock (Connection refused);"
                + " is the Docker daemon running? set DOCKER_HOST to its address");
    }

    @Test
    void multiLineMessagesBecomeOneLine() {
        GatewayException g = Errors.classify(500, "first line\n  second line\r\n", "act", null);

        assertThat(g.getMessage()).isEqualTo("act: first line second line");
    }
}
