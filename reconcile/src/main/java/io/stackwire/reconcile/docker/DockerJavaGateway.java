package io.stackwire.reconcile.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.stackwire.model.IpamPool;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.docker.GatewayException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The docker-java implementation of {@link DockerGateway}, over the zerodep transport.
 *
 * <p>No API version is pinned: requests go out unversioned, so the daemon answers in its own
 * version (1.41 on Debian's 20.10, 1.44+ on current engines, which refuse older clients). The
 * version the daemon speaks is read from its {@code Api-Version} response header.
 *
 * <p>Networks are listed and created with plain HTTP calls through docker-java's transport,
 * because docker-java 3.7.1's network beans have no IPAM aux addresses and no IPAM options.
 * Containers, info, connect, disconnect and remove use docker-java's commands.
 *
 * <p>An {@link #observe()} costs {@code 3 + containers} calls: list networks, list containers,
 * info, and one inspect per container (up to {@value #INSPECT_PARALLELISM} at a time).
 */
public final class DockerJavaGateway implements DockerGateway {

    private static final System.Logger LOG = System.getLogger(DockerJavaGateway.class.getName());
    private static final int INSPECT_PARALLELISM = 4;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private final String endpoint;
    private final DockerClientConfig config;
    private final DockerHttpClient http;
    private final DockerClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong calls = new AtomicLong();
    private final ExecutorService inspectPool;
    private volatile String apiVersion = "";
    private volatile List<String> warnings = List.of();

    private DockerJavaGateway(DockerClientConfig config) {
        this.endpoint = config.getDockerHost().toString();
        this.config = config;
        this.http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(INSPECT_PARALLELISM + 4)
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        this.client = DockerClientImpl.getInstance(config, http);
        this.inspectPool = Executors.newFixedThreadPool(INSPECT_PARALLELISM, r -> {
            Thread t = new Thread(r, "stackwire-docker-inspect");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects like the docker CLI: {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY},
     * {@code DOCKER_CERT_PATH}, else the local socket. Nothing is sent until the first call.
     *
     * @throws IllegalArgumentException when those variables do not make a usable configuration
     */
    public static DockerJavaGateway fromEnvironment() {
        return create(DefaultDockerClientConfig.createDefaultConfigBuilder(), "DOCKER_HOST");
    }

    /** Connects to an explicit daemon address such as {@code unix:///run/x.sock} or {@code tcp://127.0.0.1:2375}. */
    public static DockerJavaGateway forHost(String host) {
        DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host);
        if (!host.startsWith("tcp://")) {
            b.withDockerTlsVerify(false); // TLS settings from the environment cannot apply to a socket
        }
        return create(b, host);
    }

    private static DockerJavaGateway create(DefaultDockerClientConfig.Builder builder, String what) {
        try {
            return new DockerJavaGateway(builder.build());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot use the Docker daemon address " + what + ": "
                    + Errors.oneLine(e.getMessage()), e);
        }
    }

    /** Calls sent to the daemon since this gateway was made; the benchmark reports calls per no-op plan. */
    public long apiCalls() {
        return calls.get();
    }

    /** What the last {@link #observe()} noticed and worked around (e.g. two networks with one name), one line each. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public LiveState observe() throws GatewayException {
        List<String> notes = new ArrayList<>();
        JsonNode networkList = request("GET", "/networks", null, "list networks");
        SortedNetworks networks = indexNetworks(networkList, notes);
        List<Container> listed = docker("list containers",
                () -> client.listContainersCmd().withShowAll(true).exec());
        Map<String, LiveContainer> containers = inspectAll(listed);
        Info info = docker("read daemon info", () -> client.infoCmd().exec());
        SwarmInfo swarm = Mappers.swarm(info);
        if (apiVersion.isEmpty()) {
            // Every daemon response carries Api-Version; this only runs if a proxy strips it.
            String v = docker("read daemon version", () -> client.versionCmd().exec()).getApiVersion();
            apiVersion = v == null ? "" : v;
        }
        warnings = List.copyOf(notes);
        return new LiveState(new TreeMap<>(networks.byName), new TreeMap<>(containers), swarm, apiVersion);
    }

    private record SortedNetworks(Map<String, LiveNetwork> byName) {}

    /**
     * Docker allows two networks with one name (created concurrently, or a local and a swarm one).
     * We keep one per name: the local-scope one, else the oldest, else the lowest ID, and say so
     * in {@link #warnings()} and the log, naming both IDs.
     */
    private SortedNetworks indexNetworks(JsonNode list, List<String> notes) {
        Map<String, List<JsonNode>> byName = new TreeMap<>();
        for (JsonNode n : list) {
            if (n.path("Labels").has(Labels.LEASE)) {
                continue; // the controllers' lock object is not a network anyone plans for
            }
            byName.computeIfAbsent(n.path("Name").asText(), k -> new ArrayList<>()).add(n);
        }
        Map<String, LiveNetwork> out = new LinkedHashMap<>();
        byName.forEach((name, same) -> {
            same.sort(Comparator.<JsonNode>comparingInt(n -> "local".equals(n.path("Scope").asText()) ? 0 : 1)
                    .thenComparing(n -> created(n.path("Created").asText()))
                    .thenComparing(n -> n.path("Id").asText()));
            LiveNetwork kept = Mappers.network(same.get(0));
            out.put(name, kept);
            if (same.size() > 1) {
                List<String> ids = same.stream().map(n -> n.path("Id").asText()).map(DockerJavaGateway::shortId).toList();
                String note = "network name '" + name + "' is used by " + same.size() + " networks " + ids
                        + "; using " + shortId(kept.id()) + " (" + kept.scope() + ")"
                        + "; remove the others with 'docker network rm <id>'";
                notes.add(note);
                LOG.log(System.Logger.Level.WARNING, note);
            }
        });
        return new SortedNetworks(out);
    }

    private static OffsetDateTime created(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.MAX;
        }
    }

    private Map<String, LiveContainer> inspectAll(List<Container> listed) throws GatewayException {
        List<CompletableFuture<LiveContainer>> futures = new ArrayList<>(listed.size());
        for (Container c : listed) {
            futures.add(CompletableFuture.supplyAsync(() -> inspectOrNull(c.getId()), inspectPool));
        }
        Map<String, LiveContainer> out = new TreeMap<>();
        for (CompletableFuture<LiveContainer> f : futures) {
            LiveContainer c;
            try {
                c = f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof Wrapped w) {
                    throw w.exception;
                }
                throw Errors.map((RuntimeException) e.getCause(), "inspect container", endpoint);
            }
            if (c != null) {
                out.put(c.name(), c);
            }
        }
        return out;
    }

    /** A container removed between list and inspect is simply gone. */
    private LiveContainer inspectOrNull(String id) {
        try {
            InspectContainerResponse r = docker("inspect container " + shortId(id),
                    () -> client.inspectContainerCmd(id).exec());
            return Mappers.container(r);
        } catch (GatewayException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return null;
            }
            throw new Wrapped(e);
        }
    }

    /** Carries a checked exception out of a future. */
    private static final class Wrapped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient GatewayException exception;

        Wrapped(GatewayException e) {
            super(e.getMessage(), e, false, false);
            this.exception = e;
        }
    }

    @Override
    public String createNetwork(NetworkCreate r) throws GatewayException {
        ObjectNode body = json.createObjectNode();
        body.put("Name", r.name());
        // Without it, 20.10 creates a second network with the same name (201 plus a warning).
        // API 1.44+ ignores the field and always refuses duplicates.
        body.put("CheckDuplicate", true);
        body.put("Driver", r.driver());
        body.put("Internal", r.internal());
        body.put("Attachable", r.attachable());
        body.put("EnableIPv6", r.ipv6());
        ObjectNode ipam = body.putObject("IPAM");
        ipam.put("Driver", r.ipam().driver());
        ArrayNode configs = ipam.putArray("Config");
        for (IpamPool p : r.ipam().pools()) {
            ObjectNode c = configs.addObject();
            putIfSet(c, "Subnet", p.subnet());
            putIfSet(c, "Gateway", p.gateway());
            putIfSet(c, "IPRange", p.ipRange());
            if (!p.auxAddresses().isEmpty()) {
                putMap(c.putObject("AuxiliaryAddresses"), p.auxAddresses());
            }
        }
        putMap(ipam.putObject("Options"), r.ipam().options());
        putMap(body.putObject("Options"), r.options());
        putMap(body.putObject("Labels"), r.labels());
        JsonNode answer = request("POST", "/networks/create", body, "create network " + r.name());
        String id = answer.path("Id").asText("");
        if (id.isEmpty()) {
            throw new GatewayException(Kind.REFUSED, "create network " + r.name() + ": the daemon returned no network ID");
        }
        String warning = answer.path("Warning").asText("");
        if (!warning.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "create network " + r.name() + ": " + Errors.oneLine(warning));
        }
        return id;
    }

    @Override
    public void removeNetwork(String networkId) throws GatewayException {
        docker("remove network " + networkId, () -> {
            client.removeNetworkCmd(networkId).exec();
            return null;
        });
    }

    /**
     * Connects with aliases and static addresses (sent as the endpoint's IPAM config, which is what
     * the daemon keeps across restarts).
     *
     * <p>The container is inspected first: 20.10 answers 200 to a connect of a <em>stopped</em>
     * container that already has an entry for the network and silently keeps the old settings;
     * we report {@link Kind#ALREADY} instead, as for a running container. And a connect that fails
     * on a running container (e.g. "Address already in use") leaves a dead entry behind on 20.10
     * that stops the container from starting again; we remove it (see {@link #removeDeadEntry}).
     */
    @Override
    public void connect(String container, String network, EndpointConfig endpoint) throws GatewayException {
        String action = "connect " + container + " to " + network;
        InspectContainerResponse before = docker(action, () -> client.inspectContainerCmd(container).exec());
        Map<String, ContainerNetwork> nets = before.getNetworkSettings() == null ? null : before.getNetworkSettings().getNetworks();
        if (nets != null) {
            for (Map.Entry<String, ContainerNetwork> e : nets.entrySet()) {
                if (e.getKey().equals(network) || network.equals(e.getValue().getNetworkID())) {
                    throw new GatewayException(Kind.ALREADY, action + ": already attached (aliases "
                            + e.getValue().getAliases() + "); disconnect first to change its settings");
                }
            }
        }
        ContainerNetwork cfg = new ContainerNetwork();
        if (!endpoint.aliases().isEmpty()) {
            cfg.withAliases(endpoint.aliases());
        }
        if (endpoint.ipv4Address() != null || endpoint.ipv6Address() != null) {
            ContainerNetwork.Ipam ipam = new ContainerNetwork.Ipam();
            if (endpoint.ipv4Address() != null) {
                ipam.withIpv4Address(endpoint.ipv4Address());
            }
            if (endpoint.ipv6Address() != null) {
                ipam.withIpv6Address(endpoint.ipv6Address());
            }
            cfg.withIpamConfig(ipam);
        }
        try {
            docker(action, () -> {
                client.connectToNetworkCmd().withContainerId(container).withNetworkId(network)
                        .withContainerNetwork(cfg).exec();
                return null;
            });
        } catch (GatewayException e) {
            boolean running = before.getState() != null && Boolean.TRUE.equals(before.getState().getRunning());
            if (running && (e.kind() == Kind.REFUSED || e.kind() == Kind.CONFLICT)) {
                removeDeadEntry(container, network, e);
            }
            throw e;
        }
    }

    /**
     * 20.10 keeps the failed endpoint config in a running container's settings, and a running
     * container's entry cannot be disconnected (the daemon looks for a live endpoint). A plain
     * connect replaces the entry with a working one, which a disconnect then removes.
     */
    private void removeDeadEntry(String container, String network, GatewayException failure) {
        try {
            docker("clean up after failed connect", () -> {
                client.connectToNetworkCmd().withContainerId(container).withNetworkId(network)
                        .withContainerNetwork(new ContainerNetwork()).exec();
                return null;
            });
            docker("clean up after failed connect", () -> {
                client.disconnectFromNetworkCmd().withContainerId(container).withNetworkId(network).withForce(true).exec();
                return null;
            });
        } catch (GatewayException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    @Override
    public void disconnect(String container, String network, boolean force) throws GatewayException {
        docker("disconnect " + container + " from " + network, () -> {
            client.disconnectFromNetworkCmd().withContainerId(container).withNetworkId(network).withForce(force).exec();
            return null;
        });
    }

    // ---- Controller loop (issue 5): event stream and lease lookups. ----

    /**
     * Streams container and network events on a client of its own without a response timeout
     * (the stream may be idle for hours). Each (re)connect counts as one API call.
     */
    @Override
    public Subscription events(EventListener listener) {
        Supplier<DockerClient> streamClients = () -> DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder()
                        .dockerHost(config.getDockerHost())
                        .sslConfig(config.getSSLConfig())
                        .maxConnections(1)
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .build());
        return new EventStream(streamClients, listener, calls::incrementAndGet).start();
    }

    /** {@code GET /networks?filters=name} (a substring match on the daemon), narrowed to the exact name. */
    @Override
    public List<NetworkRef> networksNamed(String name) throws GatewayException {
        ObjectNode filter = json.createObjectNode();
        filter.putObject("name").put(name, true);
        String query = java.net.URLEncoder.encode(filter.toString(), StandardCharsets.UTF_8);
        JsonNode list = request("GET", "/networks?filters=" + query, null, "list networks named " + name);
        List<NetworkRef> out = new ArrayList<>();
        for (JsonNode n : list) {
            if (!name.equals(n.path("Name").asText())) {
                continue;
            }
            OffsetDateTime created = created(n.path("Created").asText());
            Map<String, String> labels = new TreeMap<>();
            n.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            out.add(new NetworkRef(n.path("Id").asText(), name,
                    created.equals(OffsetDateTime.MAX) ? null : created.toInstant(), labels));
        }
        out.sort(Comparator.comparing(NetworkRef::created).thenComparing(NetworkRef::id));
        return out;
    }

    // ---- end of controller loop additions ----

    @Override
    public String describe() {
        return apiVersion.isEmpty() ? endpoint : endpoint + " (API " + apiVersion + ")";
    }

    @Override
    public void close() {
        inspectPool.shutdownNow();
        try {
            client.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the docker client: " + e.getMessage());
        }
    }

    private <T> T docker(String action, Supplier<T> call) throws GatewayException {
        calls.incrementAndGet();
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw Errors.map(e, action, endpoint);
        }
    }

    /** One HTTP call with a JSON body (or none); returns the parsed answer, or an empty object. */
    private JsonNode request(String method, String path, JsonNode body, String action) throws GatewayException {
        calls.incrementAndGet();
        DockerHttpClient.Request.Builder b = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method))
                .path(path);
        try {
            if (body != null) {
                b.putHeader("Content-Type", "application/json").bodyBytes(json.writeValueAsBytes(body));
            }
            try (DockerHttpClient.Response response = http.execute(b.build())) {
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
                return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
            }
        } catch (JsonProcessingException e) {
            throw new GatewayException(Kind.REFUSED, action + ": unreadable answer from the daemon: "
                    + Errors.oneLine(e.getOriginalMessage()), e);
        } catch (IOException | UncheckedIOException e) {
            throw Errors.unavailable(endpoint, e);
        } catch (RuntimeException e) {
            throw Errors.map(e, action, endpoint);
        }
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static void putMap(ObjectNode node, Map<String, String> values) {
        values.forEach(node::put);
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
