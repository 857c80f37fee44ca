package io.stackwire.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that sends part of a request line or of its headers and then nothing is closed by the
 * server at the request deadline, while the other endpoints keep answering. The JDK server reads
 * {@code sun.net.httpserver.maxReqTime} once per JVM (any earlier test may have fixed it at our
 * 10 s), so the server runs in a JVM of its own ({@link StalledHeaderServer}) with a 2 s deadline.
 */
class StalledHeaderTest {

    private static final int DEADLINE_SECONDS = 2;

    private Process server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private int startServer() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        server = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dsun.net.httpserver.maxReqTime=" + DEADLINE_SECONDS,
                StalledHeaderServer.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null;) {
            if (line.startsWith("port ")) {
                return Integer.parseInt(line.substring(5).strip());
            }
        }
        throw new AssertionError("the server JVM ended without serving, exit " + waitExit());
    }

    private int waitExit() {
        try {
            return server.waitFor(5, TimeUnit.SECONDS) ? server.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private Socket open(int port, String part) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        s.getOutputStream().write(part.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    private String get(int port, String path) throws IOException {
        Socket s = open(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        s.setSoTimeout(2_000);
        StringBuilder b = new StringBuilder();
        InputStream in = s.getInputStream();
        for (int c; (c = in.read()) != -1 && c != '\n';) {
            b.append((char) c);
        }
        return b.toString().strip();
    }

    /** Reads until the server closes the connection; true if it did (end of stream or reset). */
    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketException e) {
            return true; // reset: closed with our unread bytes
        }
    }

    @Test
    void aHalfSentRequestLineOrHeaderIsClosedAtTheDeadlineWhileOthersAreAnswered() throws Exception {
        int port = startServer();
        long start = System.nanoTime();
        List<Socket> stalled = List.of(
                open(port, "GET /sta"),
                open(port, "GET /status HTTP/1.1\r\nHost: x\r\nX-Half"),
                open(port, "POST /webhook HTTP/1.1\r\nHost: x\r\n"));

        for (int i = 0; i < 5; i++) {
            assertThat(get(port, "/healthz")).isEqualTo("HTTP/1.1 200 OK");
            assertThat(get(port, "/metrics")).isEqualTo("HTTP/1.1 200 OK");
            Thread.sleep(200); // deliberate: the others keep being answered over a second, not a poll
        }
        // The deadline, plus the JDK's 1 s check period, plus slack for a loaded two-core machine.
        long limitMillis = (DEADLINE_SECONDS + 1) * 1000L + 3_000;
        for (Socket s : stalled) {
            s.setSoTimeout((int) Math.max(1, limitMillis - (System.nanoTime() - start) / 1_000_000));
            assertThat(closedByServer(s)).as("closed by the server, nothing answered").isTrue();
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        assertThat(took).as("closed at the deadline, not before").isGreaterThanOrEqualTo(DEADLINE_SECONDS * 1000L - 100);
        assertThat(get(port, "/status")).isEqualTo("HTTP/1.1 200 OK");
    }
}
