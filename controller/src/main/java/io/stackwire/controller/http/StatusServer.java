package io.stackwire.controller.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stackwire.controller.loop.ReconcileLoop;
import io.stackwire.controller.loop.Trigger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The controller's HTTP face on the JDK's server: {@code /healthz}, {@code /readyz},
 * {@code /status} (JSON), {@code /metrics} (Prometheus text) and {@code POST /webhook}.
 */
public final class StatusServer implements AutoCloseable {

    /** A push payload larger than this is refused before it is read in full. */
    static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final ExecutorService threads;
    private final ReconcileLoop loop;
    private final WebhookAuth webhook;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusServer(HttpServer server, ReconcileLoop loop, WebhookAuth webhook) {
        this.server = server;
        this.loop = loop;
        this.webhook = webhook;
        this.threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "stackwire-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/healthz", this::healthz);
        server.createContext("/readyz", ex -> text(ex, loop.ready() ? 200 : 503, loop.ready() ? "ready\n" : "not ready: no valid spec loaded or the daemon not read yet\n"));
        server.createContext("/status", this::status);
        server.createContext("/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", loop.metrics().render()));
        server.createContext("/webhook", this::webhook);
        server.createContext("/hooks/git", this::webhook); // the path issue 5 names; same handler
        server.createContext("/", ex -> text(ex, 404, "not found; try /status, /healthz, /readyz, /metrics or POST /webhook\n"));
    }

    /** Binds and starts serving; port 0 picks a free port (see {@link #address()}). */
    public static StatusServer start(InetSocketAddress address, ReconcileLoop loop, WebhookAuth webhook) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        StatusServer s = new StatusServer(server, loop, webhook);
        server.start();
        return s;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void healthz(HttpExchange ex) throws IOException {
        if (loop.healthy()) {
            text(ex, 200, "ok\n");
            return;
        }
        String why = loop.failure();
        text(ex, 503, "unhealthy: " + (why != null ? why + "; the process exits to be restarted"
                : "the loop is not running or its last pass is too old") + "\n");
    }

    private void status(HttpExchange ex) throws IOException {
        String body;
        try {
            body = json.writeValueAsString(loop.status()) + "\n";
        } catch (JsonProcessingException e) {
            text(ex, 500, "cannot render status: " + e.getOriginalMessage() + "\n");
            return;
        }
        send(ex, 200, "application/json", body);
    }

    private void webhook(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().add("Allow", "POST");
            text(ex, 405, "use POST\n");
            return;
        }
        if (!webhook.enabled()) {
            text(ex, 403, "webhook disabled: start stackwire run with --webhook-secret-file\n");
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            text(ex, 413, "payload too large\n");
            return;
        }
        var h = ex.getRequestHeaders();
        if (!webhook.accepts(body, h.getFirst("X-Hub-Signature-256"), h.getFirst("X-Gitlab-Token"))) {
            text(ex, 401, "bad or missing signature (X-Hub-Signature-256 or X-Gitlab-Token)\n");
            return;
        }
        loop.request(Trigger.WEBHOOK, Duration.ZERO);
        text(ex, 202, "accepted: fetching now\n");
    }

    private static void text(HttpExchange ex, int code, String body) throws IOException {
        send(ex, code, "text/plain; charset=utf-8", body);
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops accepting, lets requests in flight finish for up to a second. */
    @Override
    public void close() {
        server.stop(1);
        threads.shutdownNow();
    }
}
