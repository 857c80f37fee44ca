package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.NetworkCreate;

import io.stackwire.reconcile.daemon.EndpointConfig;

import io.stackwire.reconcile.daemon.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwire.model.Ipam;
import io.stackwire.reconcile.daemon.GatewayException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-java's path (changes) against a scripted daemon on a Unix socket that answers one request
 * per connection and then closes it, as every kept connection looks after a daemon restart.
 */
class StaleConnectionTest {

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /** Each connection: read one request (headers and body), answer {@code answer} (or nothing if null), close. */
    private String serveOnePerConnection(String answer) throws IOException {
        Path socket = dir.resolve("d.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    accepted.incrementAndGet();
                    requests.add(readRequest(Channels.newInputStream(c)));
                    if (answer != null) {
                        c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.ISO_8859_1)));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return "unix://" + socket;
    }

    /** The request line; the body is read too, so closing leaves nothing unread (which would reset the client). */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String h = head.toString(StandardCharsets.ISO_8859_1);
            if (h.endsWith("\r\n\r\n")) {
                break;
            }
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return h.split("\r\n")[0];
    }

    private static String json(String body) {
        return "HTTP/1.1 201 Created\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static NetworkCreate network(String name) {
        return new NetworkCreate(name, "bridge", false, false, false, Ipam.DEFAULT, Map.of(), Map.of());
    }

    @Test
    void aChangeOnAKeptConnectionTheDaemonClosedIsSentOnceMoreOnANewOne() throws Exception {
        String host = serveOnePerConnection(json("{\"Id\":\"n1\",\"Warning\":\"\"}"));
        try (DockerJavaGateway g = DockerJavaGateway.forHost(host)) {
            assertThat(g.createNetwork(network("a"))).isEqualTo("n1");
            Thread.sleep(100); // the daemon has closed the kept connection ("restarted")

            assertThat(g.createNetwork(network("b"))).isEqualTo("n1");

            assertThat(g.transportRenewals()).isEqualTo(1);
        }
        assertThat(accepted).hasValue(2);
        // The stale connection carried nothing to the daemon: each change arrived exactly once.
        assertThat(requests).containsExactly("POST /networks/create HTTP/1.1", "POST /networks/create HTTP/1.1");
    }

    @Test
    void aDockerJavaCommandIsRetriedTheSameWay() throws Exception {
        String host = serveOnePerConnection("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 0\r\n\r\n");
        try (DockerJavaGateway g = DockerJavaGateway.forHost(host)) {
            g.connectRunning("c1", "n1", EndpointConfig.NONE);
            Thread.sleep(100); // as above: the daemon has closed the kept connection

            g.connectRunning("c2", "n1", EndpointConfig.NONE);
            g.disconnect("c2", "n1", false);

            assertThat(g.transportRenewals()).isEqualTo(2);
        }
        assertThat(requests).containsExactly("POST /networks/n1/connect HTTP/1.1", "POST /networks/n1/connect HTTP/1.1",
                "POST /networks/n1/disconnect HTTP/1.1");
    }

    @Test
    void aDaemonThatDropsTheRequestAgainOnANewConnectionIsNotCalledDown() throws Exception {
        String host = serveOnePerConnection(null); // reads the request, closes without a word
        try (DockerJavaGateway g = DockerJavaGateway.forHost(host)) {
            assertThatThrownBy(() -> g.createNetwork(network("a")))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                        assertThat(e.getMessage())
                                .startsWith("the Docker daemon at " + host + " closed the connection without answering (")
                                .contains("also when asked again on a new connection")
                                .doesNotContain("is the Docker daemon running");
                    });
        }
        assertThat(accepted).hasValue(2); // one try and one retry, no more
    }

    @Test
    void aDaemonThatIsGoneIsStillReportedUnreachable() throws Exception {
        try (DockerJavaGateway g = DockerJavaGateway.forHost("unix://" + dir.resolve("none.sock"))) {
            assertThatThrownBy(() -> g.createNetwork(network("a")))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("is the Docker daemon running?");
                    });
            assertThat(g.transportRenewals()).isZero();
        }
    }

    @Test
    void staleSignaturesAreTheOnesWhereTheDaemonCannotHaveReadTheRequest() {
        assertThat(RenewingHttpClient.stale(new RuntimeException(new IOException("Broken pipe")))).isTrue();
        assertThat(RenewingHttpClient.stale(new RuntimeException(new java.net.SocketException("Connection reset by peer")))).isTrue();
        assertThat(RenewingHttpClient.stale(new RuntimeException(new IOException("Connection refused")))).isFalse();
        assertThat(RenewingHttpClient.stale(new RuntimeException(new java.net.SocketTimeoutException("Read timed out")))).isFalse();
        assertThat(RenewingHttpClient.stale(new RuntimeException("Broken pipe"))).isFalse(); // not an I/O failure
    }
}
