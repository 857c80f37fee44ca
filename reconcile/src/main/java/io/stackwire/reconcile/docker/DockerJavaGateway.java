package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.ReplaceRepair;

import io.stackwire.reconcile.daemon.DockerEvent;

import io.stackwire.reconcile.daemon.NetworkCreate;

import io.stackwire.reconcile.daemon.EndpointConfig;

import io.stackwire.reconcile.daemon.ContainerReplace;

import io.stackwire.reconcile.daemon.Subscription;

import io.stackwire.reconcile.daemon.EventListener;

import io.stackwire.reconcile.daemon.NetworkRef;

import io.stackwire.reconcile.daemon.GatewayException;

import io.stackwire.reconcile.daemon.DockerGateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.stackwire.model.IpamPool;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.daemon.GatewayException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The docker-java implementation of {@link DockerGateway}, over the zerodep transport.
 *
 * <p>No API version is pinned: requests go out unversioned, so the daemon answers in its own
 * version (1.41 on Debian's 20.10, 1.44+ on current engines, which refuse older clients). The
 * version the daemon speaks is read from its {@code Api-Version} response header.
 *
 * <p>Networks are listed and created with plain HTTP calls through docker-java's transport,
 * because docker-java 3.7.1's network beans have no IPAM aux addresses and no IPAM options. The
 * observation reads containers and info the same way, as JSON trees: binding docker-java's full
 * inspect beans made a cold observation of 1,000 containers take twice as long. Connect,
 * disconnect and remove use docker-java's commands.
 *
 * <p>On a {@code unix://} daemon every GET (the observation's reads) goes over the socket through
 * {@link UnixSocketReads} instead, and docker-java's client is only built for the first change:
 * a no-op plan of a thousand containers spent most of its CPU in docker-java's transport.
 *
 * <p>An {@code ssh://} daemon is reached through {@link SshTunnel}: a local socket whose every
 * connection is one {@code ssh ... docker system dial-stdio} process, so the socket reads, the pool
 * and the event stream work over it unchanged. Which daemon, and with what TLS, is
 * {@link DockerEndpoint}'s choice, made as the docker CLI makes it.
 *
 * <p>An {@link #observe()} costs {@code 3 + containers} calls: list containers and networks, then
 * one inspect per container (up to {@value #INSPECT_PARALLELISM} at a time) while this thread
 * reads the info; {@link #observe(Supplier)} inspects only the containers in its scope. Inspect
 * answers are parsed keeping only what the mapping reads ({@link JsonPrune}).
 */
public final class DockerJavaGateway implements DockerGateway {

    private static final System.Logger LOG = System.getLogger(DockerJavaGateway.class.getName());
    // Inspects are cheap for the daemon but each waits a round trip: 8 in flight keep a 2-core
    // machine busy without queueing behind the daemon's own locks.
    private static final int INSPECT_PARALLELISM = 8;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REMOVAL_SETTLE = Duration.ofSeconds(30);

    /** The daemon address as messages name it (the ssh:// address, not the tunnel's socket). */
    private final String endpoint;
    private final DockerClientConfig config;
    /** The ssh processes behind an {@code ssh://} address; null for other addresses. */
    private final SshTunnel tunnel;
    /** Made on the first call that needs docker-java: a no-op plan on a local socket never does. */
    private RenewingHttpClient http;
    private DockerClient client;
    /** The observation's reads on a {@code unix://} daemon; null for other addresses. */
    private final UnixSocketReads reads;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong calls = new AtomicLong();
    private final ExecutorService inspectPool;
    private volatile String apiVersion = "";
    private volatile List<String> warnings = List.of();
    /** Configuration-only networks made here (lease records): always local, so gone as soon as removed. */
    private final Set<String> configOnly = ConcurrentHashMap.newKeySet();
    /**
     * Local-scope networks as last listed or made here: the daemon answers their removal once they
     * are gone (unlike a swarm's overlays), so no call is spent to see it. Pruned at every full list.
     */
    private final Set<String> localScope = ConcurrentHashMap.newKeySet();

    private DockerJavaGateway(DockerClientConfig config, boolean socketReads, String endpoint, SshTunnel tunnel) {
        this.endpoint = endpoint;
        this.config = config;
        this.tunnel = tunnel;
        Path socket = socketReads ? UnixSocketReads.socketOf(config.getDockerHost().toString()) : null;
        this.reads = socket == null ? null : new UnixSocketReads(socket, RESPONSE_TIMEOUT);
        this.inspectPool = Executors.newFixedThreadPool(INSPECT_PARALLELISM, r -> {
            Thread t = new Thread(r, "stackwire-docker-inspect");
            t.setDaemon(true);
            return t;
        });
    }

    /** docker-java's transport, built on first use (building it loads TLS support even for a socket). */
    private synchronized RenewingHttpClient http() {
        if (http == null) {
            // Renewed when its kept connections went stale: a restarted daemon costs one retry.
            http = new RenewingHttpClient(() -> new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .maxConnections(INSPECT_PARALLELISM + 4)
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .responseTimeout(RESPONSE_TIMEOUT)
                    .build());
        }
        return http;
    }

    /** How often docker-java's transport was renewed after stale connections (for tests). */
    synchronized long transportRenewals() {
        return http == null ? 0 : http.renewals();
    }

    /**
     * Builds docker-java's client now rather than on the first change, for a command that will
     * probably make changes (apply, destroy) and can build it ahead on a background thread.
     */
    public DockerJavaGateway readyForChanges() {
        client();
        return this;
    }

    /** Whether docker-java's transport has been built (for tests: reads alone must not build it). */
    synchronized boolean dockerJavaBuilt() {
        return http != null;
    }

    private synchronized DockerClient client() {
        if (client == null) {
            client = DockerClientImpl.getInstance(config, http());
        }
        return client;
    }

    /**
     * Connects like the docker CLI ({@link DockerEndpoint}): {@code DOCKER_HOST} with
     * {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}, else {@code DOCKER_CONTEXT}, else the
     * CLI's current context, else the local socket. Nothing is sent until the first call.
     *
     * @throws IllegalArgumentException when those settings do not make a usable configuration
     */
    public static DockerJavaGateway fromEnvironment() {
        return forEndpoint(DockerEndpoint.fromEnvironment(), List.of("ssh"), true);
    }

    /** As {@link #fromEnvironment()}, for the environment {@code env} (a command's, which tests choose). */
    public static DockerJavaGateway fromEnvironment(java.util.Map<String, String> env) {
        return forEndpoint(DockerEndpoint.fromEnvironment(env), List.of("ssh"), true);
    }

    /** Connects to an explicit daemon address such as {@code unix:///run/x.sock}, {@code tcp://127.0.0.1:2375} or {@code ssh://u@h}. */
    public static DockerJavaGateway forHost(String host) {
        return forHost(host, true);
    }

    /** As {@link #forHost(String)}; without socket reads every call goes through docker-java (to compare the two). */
    static DockerJavaGateway forHost(String host, boolean socketReads) {
        return forEndpoint(new DockerEndpoint(host, null, host), List.of("ssh"), socketReads);
    }

    /**
     * Connects to {@code e}; an {@code ssh://} address runs {@code ssh} (the program and options
     * before the docker CLI's own) once per connection.
     */
    static DockerJavaGateway forEndpoint(DockerEndpoint e, List<String> ssh, boolean socketReads) {
        SshTunnel tunnel = null;
        try {
            String host = e.host();
            if (host.startsWith("ssh://")) {
                tunnel = new SshTunnel(host, ssh);
                host = tunnel.localHost();
            }
            // Not createDefaultConfigBuilder: it would read DOCKER_* and config.json again, its own way.
            DefaultDockerClientConfig.Builder b = new DefaultDockerClientConfig.Builder().withDockerHost(host);
            if (e.tlsDir() != null) {
                b.withCustomSslConfig(new PemTls(e.tlsDir()));
            }
            return new DockerJavaGateway(b.build(), socketReads, e.describe(), tunnel);
        } catch (IOException | RuntimeException ex) {
            if (tunnel != null) {
                tunnel.close();
            }
            String why = Errors.oneLine(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
            throw new IllegalArgumentException("cannot use the Docker daemon address " + e.host()
                    + (e.source().equals(e.host()) ? "" : " (from " + e.source() + ")") + ": " + why, ex);
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
        return observe(() -> ObserveScope.ALL);
    }

    /**
     * Lists containers and networks, then asks for the scope (the spec may still be loading) and
     * inspects only the containers in it, while it reads the daemon's info; the others are
     * described from the list ({@link ObserveScope}). {@code 3 + inspected} calls.
     */
    @Override
    public LiveState observe(Supplier<ObserveScope> scopeSource) throws GatewayException {
        return observe(scopeSource, t -> { });
    }

    /**
     * As {@link #observe(Supplier)}; {@code startedAt} hears the {@code Date} of the first call's
     * answer less a second (the header has whole seconds, and the daemon may have dated it after
     * it listed): no later than the moment the daemon was first read.
     */
    @Override
    public LiveState observe(Supplier<ObserveScope> scopeSource, Consumer<Instant> startedAt) throws GatewayException {
        List<String> notes = new ArrayList<>();
        String listAction = "list containers";
        Raw first = send("GET", "/containers/json?all=1", null, listAction);
        Instant date = httpDate(first.date());
        if (date != null) {
            startedAt.accept(date.minusSeconds(1));
        }
        JsonNode listed = parsed(first, listAction, Mappers.LISTED);
        JsonNode networkList = request("GET", "/networks", null, "list networks");
        SortedNetworks networks = indexNetworks(networkList, notes);
        Set<String> managed = new TreeSet<>();
        networks.byName.values().stream().filter(LiveNetwork::managed).forEach(n -> managed.add(n.name()));
        ObserveScope scope = scopeSource.get();
        List<CompletableFuture<LiveContainer>> inspects = new ArrayList<>();
        Map<String, LiveContainer> containers = new TreeMap<>();
        for (JsonNode c : listed) {
            LiveContainer seen = Mappers.listedContainer(c);
            if (scope.needsDetail(seen.name(), seen.labels(), seen.endpoints().stream().map(LiveEndpoint::network).toList(), managed)) {
                String id = seen.id();
                inspects.add(CompletableFuture.supplyAsync(() -> inspectOrNull(id), inspectPool));
            } else {
                containers.put(seen.name(), seen);
            }
        }
        SwarmInfo swarm = Mappers.swarm(request("GET", "/info", null, "read daemon info"));
        containers.putAll(joinInspects(inspects));
        swarm = withLeader(swarm);
        if (apiVersion.isEmpty()) {
            // Every daemon response carries Api-Version; this only runs if a proxy strips it.
            apiVersion();
        }
        warnings = List.copyOf(notes);
        return new LiveState(new TreeMap<>(networks.byName), new TreeMap<>(containers), swarm, apiVersion);
    }

    /**
     * {@code base} with the network list read again and these containers (IDs or names) inspected
     * again: {@code 1 + containers} calls. A container that is gone leaves the state; one renamed
     * or re-created is found by both its old entry's ID or name and its new inspect.
     */
    @Override
    public LiveState refresh(LiveState base, Collection<String> refs) throws GatewayException {
        List<String> notes = new ArrayList<>();
        List<String> wanted = new ArrayList<>(new TreeSet<>(refs));
        List<CompletableFuture<LiveContainer>> inspects = new ArrayList<>();
        for (String ref : wanted) {
            inspects.add(CompletableFuture.supplyAsync(() -> inspectOrNull(ref), inspectPool));
        }
        SortedNetworks networks = indexNetworks(request("GET", "/networks", null, "list networks"), notes);
        Map<String, LiveContainer> fresh = joinInspects(inspects);
        Set<String> freshIds = new TreeSet<>();
        fresh.values().forEach(c -> freshIds.add(c.id()));
        Map<String, LiveContainer> containers = new TreeMap<>();
        for (LiveContainer c : base.containers().values()) {
            if (!wanted.contains(c.id()) && !wanted.contains(c.name()) && !freshIds.contains(c.id())) {
                containers.put(c.name(), c);
            }
        }
        containers.putAll(fresh);
        warnings = List.copyOf(notes);
        SwarmInfo swarm = base.swarm();
        if (!swarmScoped(base.networks().values()).equals(swarmScoped(networks.byName.values()))) {
            // Joining or leaving a swarm (and an overlay made or removed by a manager) shows in the
            // swarm-scope networks (ingress, overlays): the role may have changed, so read it again.
            swarm = withLeader(Mappers.swarm(request("GET", "/info", null, "read daemon info")));
        }
        return new LiveState(new TreeMap<>(networks.byName), new TreeMap<>(containers), swarm, base.apiVersion());
    }

    private static Set<String> swarmScoped(Collection<LiveNetwork> networks) {
        Set<String> out = new TreeSet<>();
        networks.stream().filter(n -> "swarm".equals(n.scope())).forEach(n -> out.add(n.name()));
        return out;
    }

    /** On a manager, whether it leads: only the leader changes overlays; one more call, on managers only. */
    private SwarmInfo withLeader(SwarmInfo swarm) throws GatewayException {
        if (swarm.role() == SwarmInfo.Role.MANAGER) {
            return Mappers.withLeader(swarm, request("GET", "/nodes/" + swarm.nodeId(), null, "inspect this swarm node"));
        }
        return swarm;
    }

    /** An HTTP {@code Date} header ({@code Wed, 02 Dec 2026 06:05:24 GMT}); null when absent or unreadable. */
    static Instant httpDate(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        try {
            return java.time.ZonedDateTime.parse(header, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Docker keeps its last 256 events in memory (moby's {@code eventsLimit}) and silently drops
     * older ones: a window with this many events may have lost some, so it says nothing for sure.
     * Kept below 256 because events logged after {@code until} still push older ones out.
     */
    static final int EVENT_LOG_GUARD = 200;

    /**
     * {@code GET /events?since=..&until=..}: with {@code until} in the past the daemon answers
     * from its in-memory event log at once. One call. Empty when the window may have lost events.
     */
    @Override
    public Optional<List<DockerEvent>> eventsBetween(Instant since, Instant until) throws GatewayException {
        if (since == null || until == null || until.isBefore(since)) {
            return Optional.empty();
        }
        Raw raw = send("GET", "/events?since=" + eventTime(since) + "&until=" + eventTime(until), null,
                "read the daemon's events");
        try {
            return events(json, raw.body());
        } catch (IOException e) {
            throw new GatewayException(Kind.REFUSED, "read the daemon's events: unreadable answer from the daemon: "
                    + Errors.oneLine(e.getMessage()), e);
        }
    }

    /** Docker's {@code seconds.nanoseconds} (nine digits: fewer would be read as a fraction of fewer digits). */
    static String eventTime(Instant t) {
        return t.getEpochSecond() + "." + String.format(java.util.Locale.ROOT, "%09d", t.getNano());
    }

    /** The container and network events of an events answer (one JSON object after another); see {@link #EVENT_LOG_GUARD}. */
    static Optional<List<DockerEvent>> events(ObjectMapper json, byte[] body) throws IOException {
        List<DockerEvent> out = new ArrayList<>();
        int seen = 0;
        try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> it = json.readerFor(JsonNode.class).readValues(body)) {
            while (it.hasNextValue()) {
                JsonNode e = it.nextValue();
                seen++;
                DockerEvent mapped = Mappers.event(e);
                if (mapped != null) {
                    out.add(mapped);
                }
            }
        }
        return seen >= EVENT_LOG_GUARD ? Optional.empty() : Optional.of(out);
    }

    private record SortedNetworks(Map<String, LiveNetwork> byName) {}

    /**
     * Docker allows two networks with one name (created concurrently, or a local and a swarm one).
     * We keep one per name: the local-scope one, else the oldest, else the lowest ID, and say so
     * in {@link #warnings()} and the log, naming both IDs.
     */
    private SortedNetworks indexNetworks(JsonNode list, List<String> notes) {
        Map<String, List<JsonNode>> byName = new TreeMap<>();
        Set<String> listedIds = new java.util.HashSet<>();
        for (JsonNode n : list) {
            listedIds.add(n.path("Id").asText());
            if ("local".equals(n.path("Scope").asText())) {
                localScope.add(n.path("Id").asText());
            }
        }
        localScope.retainAll(listedIds);
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

    private Map<String, LiveContainer> joinInspects(List<CompletableFuture<LiveContainer>> futures) throws GatewayException {
        Map<String, LiveContainer> out = new TreeMap<>();
        for (CompletableFuture<LiveContainer> f : futures) {
            LiveContainer c;
            try {
                c = f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof Wrapped w) {
                    throw w.exception;
                }
                throw map((RuntimeException) e.getCause(), "inspect container");
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
            return Mappers.container(request("GET", "/containers/" + id + "/json", null,
                    "inspect container " + shortId(id), Mappers.CONTAINER_FIELDS));
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
        if (r.isConfigOnly()) {
            // The daemon refuses driver and operator fields on a configuration-only network.
            body.put("ConfigOnly", true);
        } else {
            body.put("Driver", r.driver());
            body.put("Internal", r.internal());
            body.put("Attachable", r.attachable());
        }
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
        if (r.isConfigOnly()) {
            configOnly.add(id);
        } else if (r.driver() == null || r.driver().isEmpty() || "bridge".equals(r.driver())) {
            localScope.add(id); // a bridge is always local; other drivers may be swarm-scoped
        }
        String warning = answer.path("Warning").asText("");
        if (!warning.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "create network " + r.name() + ": " + Errors.oneLine(warning));
        }
        return id;
    }

    /** Returns once the network is gone, so a replacement can create its successor under the same name. */
    @Override
    public void removeNetwork(String networkId) throws GatewayException {
        docker("remove network " + networkId, () -> {
            client().removeNetworkCmd(networkId).exec();
            return null;
        });
        boolean madeConfigOnly = configOnly.remove(networkId);
        boolean local = localScope.remove(networkId);
        if (!madeConfigOnly && !local) {
            awaitGone(networkId); // a swarm-scope network, or one this gateway never listed
        }
    }

    /**
     * A swarm manager removes an overlay asynchronously: it marks it for deletion and frees its name,
     * subnet and VXLAN id a moment later (longer while another node still has containers on it).
     * Until then it is still listed and a network of the same name cannot be created. A local
     * network is gone when its removal is answered (the daemon deletes it before it answers), so
     * only networks not known to be local are watched.
     */
    private void awaitGone(String networkId) throws GatewayException {
        long deadline = System.nanoTime() + REMOVAL_SETTLE.toNanos();
        long pauseMillis = 25;
        while (true) {
            try {
                request("GET", "/networks/" + networkId, null, "check that network " + networkId + " is gone");
            } catch (GatewayException e) {
                if (e.kind() == Kind.NOT_FOUND) {
                    return;
                }
                throw e;
            }
            if (System.nanoTime() > deadline) {
                throw new GatewayException(Kind.REFUSED, "remove network " + networkId + ": the daemon accepted the removal"
                        + " but still lists the network after " + REMOVAL_SETTLE.toSeconds() + " s; a swarm removes an overlay"
                        + " only once no node has containers on it");
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(Kind.UNAVAILABLE, "interrupted while waiting for network " + networkId + " to go", e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 500);
        }
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
        InspectContainerResponse before = docker(action, () -> client().inspectContainerCmd(container).exec());
        Map<String, ContainerNetwork> nets = before.getNetworkSettings() == null ? null : before.getNetworkSettings().getNetworks();
        if (nets != null) {
            for (Map.Entry<String, ContainerNetwork> e : nets.entrySet()) {
                if (e.getKey().equals(network) || network.equals(e.getValue().getNetworkID())) {
                    throw new GatewayException(Kind.ALREADY, action + ": already attached (aliases "
                            + e.getValue().getAliases() + "); disconnect first to change its settings");
                }
            }
        }
        boolean running = before.getState() != null && Boolean.TRUE.equals(before.getState().getRunning());
        send(action, container, network, endpoint, running);
    }

    /**
     * Without the inspect: the daemon itself refuses a second connect of a running container
     * ("endpoint with name ... already exists", "is already attached"), which maps to
     * {@link Kind#ALREADY}. Saves one call per connect.
     */
    @Override
    public void connectRunning(String container, String network, EndpointConfig endpoint) throws GatewayException {
        send("connect " + container + " to " + network, container, network, endpoint, true);
    }

    private void send(String action, String container, String network, EndpointConfig endpoint, boolean running)
            throws GatewayException {
        if (!endpoint.driverOpts().isEmpty()) {
            sendRaw(action, container, network, endpoint, running); // docker-java's bean has no DriverOpts
            return;
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
                client().connectToNetworkCmd().withContainerId(container).withNetworkId(network)
                        .withContainerNetwork(cfg).exec();
                return null;
            });
        } catch (GatewayException e) {
            if (running && (e.kind() == Kind.REFUSED || e.kind() == Kind.CONFLICT)) {
                removeDeadEntry(container, network, e);
            }
            throw e;
        }
    }

    /** As {@link #send}, as plain JSON, for an endpoint with driver options (the loop's stamp). */
    private void sendRaw(String action, String container, String network, EndpointConfig endpoint, boolean running)
            throws GatewayException {
        ObjectNode body = json.createObjectNode();
        body.put("Container", container);
        ObjectNode cfg = body.putObject("EndpointConfig");
        if (!endpoint.aliases().isEmpty()) {
            ArrayNode aliases = cfg.putArray("Aliases");
            endpoint.aliases().forEach(aliases::add);
        }
        if (endpoint.ipv4Address() != null || endpoint.ipv6Address() != null) {
            ObjectNode ipam = cfg.putObject("IPAMConfig");
            putIfSet(ipam, "IPv4Address", endpoint.ipv4Address());
            putIfSet(ipam, "IPv6Address", endpoint.ipv6Address());
        }
        putMap(cfg.putObject("DriverOpts"), endpoint.driverOpts());
        try {
            request("POST", "/networks/" + network + "/connect", body, action);
        } catch (GatewayException e) {
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
                client().connectToNetworkCmd().withContainerId(container).withNetworkId(network)
                        .withContainerNetwork(new ContainerNetwork()).exec();
                return null;
            });
            docker("clean up after failed connect", () -> {
                client().disconnectFromNetworkCmd().withContainerId(container).withNetworkId(network).withForce(true).exec();
                return null;
            });
        } catch (GatewayException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    @Override
    public void disconnect(String container, String network, boolean force) throws GatewayException {
        docker("disconnect " + container + " from " + network, () -> {
            client().disconnectFromNetworkCmd().withContainerId(container).withNetworkId(network).withForce(force).exec();
            return null;
        });
    }

    // ---- container replacement (port bindings) ---------------------------------------------------

    /**
     * Re-creates a container with new port bindings, everything else copied from the daemon's own
     * inspect JSON ({@link ContainerReplacer}). The order never leaves the name without a container
     * for longer than two renames, and never loses the old one before the new one runs:
     * <ol>
     *   <li>create {@code <name>-stackwire-new} (first network with its endpoint settings), connect
     *       it to the other networks with their aliases and static addresses;
     *   <li>stop the old container, rename it {@code <name>-stackwire-old}, rename the new one
     *       {@code <name>}, start it (only if the old one was running: a stopped container is
     *       re-created stopped);
     *   <li>remove the old container, keeping its volumes.
     * </ol>
     * If anything fails after the old container was touched, the new one is removed, the old one
     * gets its name back and is started again if it was running; the exception says so.
     */
    @Override
    public String replaceContainer(String name, ContainerReplace request) throws GatewayException {
        String action = "replace container " + name;
        JsonNode old = request("GET", "/containers/" + name + "/json", null, action);
        String oldId = old.path("Id").asText("");
        if (!oldId.equals(request.containerId())) {
            throw new GatewayException(Kind.CONFLICT, action + ": it was re-created since the plan was made (ID "
                    + shortId(oldId) + ", planned " + shortId(request.containerId()) + "); plan again");
        }
        if (old.path("HostConfig").path("AutoRemove").asBoolean(false)) {
            throw new GatewayException(Kind.REFUSED, action + ": it was started with --rm, so stopping it would delete it"
                    + " and leave nothing to roll back to; re-create it without --rm first");
        }
        boolean running = old.path("State").path("Running").asBoolean(false);
        int stopTimeout = ContainerReplacer.stopTimeout(old);
        String tmpNew = name + "-stackwire-new";
        String tmpOld = name + "-stackwire-old";
        removeLeftover(tmpNew, action);
        if (exists(tmpOld, action)) {
            throw new GatewayException(Kind.CONFLICT, action + ": a container named " + tmpOld
                    + " exists (left by an earlier replacement?); check it, remove or rename it, and plan again");
        }
        Map<String, ObjectNode> endpoints = ContainerReplacer.endpoints(old);
        String primary = ContainerReplacer.primaryNetwork(old);
        ObjectNode body = ContainerReplacer.createBody(old, request.ports(), image(old, action), endpoints.get(primary));
        String newId = request("POST", "/containers/create?name=" + tmpNew, body, action + ": create " + tmpNew)
                .path("Id").asText("");
        try {
            // A --network none container may have left none for other networks (its ports are published
            // there); the replacement must leave it too, or Docker refuses to connect it anywhere else.
            boolean ownNetworkStack = !primary.equals("host") && !primary.startsWith("container:");
            if (ownNetworkStack && !endpoints.containsKey(primary)) {
                // It had left the network it was created on; so does its replacement.
                docker(action, () -> {
                    client().disconnectFromNetworkCmd().withContainerId(newId).withNetworkId(primary).withForce(true).exec();
                    return null;
                });
            }
            for (Map.Entry<String, ObjectNode> e : endpoints.entrySet()) {
                if (e.getKey().equals(primary)) {
                    continue;
                }
                ObjectNode connect = json.createObjectNode();
                connect.put("Container", newId);
                connect.set("EndpointConfig", e.getValue());
                request("POST", "/networks/" + e.getKey() + "/connect", connect, action + ": connect the new container to " + e.getKey());
            }
        } catch (GatewayException e) {
            removeQuietly(newId, e);
            throw new GatewayException(e.kind(), e.getMessage() + "; nothing changed: " + name + " was not touched", e);
        }
        FaultPause.at("before-stop", name);
        try {
            if (running) {
                docker(action + ": stop the old container", () -> {
                    client().stopContainerCmd(oldId).withTimeout(stopTimeout).exec();
                    return null;
                });
            }
        } catch (GatewayException e) {
            removeQuietly(newId, e);
            throw new GatewayException(e.kind(), e.getMessage() + "; " + name + " was left as it was", e);
        }
        FaultPause.at("after-stop", name);
        boolean oldRenamed = false;
        try {
            rename(oldId, tmpOld, action);
            oldRenamed = true;
            FaultPause.at("between-renames", name);
            rename(newId, name, action);
            FaultPause.at("before-start", name);
            if (running) {
                docker(action + ": start the new container", () -> {
                    client().startContainerCmd(newId).exec();
                    return null;
                });
            }
        } catch (GatewayException e) {
            throw rollback(action, name, oldId, newId, oldRenamed, running, e);
        }
        FaultPause.at("before-remove-old", name);
        try {
            docker(action + ": remove the old container", () -> {
                client().removeContainerCmd(oldId).withRemoveVolumes(false).withForce(false).exec();
                return null;
            });
        } catch (GatewayException e) {
            // The replacement is done; the plan reports the leftover until someone removes it.
            LOG.log(System.Logger.Level.WARNING, action + ": the new container runs, but " + tmpOld
                    + " could not be removed: " + e.getMessage());
        }
        return newId;
    }

    /**
     * Finishes or undoes an interrupted replacement as {@link ReplaceRepair} decides from the three
     * names now. Every step is one Docker call that is safe to repeat after another kill: the
     * next plan sees the state it left and picks up from there.
     */
    @Override
    public String repairReplacement(String name) throws GatewayException {
        String action = "repair the replacement of " + name;
        JsonNode base = inspectOrNull(name, action);
        JsonNode neu = inspectOrNull(name + "-stackwire-new", action);
        JsonNode old = inspectOrNull(name + "-stackwire-old", action);
        ReplaceRepair repair = ReplaceRepair.of(slot(base), slot(neu), slot(old));
        if (repair == null) {
            throw new GatewayException(Kind.CONFLICT, action + ": the containers changed since the plan and stackwire"
                    + " no longer knows how to repair them; plan again");
        }
        boolean start = ReplaceRepair.startAfter(repair, slot(base), slot(neu));
        String started = start ? ", started it" : "";
        switch (repair) {
            case REMOVE_NEW -> {
                removeKeepingVolumes(neu.path("Id").asText(), action);
                if (start) {
                    startContainer(base.path("Id").asText(), action);
                }
                return "removed " + name + "-stackwire-new" + (start ? ", started the old " + name + " again" : "");
            }
            case FINISH -> {
                String id = neu.path("Id").asText();
                rename(id, name, action);
                startOrRollBack(action, name, old, id, start);
                removeKeepingVolumes(old.path("Id").asText(), action);
                return "renamed " + name + "-stackwire-new to " + name + started + ", removed " + name + "-stackwire-old";
            }
            case REMOVE_OLD -> {
                startOrRollBack(action, name, old, base.path("Id").asText(), start);
                removeKeepingVolumes(old.path("Id").asText(), action);
                return "removed " + name + "-stackwire-old" + started;
            }
            default -> {
                rename(old.path("Id").asText(), name, action);
                return "renamed " + name + "-stackwire-old back to " + name + " (stopped)";
            }
        }
    }

    /**
     * Starts the new container under the name; when it does not start (the kill may have come
     * during a rollback, because it could not), puts the old one back as the replacement would.
     */
    private void startOrRollBack(String action, String name, JsonNode old, String newId, boolean start) throws GatewayException {
        if (!start) {
            return;
        }
        try {
            startContainer(newId, action);
        } catch (GatewayException e) {
            throw rollback(action, name, old.path("Id").asText(), newId, true, true, e);
        }
    }

    private JsonNode inspectOrNull(String container, String action) throws GatewayException {
        try {
            return request("GET", "/containers/" + container + "/json", null, action);
        } catch (GatewayException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private static ReplaceRepair.Slot slot(JsonNode inspect) {
        if (inspect == null) {
            return null;
        }
        Map<String, String> labels = new java.util.TreeMap<>();
        inspect.path("Config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return ReplaceRepair.slot(inspect.path("Id").asText(""), inspect.path("State").path("Running").asBoolean(false), labels);
    }

    private void startContainer(String id, String action) throws GatewayException {
        docker(action + ": start " + shortId(id), () -> {
            client().startContainerCmd(id).exec();
            return null;
        });
    }

    private void removeKeepingVolumes(String id, String action) throws GatewayException {
        docker(action + ": remove " + shortId(id), () -> {
            client().removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
            return null;
        });
    }

    /** Puts the old container back under its name (started again if it ran) and says how that went. */
    private GatewayException rollback(String action, String name, String oldId, String newId, boolean oldRenamed,
            boolean running, GatewayException cause) {
        List<String> problems = new ArrayList<>();
        try {
            docker("remove the new container", () -> {
                client().removeContainerCmd(newId).withForce(true).withRemoveVolumes(false).exec();
                return null;
            });
        } catch (GatewayException e) {
            problems.add(e.getMessage());
        }
        if (oldRenamed) {
            try {
                rename(oldId, name, "rename the old container back");
            } catch (GatewayException e) {
                problems.add(e.getMessage());
            }
        }
        if (running) {
            try {
                docker("start the old container again", () -> {
                    client().startContainerCmd(oldId).exec();
                    return null;
                });
            } catch (GatewayException e) {
                problems.add(e.getMessage());
            }
        }
        String outcome = problems.isEmpty()
                ? "rolled back: " + name + " is the old container again" + (running ? ", running" : "")
                : "rollback incomplete (" + String.join("; ", problems) + "): check " + name + " and " + name
                        + "-stackwire-old by hand";
        return new GatewayException(cause.kind(), action + " failed: " + cause.getMessage() + "; " + outcome, cause);
    }

    private void rename(String container, String newName, String action) throws GatewayException {
        docker(action + ": rename to " + newName, () -> {
            client().renameContainerCmd(container).withName(newName).exec();
            return null;
        });
    }

    private boolean exists(String container, String action) throws GatewayException {
        try {
            request("GET", "/containers/" + container + "/json", null, action);
            return true;
        } catch (GatewayException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** A temporary container of an interrupted replacement is removed; one we did not make is not touched. */
    private void removeLeftover(String tmp, String action) throws GatewayException {
        JsonNode c;
        try {
            c = request("GET", "/containers/" + tmp + "/json", null, action);
        } catch (GatewayException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return;
            }
            throw e;
        }
        if (!c.path("Config").path("Labels").has(ContainerReplacer.REPLACES_LABEL)) {
            throw new GatewayException(Kind.CONFLICT, action + ": a container named " + tmp
                    + " exists and stackwire did not make it; rename or remove it, then plan again");
        }
        String id = c.path("Id").asText();
        docker(action + ": remove the leftover " + tmp, () -> {
            client().removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
            return null;
        });
    }

    private void removeQuietly(String id, GatewayException failure) {
        try {
            docker("remove the new container", () -> {
                client().removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
                return null;
            });
        } catch (GatewayException e) {
            failure.addSuppressed(e);
        }
    }

    /** The image by name when the name still points at the same image, else by its ID (never a different image). */
    private String image(JsonNode old, String action) throws GatewayException {
        String id = old.path("Image").asText("");
        String ref = old.path("Config").path("Image").asText("");
        if (ref.isEmpty() || ref.equals(id)) {
            return id;
        }
        try {
            String now = request("GET", "/images/" + ref + "/json", null, action + ": inspect image " + ref).path("Id").asText("");
            return now.equals(id) ? ref : id;
        } catch (GatewayException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return id;
            }
            throw e;
        }
    }

    // ---- Controller loop (issue 5): event stream and lease lookups. ----

    /**
     * Streams container and network events on a client of its own without a response timeout
     * (the stream may be idle for hours). Each (re)connect counts as one API call.
     */
    @Override
    public Subscription events(EventListener listener) {
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        Supplier<DockerClient> streamClients = () -> {
            if (!first.getAndSet(false)) {
                // A reconnect means the stream broke, most often because the daemon restarted: the
                // connections the change client keeps are dead too, so the resync pass starts on new ones.
                renewTransport();
            }
            return DockerClientImpl.getInstance(config,
                    new ZerodepDockerHttpClient.Builder()
                            .dockerHost(config.getDockerHost())
                            .sslConfig(config.getSSLConfig())
                            .maxConnections(1)
                            .connectionTimeout(CONNECT_TIMEOUT)
                            .build());
        };
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

    private void renewTransport() {
        RenewingHttpClient made;
        synchronized (this) {
            made = http;
        }
        if (made != null) {
            made.renew();
        }
    }

    // ---- end of controller loop additions ----

    /** {@code GET /version}: one call, whatever the size of the daemon. */
    @Override
    public String apiVersion() throws GatewayException {
        String v = request("GET", "/version", null, "read daemon version").path("ApiVersion").asText("");
        if (!v.isEmpty()) {
            apiVersion = v;
        }
        return apiVersion;
    }

    @Override
    public String describe() {
        return apiVersion.isEmpty() ? endpoint : endpoint + " (API " + apiVersion + ")";
    }

    @Override
    public void close() {
        inspectPool.shutdownNow();
        if (tunnel != null) {
            tunnel.close();
        }
        if (reads != null) {
            reads.close();
        }
        java.io.Closeable made; // the client closes its transport; a transport may exist alone
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

    /** As {@link Errors#map}, with what ssh said when the daemon is out of reach over ssh. */
    private GatewayException map(RuntimeException e, String action) {
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

    private <T> T docker(String action, Supplier<T> call) throws GatewayException {
        calls.incrementAndGet();
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw map(e, action);
        }
    }

    /** One HTTP call with a JSON body (or none); returns the parsed answer, or an empty object. */
    private JsonNode request(String method, String path, JsonNode body, String action) throws GatewayException {
        return request(method, path, body, action, JsonPrune.Keep.ALL);
    }

    /** A call whose JSON answer is parsed keeping only what {@code keep} names. */
    private JsonNode request(String method, String path, JsonNode body, String action, JsonPrune.Keep keep)
            throws GatewayException {
        return parsed(send(method, path, body, action), action, keep);
    }

    private JsonNode parsed(Raw raw, String action, JsonPrune.Keep keep) throws GatewayException {
        try {
            return parse(raw.body(), keep);
        } catch (JsonProcessingException e) {
            throw new GatewayException(Kind.REFUSED, action + ": unreadable answer from the daemon: "
                    + Errors.oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new GatewayException(Kind.REFUSED, action + ": unreadable answer from the daemon: " + Errors.oneLine(e.getMessage()), e);
        }
    }

    /** A successful answer's body and its {@code Date} header (empty when the daemon sent none). */
    private record Raw(byte[] body, String date) {}

    /** One HTTP call; an answer of 300 or more is thrown as the daemon's message. */
    private Raw send(String method, String path, JsonNode body, String action) throws GatewayException {
        if (reads != null && body == null && "GET".equals(method)) {
            return read(path, action);
        }
        calls.incrementAndGet();
        DockerHttpClient.Request.Builder b = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method))
                .path(path);
        try {
            if (body != null) {
                b.putHeader("Content-Type", "application/json").bodyBytes(json.writeValueAsBytes(body));
            }
            try (DockerHttpClient.Response response = http().execute(b.build())) {
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
        } catch (IOException | UncheckedIOException e) {
            throw unavailable(e);
        } catch (RuntimeException e) {
            throw map(e, action);
        }
    }

    /** A GET over the local socket ({@link UnixSocketReads}), with the same errors as {@link #send}. */
    private Raw read(String path, String action) throws GatewayException {
        calls.incrementAndGet();
        UnixSocketReads.Response response;
        try {
            response = reads.get(path);
        } catch (IOException e) {
            throw unavailable(e);
        }
        if (!response.apiVersion().isEmpty()) {
            apiVersion = response.apiVersion();
        }
        byte[] bytes = response.body();
        if (response.status() >= 300) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            String message = text.isBlank() ? "HTTP " + response.status() : Errors.daemonMessage(new RuntimeException(text));
            throw Errors.classify(response.status(), message, action, null);
        }
        return new Raw(bytes, response.date());
    }

    private JsonNode parse(byte[] bytes, JsonPrune.Keep keep) throws IOException {
        if (bytes.length == 0) {
            return json.createObjectNode();
        }
        return keep == JsonPrune.Keep.ALL ? json.readTree(bytes) : JsonPrune.read(json, bytes, keep);
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
