package io.stackwire.controller.loop;

import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.controller.pass.HostCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.controller.http.StatusServer;
import io.stackwire.controller.http.WebhookAuth;
import io.stackwire.controller.source.Snapshot;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.plan.Planner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health, readiness, status and metrics keep answering while clients stall: on loopback, with
 * raw sockets that send part of a request, or a webhook upload without its body, or headers one
 * byte at a time. Every read has a deadline, so a server that blocks fails the test instead of
 * hanging it.
 */
class HttpStallTest {

    /** What "answers" means here: the status line within this, on a loaded two-core machine. */
    private static final int ANSWER_MILLIS = 2_000;

    @TempDir
    Path dir;

    private final InMemoryDaemon daemon = new InMemoryDaemon("fake");
    private final List<Socket> sockets = new ArrayList<>();
    private ReconcileLoop loop;
    private StatusServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("stack.yaml"), "stack: t\nnetworks:\n  t-a: {}\n");
        ReconcileLoopTest.FakeSource source = new ReconcileLoopTest.FakeSource();
        source.next = new Snapshot("c1", dir);
        LoopConfig c = new LoopConfig("edge", Duration.ofSeconds(30), Duration.ofMinutes(5), null, null, null,
                false, false, 0.5, false, "me", "lease-test", Duration.ofMinutes(5), 1);
        loop = new ReconcileLoop(c, source, SpecLoader::load, Planner::plan, HostCheck.NONE, daemon,
                () -> 0, Clock.systemUTC(), new Random(1));
        server = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), loop, new WebhookAuth("s3cret"), Duration.ofMillis(500));
        loop.start();
        await().atMost(Duration.ofSeconds(10)).until(loop::ready);
    }

    @AfterEach
    void stop() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        server.close();
        loop.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(server.address(), ANSWER_MILLIS);
        s.setSoTimeout(ANSWER_MILLIS);
        return s;
    }

    /** Sends {@code request} and returns the status line, or fails if none comes within the deadline. */
    private String send(String request) throws IOException {
        Socket s = connect();
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return statusLine(s.getInputStream());
    }

    private String get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n';) { // throws SocketTimeoutException at the deadline
            b.append((char) c);
        }
        return b.toString().strip();
    }

    /** Opens a connection that sends {@code part} of a request and then nothing. */
    private void stall(String part) throws IOException {
        Socket s = connect();
        s.getOutputStream().write(part.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    @Test
    void everyEndpointAnswersWhileStalledUploadsAndHalfSentRequestsHoldConnections() throws Exception {
        for (int i = 0; i < 4; i++) {
            // Signed and within the size limit, so the server starts reading a body that never comes.
            stall("POST /webhook HTTP/1.1\r\nHost: x\r\nX-Gitlab-Token: s3cret\r\nContent-Length: 1000000\r\n\r\n");
            stall("GET /status HTTP/1.1\r\nHost: x\r\nX-Half");
            stall("POST /webh");
        }
        Thread.sleep(200); // let the server hand them to its workers

        assertThat(get("/healthz")).isEqualTo("HTTP/1.1 200 OK");
        assertThat(get("/readyz")).isEqualTo("HTTP/1.1 200 OK");
        assertThat(get("/status")).isEqualTo("HTTP/1.1 200 OK");
        assertThat(get("/metrics")).isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void slowLorisClientsDoNotBlockOthers() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> drips = new ArrayList<>();
        for (int n = 0; n < 3; n++) { // more than the two workers the server used to have
            Socket loris = connect();
            Thread drip = new Thread(() -> {
                byte[] headers = ("GET /status HTTP/1.1\r\nHost: x\r\n" + "X-Slow: " + "z".repeat(200))
                        .getBytes(StandardCharsets.ISO_8859_1);
                try {
                    OutputStream out = loris.getOutputStream();
                    for (int i = 0; i < headers.length && !done.get(); i++) { // at most ~20 s, stopped by the test
                        out.write(headers[i]);
                        out.flush();
                        Thread.sleep(100); // deliberate: a byte every 100 ms is what a slow loris sends
                    }
                } catch (IOException | InterruptedException e) {
                    // the server may close it; either way it is over
                }
            }, "slow-loris-" + n);
            drip.start();
            drips.add(drip);
        }
        try {
            Thread.sleep(300); // deliberate: the drips hold their connections before the others ask
            for (int i = 0; i < 10; i++) {
                assertThat(get("/healthz")).isEqualTo("HTTP/1.1 200 OK");
                Thread.sleep(100); // deliberate: asks spread over a second while the drips go on
            }
            assertThat(drips).as("still dripping while the others were answered").allMatch(Thread::isAlive);
        } finally {
            done.set(true);
            for (Thread t : drips) {
                t.join(5_000);
            }
        }
    }

    @Test
    void aWebhookWithoutSignatureIsRefusedWithoutWaitingForItsBody() throws Exception {
        String status = send("POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n");
        assertThat(status).isEqualTo("HTTP/1.1 401 Unauthorized");
    }

    @Test
    void aWebhookDeclaringMoreThanTheLimitIsRefusedWithoutWaitingForItsBody() throws Exception {
        String status = send("POST /webhook HTTP/1.1\r\nHost: x\r\nX-Hub-Signature-256: sha256=00\r\nContent-Length: 50000000\r\n\r\n");
        assertThat(status).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
    }

    @Test
    void aSignedWebhookStillTriggersAPass() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String status = send("POST /webhook HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Hub-Signature-256: "
                + new WebhookAuth("s3cret").signature(body) + "\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(status).isEqualTo("HTTP/1.1 202 Accepted");
    }

    @Test
    void aWebhookUploadThatStallsIsCutOffAtTheBodyDeadline() throws Exception {
        Socket s = connect();
        s.setSoTimeout(5_000); // shorter than the JDK's own request deadline: this one is ours
        s.getOutputStream().write("POST /webhook HTTP/1.1\r\nHost: x\r\nX-Gitlab-Token: s3cret\r\nContent-Length: 1000\r\n\r\n{"
                .getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();

        assertThat(s.getInputStream().read()).as("closed by the server, no answer").isEqualTo(-1);
        assertThat(loop.status().lastPass().triggers()).doesNotContain("webhook");
    }
}
