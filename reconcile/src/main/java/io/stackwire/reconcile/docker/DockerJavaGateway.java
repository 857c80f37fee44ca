package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.EventListener;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.daemon.NetworkRef;
import io.stackwire.reconcile.daemon.Subscription;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The docker-java implementation of {@link DockerGateway}: a façade over the package's parts.
 * <ul>
 *   <li>{@link DaemonHttp}: the one HTTP seam, docker-java's {@code DockerHttpClient}, with the
 *       zerodep client and (for a {@code unix://} daemon's GETs) {@link UnixSocketReads} behind it;
 *       {@link Transports} builds them for a {@link DockerEndpoint} (socket, TCP/TLS, ssh);
 *   <li>{@link Observation}: observe and refresh ({@code 3 + inspected} calls);
 *   <li>{@link NetworkOps}: network create, remove, connect (with the daemon's quirks), disconnect;
 *   <li>{@link ContainerReplacer}: container replacement, its rollback and repair;
 *   <li>{@link LoopReads}: the event stream, past events and lease lookups.
 * </ul>
 *
 * <p>No API version is pinned: requests go out unversioned, so the daemon answers in its own
 * version (1.41 on Debian's 20.10, 1.44+ on current engines, which refuse older clients). The
 * version the daemon speaks is read from its {@code Api-Version} response header.
 */
public final class DockerJavaGateway implements DockerGateway {

    private final DaemonHttp http;
    private final Observation observation;
    private final NetworkOps networks;
    private final ContainerReplacer replacer;
    private final LoopReads loop;

    private DockerJavaGateway(DaemonHttp http) {
        this.http = http;
        KnownNetworks known = new KnownNetworks();
        this.observation = new Observation(http, known);
        this.networks = new NetworkOps(http, known);
        this.replacer = new ContainerReplacer(http, networks);
        this.loop = new LoopReads(http);
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
    public static DockerJavaGateway fromEnvironment(Map<String, String> env) {
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
        return new DockerJavaGateway(Transports.open(e, ssh, socketReads));
    }

    /**
     * Builds docker-java's client now rather than on the first change, for a command that will
     * probably make changes (apply, destroy) and can build it ahead on a background thread.
     */
    public DockerJavaGateway readyForChanges() {
        http.client();
        return this;
    }

    /**
     * For the launcher's class-data training run only: sends two read-only requests (ping, list
     * networks) through docker-java's client and transport, the way changes go, so that the archive
     * holds the classes a change loads (a fifth of an apply's time when they load from the jar,
     * docs/benchmarks.md). Changes nothing; a daemon that does not answer is ignored.
     */
    public void warmUpChangePath() {
        try {
            http.docker("ping", () -> http.client().pingCmd().exec());
            http.docker("list networks", () -> http.client().listNetworksCmd().exec());
        } catch (GatewayException e) {
            // No daemon: the archive just lacks these classes, as it lacks the observation's.
        }
    }

    /**
     * Keeps container inspects in {@code file} between processes, so the next command's
     * observation inspects only containers that changed ({@link InspectCache}); without it they
     * are kept in memory, for this gateway's later observations.
     */
    public DockerJavaGateway persistInspects(java.nio.file.Path file) {
        observation.persistInspects(file);
        return this;
    }

    /** The IDs of the containers the last observation inspected (for tests). */
    List<String> inspectedLast() {
        return observation.inspectedLast();
    }

    /** How often docker-java's transport was renewed after stale connections (for tests). */
    long transportRenewals() {
        return http.transportRenewals();
    }

    /** Whether docker-java's transport has been built (for tests: reads alone must not build it). */
    boolean dockerJavaBuilt() {
        return http.dockerJavaBuilt();
    }

    /** Calls sent to the daemon since this gateway was made; the benchmark reports calls per no-op plan. */
    public long apiCalls() {
        return http.calls().get();
    }

    /** What the last {@link #observe()} noticed and worked around (e.g. two networks with one name), one line each. */
    public List<String> warnings() {
        return observation.warnings();
    }

    @Override
    public LiveState observe() throws GatewayException {
        return observe(() -> ObserveScope.ALL);
    }

    @Override
    public LiveState observe(Supplier<ObserveScope> scopeSource) throws GatewayException {
        return observation.observe(scopeSource, null);
    }

    @Override
    public LiveState observe(Supplier<ObserveScope> scopeSource, Consumer<Instant> startedAt) throws GatewayException {
        return observation.observe(scopeSource, startedAt);
    }

    @Override
    public LiveState refresh(LiveState base, Collection<String> refs) throws GatewayException {
        return observation.refresh(base, refs);
    }

    @Override
    public Optional<List<DockerEvent>> eventsBetween(Instant since, Instant until) throws GatewayException {
        return loop.eventsBetween(since, until);
    }

    @Override
    public String createNetwork(NetworkCreate r) throws GatewayException {
        return networks.createNetwork(r);
    }

    @Override
    public void removeNetwork(String networkId) throws GatewayException {
        networks.removeNetwork(networkId);
    }

    @Override
    public void connect(String container, String network, EndpointConfig endpoint) throws GatewayException {
        networks.connect(container, network, endpoint);
    }

    @Override
    public void connectRunning(String container, String network, EndpointConfig endpoint) throws GatewayException {
        networks.connectRunning(container, network, endpoint);
    }

    @Override
    public void disconnect(String container, String network, boolean force) throws GatewayException {
        networks.disconnect("disconnect " + container + " from " + network, container, network, force);
    }

    @Override
    public String replaceContainer(String name, ContainerReplace request) throws GatewayException {
        return replacer.replace(name, request);
    }

    @Override
    public String repairReplacement(String name) throws GatewayException {
        return replacer.repair(name);
    }

    @Override
    public Subscription events(EventListener listener) {
        return loop.events(listener);
    }

    @Override
    public List<NetworkRef> networksNamed(String name) throws GatewayException {
        return loop.networksNamed(name);
    }

    @Override
    public String apiVersion() throws GatewayException {
        return observation.apiVersion();
    }

    @Override
    public String describe() {
        String v = http.apiVersion();
        return v.isEmpty() ? http.endpoint() : http.endpoint() + " (API " + v + ")";
    }

    @Override
    public void close() {
        observation.close();
        http.close();
    }
}
