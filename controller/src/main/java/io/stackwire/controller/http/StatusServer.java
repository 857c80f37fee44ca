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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The controller's HTTP face on the JDK's server: {@code /healthz}, {@code /readyz},
 * {@code /status} (JSON), {@code /metrics} (Prometheus text) and {@code POST /webhook}.
 */
public final class StatusServer implements AutoCloseable {

    /** A push payload larger than this is refused before it is read in full. */
    static final int MAX_BODY = 1 << 20;
    /**
     * Worker threads. The JDK server reads a request's line, headers and body on a worker, so a
     * client that stalls holds one until the read deadline below; with two workers, two stalled
     * webhook uploads blocked every endpoint. Idle workers end after a while.
     */
    static final int WORKERS = 32;
    /**
     * Seconds a client may take to send a whole request, and to read a whole response; the JDK
     * server closes the connection after that. Small answers on loopback or a LAN take milliseconds.
     */
    static final long DEADLINE_SECONDS = 10;

    static {
        deadlines(System.getProperties());
    }

    /**
     * The JDK server reads these once, when its first server is made, so they are set here, before
     * ours (stackwire run makes no other); an operator's own -D values win.
     */
    static void deadlines(java.util.Properties p) {
        p.putIfAbsent("sun.net.httpserver.maxReqTime", String.valueOf(DEADLINE_SECONDS));
        p.putIfAbsent("sun.net.httpserver.maxRspTime", String.valueOf(DEADLINE_SECONDS));
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final ReconcileLoop loop;
    private final WebhookAuth webhook;
    private final Duration bodyDeadline;
    /** Closes webhook connections whose body is not in by the deadline; one daemon thread. */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stackwire-http-deadline");
        t.setDaemon(true);
        return t;
    });
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusServer(HttpServer server, ReconcileLoop loop, WebhookAuth webhook, Duration bodyDeadline) {
        this.server = server;
        this.bodyDeadline = bodyDeadline;
        this.loop = loop;
        this.webhook = webhook;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "stackwire-http");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
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
        return start(address, loop, webhook, Duration.ofSeconds(DEADLINE_SECONDS));
    }

    /** As above, with the time a webhook body may take to arrive (tests shorten it). */
    public static StatusServer start(InetSocketAddress address, ReconcileLoop loop, WebhookAuth webhook, Duration bodyDeadline)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        StatusServer s = new StatusServer(server, loop, webhook, bodyDeadline);
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
        // Nothing is read from a request that cannot be accepted: no signature, or a declared size
        // over the limit. Such answers close the connection instead of waiting for the body.
        var h = ex.getRequestHeaders();
        String github = h.getFirst("X-Hub-Signature-256");
        String gitlab = h.getFirst("X-Gitlab-Token");
        if (github == null && gitlab == null) {
            refuse(ex, 401, "missing signature (X-Hub-Signature-256 or X-Gitlab-Token)\n");
            return;
        }
        if (declaredLength(ex) > MAX_BODY) {
            refuse(ex, 413, "payload too large: at most " + (MAX_BODY >> 10) + " KiB\n");
            return;
        }
        byte[] body;
        // Our own deadline on the body, whatever the JDK's settings: closing an exchange that has
        // not answered yet closes its connection, which ends the blocked read.
        ScheduledFuture<?> cut = deadlines.schedule(ex::close, bodyDeadline.toMillis(), TimeUnit.MILLISECONDS);
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1); // a chunked body has no declared length
        } catch (IOException e) {
            ex.close();
            return; // cut off at the deadline, or the client went away: nobody to answer
        } finally {
            cut.cancel(false);
        }
        if (body.length > MAX_BODY) {
            refuse(ex, 413, "payload too large: at most " + (MAX_BODY >> 10) + " KiB\n");
            return;
        }
        if (!webhook.accepts(body, github, gitlab)) {
            text(ex, 401, "bad or missing signature (X-Hub-Signature-256 or X-Gitlab-Token)\n");
            return;
        }
        loop.request(Trigger.WEBHOOK, Duration.ZERO);
        text(ex, 202, "accepted: fetching now\n");
    }

    /** The request's Content-Length, or -1 when it has none (chunked) or it is not a number. */
    private static long declaredLength(HttpExchange ex) {
        String v = ex.getRequestHeaders().getFirst("Content-Length");
        try {
            return v == null ? -1 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void refuse(HttpExchange ex, int code, String body) throws IOException {
        ex.getResponseHeaders().set("Connection", "close");
        text(ex, code, body);
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
        deadlines.shutdownNow();
    }
}
