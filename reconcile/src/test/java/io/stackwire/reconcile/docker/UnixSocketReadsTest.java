package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket client against a scripted HTTP server on a Unix socket (no Docker involved). */
class UnixSocketReadsTest {

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /** Answers each request line with {@code answer.apply(path)}: raw bytes, or null to close the connection. */
    private Path serve(Function<String, String> answer) throws IOException {
        Path socket = dir.resolve("d.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel c = server.accept();
                    accepted.incrementAndGet();
                    Thread t = new Thread(() -> handle(c, answer));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        threads.add(acceptor);
        return socket;
    }

    private void handle(SocketChannel c, Function<String, String> answer) {
        try (c; InputStream in = Channels.newInputStream(c)) {
            while (true) {
                String requestLine = null;
                StringBuilder line = new StringBuilder();
                int b;
                while ((b = in.read()) >= 0) {
                    if (b == '\n') {
                        String l = line.toString().strip();
                        line.setLength(0);
                        if (requestLine == null) {
                            requestLine = l;
                        } else if (l.isEmpty()) {
                            break;
                        }
                    } else {
                        line.append((char) b);
                    }
                }
                if (b < 0 || requestLine == null) {
                    return;
                }
                requests.add(requestLine);
                String out = answer.apply(requestLine.split(" ")[1]);
                if (out == null) {
                    return;
                }
                c.write(ByteBuffer.wrap(out.getBytes(StandardCharsets.ISO_8859_1)));
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static String sized(String body) {
        return "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @Test
    void readsASizedAnswerAndKeepsTheConnectionForTheNextRequest() throws Exception {
        Path socket = serve(path -> sized("{\"path\":\"" + path + "\"}"));
        try (UnixSocketReads reads = new UnixSocketReads(socket, Duration.ofSeconds(5))) {
            for (int i = 0; i < 3; i++) {
                UnixSocketReads.Response r = reads.get("/containers/c" + i + "/json");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.apiVersion()).isEqualTo("1.41");
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"path\":\"/containers/c" + i + "/json\"}");
            }
        }
        assertThat(accepted).hasValue(1);
        assertThat(requests).containsExactly("GET /containers/c0/json HTTP/1.1", "GET /containers/c1/json HTTP/1.1",
                "GET /containers/c2/json HTTP/1.1");
    }

    @Test
    void readsAChunkedAnswerWithExtensionsAndTrailers() throws Exception {
        // What the daemon sends for anything but small answers: Go's chunked encoding.
        Path socket = serve(path -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nApi-Version: 1.44\r\n\r\n"
                + "5\r\n[{\"Id\r\n" + "a;ext=1\r\n\":\"abc\"},{\r\n" + "9\r\n\"Id\":\"d\"}\r\n" + "1\r\n]\r\n"
                + "0\r\nX-Trailer: 1\r\n\r\n");
        try (UnixSocketReads reads = new UnixSocketReads(socket, Duration.ofSeconds(5))) {
            UnixSocketReads.Response r = reads.get("/containers/json?all=1");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("[{\"Id\":\"abc\"},{\"Id\":\"d\"}]");
            assertThat(r.apiVersion()).isEqualTo("1.44");
            // The connection is still usable after the trailer.
            assertThat(reads.get("/version").status()).isEqualTo(200);
        }
        assertThat(accepted).hasValue(1);
    }

    @Test
    void aLargeChunkedAnswerArrivesWhole() throws Exception {
        String big = "x".repeat(3 << 20);
        StringBuilder chunked = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < big.length(); i += 7000) {
            String part = big.substring(i, Math.min(big.length(), i + 7000));
            chunked.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        Path socket = serve(path -> chunked.toString());
        try (UnixSocketReads reads = new UnixSocketReads(socket, Duration.ofSeconds(10))) {
            assertThat(reads.get("/containers/json").body()).hasSize(big.length());
        }
    }

    @Test
    void anErrorStatusIsReturnedWithTheDaemonsMessage() throws Exception {
        Path socket = serve(path -> "HTTP/1.1 404 Not Found\r\nContent-Length: 38\r\n\r\n{\"message\":\"No such container: gone\"}\n");
        try (UnixSocketReads reads = new UnixSocketReads(socket, Duration.ofSeconds(5))) {
            UnixSocketReads.Response r = reads.get("/containers/gone/json");
            assertThat(r.status()).isEqualTo(404);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("No such container: gone");
        }
    }

    @Test
    void anAnswerEndedByClosingTheConnectionIsReadAndTheConnectionNotReused() throws Exception {
        // HTTP/1.0 without a length: the body ends where the daemon closes the connection.
        Path other = dir.resolve("e.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(other));
            Thread t = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (SocketChannel c = s.accept()) {
                        c.read(ByteBuffer.allocate(4096));
                        c.write(ByteBuffer.wrap("HTTP/1.0 200 OK\r\n\r\n{\"n\":1}".getBytes(StandardCharsets.ISO_8859_1)));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            try (UnixSocketReads reads = new UnixSocketReads(other, Duration.ofSeconds(5))) {
                assertThat(new String(reads.get("/a").body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
                assertThat(new String(reads.get("/b").body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            }
        }
    }

    @Test
    void aKeptConnectionTheDaemonClosedIsRetriedOnceOnANewOne() throws Exception {
        AtomicInteger n = new AtomicInteger();
        // The first connection answers once, then closes instead of answering the second request.
        Path socket = serve(path -> n.incrementAndGet() == 2 ? null : sized("{\"n\":" + n.get() + "}"));
        try (UnixSocketReads reads = new UnixSocketReads(socket, Duration.ofSeconds(5))) {
            assertThat(new String(reads.get("/one").body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            assertThat(new String(reads.get("/two").body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":3}");
        }
        assertThat(accepted).hasValue(2);
        assertThat(requests).containsExactly("GET /one HTTP/1.1", "GET /two HTTP/1.1", "GET /two HTTP/1.1");
    }

    @Test
    void aDaemonThatNeverAnswersTimesOut() throws Exception {
        Path socket = serve(path -> {
            try {
                Thread.sleep(30_000); // deliberate: this daemon never answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        try (UnixSocketReads reads = new UnixSocketReads(socket, Duration.ofMillis(300))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> reads.get("/containers/json")).isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("GET /containers/json");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void somethingThatIsNotHttpIsAProtocolError() throws Exception {
        Path socket = serve(path -> "SSH-2.0-OpenSSH\r\n\r\n");
        try (UnixSocketReads reads = new UnixSocketReads(socket, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> reads.get("/version")).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("not an HTTP answer");
        }
    }

    @Test
    void aMissingSocketFailsToConnectNamingIt() {
        Path missing = dir.resolve("missing.sock");
        try (UnixSocketReads reads = new UnixSocketReads(missing, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> reads.get("/version")).isInstanceOf(IOException.class)
                    .hasMessageContaining(missing.toString());
        }
    }

    @Test
    void behindDockerJavasSeamItAnswersBodilessGetsAndRefusesTheRest() throws Exception {
        Path socket = serve(path -> "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nDate: Wed, 02 Dec 2026 06:05:24 GMT\r\n"
                + "Content-Length: 2\r\n\r\n{}");
        try (DockerHttpClient reads = new UnixSocketReads(socket, Duration.ofSeconds(5))) {
            DockerHttpClient.Request get = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.GET).path("/version").build();
            try (DockerHttpClient.Response r = reads.execute(get)) {
                assertThat(r.getStatusCode()).isEqualTo(200);
                assertThat(r.getHeader("Api-Version")).isEqualTo("1.41");
                assertThat(r.getHeader("date")).isEqualTo("Wed, 02 Dec 2026 06:05:24 GMT");
                assertThat(r.getBody().readAllBytes()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
            }
            DockerHttpClient.Request post = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.POST).path("/networks/create").bodyBytes(new byte[] {'{', '}'}).build();
            assertThatThrownBy(() -> reads.execute(post)).isInstanceOf(IllegalArgumentException.class);
        }
        Path missing = dir.resolve("missing.sock");
        try (DockerHttpClient reads = new UnixSocketReads(missing, Duration.ofSeconds(5))) {
            DockerHttpClient.Request get = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.GET).path("/version").build();
            assertThatThrownBy(() -> reads.execute(get)).isInstanceOf(java.io.UncheckedIOException.class)
                    .hasCauseInstanceOf(IOException.class).hasMessageContaining(missing.toString());
        }
    }

    @Test
    void onlyUnixAddressesHaveASocket() {
        assertThat(UnixSocketReads.socketOf("unix:///var/run/docker.sock")).isEqualTo(Path.of("/var/run/docker.sock"));
        assertThat(UnixSocketReads.socketOf("tcp://127.0.0.1:2375")).isNull();
        assertThat(UnixSocketReads.socketOf("npipe:////./pipe/docker_engine")).isNull();
        assertThat(UnixSocketReads.socketOf("unix://")).isNull();
        assertThat(UnixSocketReads.socketOf(null)).isNull();
    }
}
