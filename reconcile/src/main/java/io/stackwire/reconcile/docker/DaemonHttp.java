package io.stackwire.reconcile.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.GatewayException.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The one seam every daemon call passes: docker-java's {@link DockerHttpClient} interface. Plain
 * calls go out as {@link DockerHttpClient.Request}s, docker-java's commands through its client
 * built on the same transport; both count as calls and map errors the same way.
 *
 * <p>Two implementations sit behind the seam: docker-java's zerodep client (renewed when its kept
 * connections went stale, {@link RenewingHttpClient}) and, on a {@code unix://} daemon, the fast
 * socket reader {@link UnixSocketReads} for bodiless GETs (the observation's reads). The zerodep
 * client is only built for the first call that needs it: a no-op plan on a local socket never does.
 */
final class DaemonHttp implements Closeable {

    private static final System.Logger LOG = System.getLogger(DaemonHttp.class.getName());

    /** A successful answer's body and its {@code Date} header (empty when the daemon sent none). */
    record Raw(byte[] body, String date) {}

    /** The daemon address as messages name it (the ssh:// address, not the tunnel's socket). */
    private final String endpoint;
    private final DockerClientConfig config;
    /** The ssh processes behind an {@code ssh://} address; null for other addresses. */
    private final SshTunnel tunnel;
    /** The GETs' transport on a {@code unix://} daemon; null for other addresses. */
    private final UnixSocketReads reads;
    private final ObjectMapper json = DaemonJson.mapper();
    private final AtomicLong calls = new AtomicLong();
    private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
    private final Map<Class<?>, ObjectReader> listReaders = new ConcurrentHashMap<>();
    private RenewingHttpClient http;
    private DockerClient client;
    private volatile String apiVersion = "";

    DaemonHttp(DockerClientConfig config, UnixSocketReads reads, String endpoint, SshTunnel tunnel) {
        this.config = config;
        this.reads = reads;
        this.endpoint = endpoint;
        this.tunnel = tunnel;
        // Building Jackson's readers for the records costs a cold JVM more than binding a thousand
        // inspects with them: build the observation's now, while the gateway is made (the CLI makes it
        // on a start-up thread while it loads the spec), not when the daemon's first answer arrives.
        listReader(DaemonJson.ListedContainer.class);
        listReader(DaemonJson.Network.class);
        reader(DaemonJson.Inspect.class);
        reader(DaemonJson.Info.class);
    }

    private ObjectReader reader(Class<?> type) {
        return readers.computeIfAbsent(type, json::readerFor);
    }

    private ObjectReader listReader(Class<?> type) {
        return listReaders.computeIfAbsent(type, json::readerForListOf);
    }

    ObjectMapper json() {
        return json;
    }

    DockerClientConfig config() {
        return config;
    }

    AtomicLong calls() {
        return calls;
    }

    String endpoint() {
        return endpoint;
    }

    String apiVersion() {
        return apiVersion;
    }

    void apiVersion(String v) {
        apiVersion = v;
    }

    /** docker-java's transport, built on first use (building it loads TLS support even for a socket). */
    synchronized RenewingHttpClient http() {
        if (http == null) {
            // Renewed when its kept connections went stale: a restarted daemon costs one retry.
            http = new RenewingHttpClient(() -> Transports.zerodep(config, Transports.CHANGE_CONNECTIONS, true));
        }
        return http;
    }

    synchronized DockerClient client() {
        if (client == null) {
            client = DockerClientImpl.getInstance(config, http());
        }
        return client;
    }

    synchronized long transportRenewals() {
        return http == null ? 0 : http.renewals();
    }

    synchronized boolean dockerJavaBuilt() {
        return http != null;
    }

    /** Drops docker-java's kept connections (if it was built): the daemon went away and they with it. */
    void renewTransport() {
        RenewingHttpClient made;
        synchronized (this) {
            made = http;
        }
        if (made != null) {
            made.renew();
        }
    }

    /** One docker-java command, counted, with its errors mapped. */
    <T> T docker(String action, Supplier<T> call) throws GatewayException {
        calls.incrementAndGet();
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw map(e, action);
        }
    }

    /** One HTTP call with a JSON body (or none); returns the parsed answer, or an empty object. */
    JsonNode request(String method, String path, JsonNode body, String action) throws GatewayException {
        Raw raw = send(method, path, body, action);
        try {
            return raw.body().length == 0 ? json.createObjectNode() : json.readTree(raw.body());
        } catch (IOException e) {
            throw unreadable(action, e);
        }
    }

    /** A GET whose answer is bound to {@code type}; an empty answer binds as an empty object. */
    <T> T get(String path, Class<T> type, String action) throws GatewayException {
        return call("GET", path, null, type, action);
    }

    /** A call whose answer is bound to {@code type}; an empty answer binds as an empty object. */
    <T> T call(String method, String path, JsonNode body, Class<T> type, String action) throws GatewayException {
        return bind(send(method, path, body, action), type, action);
    }

    <T> T bind(Raw raw, Class<T> type, String action) throws GatewayException {
        try {
            return reader(type).readValue(raw.body().length == 0 ? EMPTY : raw.body());
        } catch (IOException e) {
            throw unreadable(action, e);
        }
    }

    /** An answer that is a JSON array, bound element by element; an empty answer is an empty list. */
    <T> List<T> bindList(Raw raw, Class<T> element, String action) throws GatewayException {
        if (raw.body().length == 0) {
            return List.of();
        }
        try {
            return listReader(element).readValue(raw.body());
        } catch (IOException e) {
            throw unreadable(action, e);
        }
    }

    private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.US_ASCII);

    static GatewayException unreadable(String action, IOException e) {
        String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return new GatewayException(Kind.REFUSED, action + ": unreadable answer from the daemon: " + Errors.oneLine(why), e);
    }

    /** One HTTP call; an answer of 300 or more is thrown as the daemon's message. */
    Raw send(String method, String path, JsonNode body, String action) throws GatewayException {
        boolean socketRead = reads != null && body == null && "GET".equals(method);
        calls.incrementAndGet();
        DockerHttpClient.Request.Builder b = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method))
                .path(path);
        try {
            if (body != null) {
                b.putHeader("Content-Type", "application/json").bodyBytes(json.writeValueAsBytes(body));
            }
            DockerHttpClient transport = socketRead ? reads : http();
            try (DockerHttpClient.Response response = transport.execute(b.build())) {
                String version = response.getHeader("Api-Version");
                if (version != null && !version.isEmpty()) {
                    apiVersion = version;
                }
                byte[] bytes;
                try (InputStream in = response.getBody()) {
                    bytes = in == null ? new byte[0] : in.readAllBytes();
                }
                int status = response.getStatusCode();
                if (status >= 300) {
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    String message = text.isBlank() ? "HTTP " + status : Errors.daemonMessage(new RuntimeException(text));
                    throw Errors.classify(status, message, action, null);
                }
                String date = response.getHeader("Date");
                return new Raw(bytes, date == null ? "" : date);
            }
        } catch (JsonProcessingException e) {
            throw new GatewayException(Kind.REFUSED, action + ": cannot write the request: "
                    + Errors.oneLine(e.getOriginalMessage()), e);
        } catch (UncheckedIOException e) {
            // The socket reader can only say IOException this way; the failure is its cause.
            throw unavailable(socketRead ? e.getCause() : e);
        } catch (IOException e) {
            throw unavailable(e);
        } catch (RuntimeException e) {
            throw map(e, action);
        }
    }

    /** As {@link Errors#map}, with what ssh said when the daemon is out of reach over ssh. */
    GatewayException map(RuntimeException e, String action) {
        GatewayException g = Errors.map(e, action, endpoint);
        return g.kind() == Kind.UNAVAILABLE ? unavailable(e) : g;
    }

    /** As {@link Errors#unavailable}; over ssh, the transport only saw a closed connection, so ssh's own words say why. */
    private GatewayException unavailable(Throwable e) {
        String ssh = tunnel == null ? null : tunnel.lastFailure();
        if (ssh == null) {
            return Errors.unavailable(endpoint, e, config.getSSLConfig() != null);
        }
        return new GatewayException(Kind.UNAVAILABLE, "cannot reach the Docker daemon at " + endpoint + " over ssh: " + ssh
                + "; check that '" + tunnel.manualCommand() + "' works from this shell and prints nothing"
                + " (the address is DOCKER_HOST or the docker context's)", e);
    }

    @Override
    public void close() {
        if (tunnel != null) {
            tunnel.close();
        }
        if (reads != null) {
            reads.close();
        }
        Closeable made; // the client closes its transport; a transport may exist alone
        synchronized (this) {
            made = client != null ? client : http;
        }
        if (made != null) {
            try {
                made.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the docker client: " + e.getMessage());
            }
        }
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
