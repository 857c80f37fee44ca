package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.docker.DaemonJson.Info;
import io.stackwire.reconcile.docker.DaemonJson.Inspect;
import io.stackwire.reconcile.docker.DaemonJson.ListedContainer;
import io.stackwire.reconcile.docker.DaemonJson.Network;
import io.stackwire.reconcile.docker.DaemonJson.Node;
import io.stackwire.reconcile.docker.DaemonJson.Version;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.GatewayException.Kind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the daemon's state: an observation lists containers and networks, then inspects the
 * containers in scope (up to {@value #INSPECT_PARALLELISM} at a time) while this thread reads the
 * info ({@code 3 + inspected} calls); a refresh lists networks again and re-inspects named
 * containers ({@code 1 + containers}). Answers are bound to {@link DaemonJson}'s records, which
 * skip what the mapping does not read.
 */
final class Observation implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DockerJavaGateway.class.getName());
    // Inspects are cheap for the daemon but each waits a round trip: 8 in flight keep a 2-core
    // machine busy without queueing behind the daemon's own locks.
    static final int INSPECT_PARALLELISM = 8;

    private final DaemonHttp http;
    private final KnownNetworks known;
    private final ExecutorService inspectPool;
    private final InspectCache cache = new InspectCache();
    private volatile List<String> warnings = List.of();
    private volatile List<String> inspectedLast = List.of();

    Observation(DaemonHttp http, KnownNetworks known) {
        this.http = http;
        this.known = known;
        this.inspectPool = Executors.newFixedThreadPool(INSPECT_PARALLELISM, r -> {
            Thread t = new Thread(r, "stackwire-docker-inspect");
            t.setDaemon(true);
            return t;
        });
    }

    /** Keeps inspects in {@code file} between processes (see {@link InspectCache}); null: in memory only. */
    void persistInspects(java.nio.file.Path file) {
        cache.persistTo(file);
    }

    /** The IDs of the containers the last observation inspected (for tests). */
    List<String> inspectedLast() {
        return inspectedLast;
    }

    /** What the last observation or refresh noticed and worked around, one line each. */
    List<String> warnings() {
        return warnings;
    }

    /**
     * Lists containers and networks, then asks for the scope (the spec may still be loading) and
     * inspects only the containers in it, while it reads the daemon's info; the others are
     * described from the list ({@link ObserveScope}). A running container whose list entry is the
     * one {@link InspectCache} kept is not inspected again.
     *
     * <p>With {@code startedAt}, the info is read first and its {@code SystemTime} (the daemon's
     * clock, in nanoseconds) is told: no later than the moment the daemon was first read. A daemon
     * without it gives the {@code Date} of the container list's answer less a second (the header
     * has whole seconds, and the daemon may have dated it after it listed).
     */
    LiveState observe(Supplier<ObserveScope> scopeSource, Consumer<Instant> startedAt) throws GatewayException {
        List<String> notes = new ArrayList<>();
        CompletableFuture<Void> cacheRead = CompletableFuture.runAsync(cache::load, inspectPool);
        Info info = null;
        if (startedAt != null) {
            info = http.get("/info", Info.class, "read daemon info");
        }
        String listAction = "list containers";
        CompletableFuture<List<Network>> networkList = supply(this::networkList);
        DaemonHttp.Raw first = http.send("GET", "/containers/json?all=1", null, listAction);
        Instant clock = info == null ? null : Mappers.instant(info.systemTime());
        if (clock == null) {
            Instant date = httpDate(first.date());
            clock = date == null ? null : date.minusSeconds(1);
        }
        if (clock != null && startedAt != null) {
            startedAt.accept(clock);
        }
        List<ListedContainer> listed = http.bindList(first, ListedContainer.class, listAction);
        Map<String, LiveNetwork> networks = indexNetworks(join(networkList, "list networks"), notes);
        Set<String> managed = new TreeSet<>();
        networks.values().stream().filter(LiveNetwork::managed).forEach(n -> managed.add(n.name()));
        ObserveScope scope = scopeSource.get();
        cacheRead.join();
        List<CompletableFuture<LiveContainer>> inspects = new ArrayList<>();
        Map<String, LiveContainer> containers = new TreeMap<>();
        List<String> listedIds = new ArrayList<>();
        List<String> inspected = new ArrayList<>();
        for (ListedContainer c : listed) {
            LiveContainer seen = Mappers.listedContainer(c);
            listedIds.add(seen.id());
            if (scope.needsDetail(seen.name(), seen.labels(), seen.endpoints().stream().map(LiveEndpoint::network).toList(), managed)) {
                Inspect kept = cache.get(c);
                if (kept != null) {
                    containers.put(seen.name(), Mappers.container(kept));
                    continue;
                }
                inspected.add(seen.id());
                inspects.add(CompletableFuture.supplyAsync(() -> inspectOrNull(c), inspectPool));
            } else {
                containers.put(seen.name(), seen);
            }
        }
        if (info == null) {
            info = http.get("/info", Info.class, "read daemon info");
        }
        SwarmInfo swarm = Mappers.swarm(info);
        containers.putAll(joinInspects(inspects));
        cache.retain(listedIds);
        cache.save();
        inspectedLast = List.copyOf(inspected);
        swarm = withLeader(swarm);
        if (http.apiVersion().isEmpty()) {
            // Every daemon response carries Api-Version; this only runs if a proxy strips it.
            apiVersion();
        }
        warnings = List.copyOf(notes);
        return new LiveState(new TreeMap<>(networks), new TreeMap<>(containers), swarm, http.apiVersion());
    }

    private interface Read<T> {
        T get() throws GatewayException;
    }

    private <T> CompletableFuture<T> supply(Read<T> read) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return read.get();
            } catch (GatewayException e) {
                throw new Wrapped(e);
            }
        }, inspectPool);
    }

    /** A future's value, with the {@link GatewayException} it carried out thrown again. */
    private <T> T join(CompletableFuture<T> f, String action) throws GatewayException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Wrapped w) {
                throw w.exception;
            }
            throw http.map((RuntimeException) e.getCause(), action);
        }
    }

    /**
     * {@code base} with the network list read again and these containers (IDs or names) inspected
     * again: {@code 1 + containers} calls. A container that is gone leaves the state; one renamed
     * or re-created is found by both its old entry's ID or name and its new inspect.
     */
    LiveState refresh(LiveState base, Collection<String> refs) throws GatewayException {
        List<String> notes = new ArrayList<>();
        List<String> wanted = new ArrayList<>(new TreeSet<>(refs));
        List<CompletableFuture<LiveContainer>> inspects = new ArrayList<>();
        for (String ref : wanted) {
            inspects.add(CompletableFuture.supplyAsync(() -> inspectOrNull(ref), inspectPool));
        }
        Map<String, LiveNetwork> networks = indexNetworks(networkList(), notes);
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
        if (!swarmScoped(base.networks().values()).equals(swarmScoped(networks.values()))) {
            // Joining or leaving a swarm (and an overlay made or removed by a manager) shows in the
            // swarm-scope networks (ingress, overlays): the role may have changed, so read it again.
            swarm = withLeader(Mappers.swarm(http.get("/info", Info.class, "read daemon info")));
        }
        return new LiveState(new TreeMap<>(networks), new TreeMap<>(containers), swarm, base.apiVersion());
    }

    /** {@code GET /version}: one call, whatever the size of the daemon. */
    String apiVersion() throws GatewayException {
        String v = DaemonJson.orEmpty(http.get("/version", Version.class, "read daemon version").apiVersion());
        if (!v.isEmpty()) {
            http.apiVersion(v);
        }
        return http.apiVersion();
    }

    private static Set<String> swarmScoped(Collection<LiveNetwork> networks) {
        Set<String> out = new TreeSet<>();
        networks.stream().filter(n -> "swarm".equals(n.scope())).forEach(n -> out.add(n.name()));
        return out;
    }

    /** On a manager, whether it leads: only the leader changes overlays; one more call, on managers only. */
    private SwarmInfo withLeader(SwarmInfo swarm) throws GatewayException {
        if (swarm.role() == SwarmInfo.Role.MANAGER) {
            return Mappers.withLeader(swarm, http.get("/nodes/" + swarm.nodeId(), Node.class, "inspect this swarm node"));
        }
        return swarm;
    }

    /** An HTTP {@code Date} header ({@code Wed, 02 Dec 2026 06:05:24 GMT}); null when absent or unreadable. */
    static Instant httpDate(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        try {
            return ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code GET /networks}: every network, lease networks included. */
    List<Network> networkList() throws GatewayException {
        String action = "list networks";
        return http.bindList(http.send("GET", "/networks", null, action), Network.class, action);
    }

    /**
     * Docker allows two networks with one name (created concurrently, or a local and a swarm one).
     * We keep one per name: the local-scope one, else the oldest, else the lowest ID, and say so
     * in {@link #warnings()} and the log, naming both IDs.
     */
    private Map<String, LiveNetwork> indexNetworks(List<Network> list, List<String> notes) {
        Map<String, List<Network>> byName = new TreeMap<>();
        Set<String> listedIds = new HashSet<>();
        Set<String> local = new HashSet<>();
        for (Network n : list) {
            listedIds.add(DaemonJson.orEmpty(n.id()));
            if ("local".equals(n.scope())) {
                local.add(DaemonJson.orEmpty(n.id()));
            }
        }
        known.listed(listedIds, local);
        for (Network n : list) {
            if (n.labels() != null && n.labels().containsKey(Labels.LEASE)) {
                continue; // the controllers' lock object is not a network anyone plans for
            }
            byName.computeIfAbsent(DaemonJson.orEmpty(n.name()), k -> new ArrayList<>()).add(n);
        }
        Map<String, LiveNetwork> out = new LinkedHashMap<>();
        byName.forEach((name, same) -> {
            same.sort(Comparator.<Network>comparingInt(n -> "local".equals(n.scope()) ? 0 : 1)
                    .thenComparing(n -> created(n.created()))
                    .thenComparing(n -> DaemonJson.orEmpty(n.id())));
            LiveNetwork kept = Mappers.network(same.get(0));
            out.put(name, kept);
            if (same.size() > 1) {
                List<String> ids = same.stream().map(n -> DaemonJson.orEmpty(n.id())).map(DaemonHttp::shortId).toList();
                String note = "network name '" + name + "' is used by " + same.size() + " networks " + ids
                        + "; using " + DaemonHttp.shortId(kept.id()) + " (" + kept.scope() + ")"
                        + "; remove the others with 'docker network rm <id>'";
                notes.add(note);
                LOG.log(System.Logger.Level.WARNING, note);
            }
        });
        return out;
    }

    /** Docker's creation time; an unreadable one sorts last. */
    static OffsetDateTime created(String text) {
        if (text == null) {
            return OffsetDateTime.MAX;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.MAX;
        }
    }

    private Map<String, LiveContainer> joinInspects(List<CompletableFuture<LiveContainer>> futures) throws GatewayException {
        Map<String, LiveContainer> out = new TreeMap<>();
        for (CompletableFuture<LiveContainer> f : futures) {
            LiveContainer c = join(f, "inspect container");
            if (c != null) {
                out.put(c.name(), c);
            }
        }
        return out;
    }

    /** As {@link #inspectOrNull(String)}, keeping the answer when it matches the list's entry. */
    private LiveContainer inspectOrNull(ListedContainer listed) {
        Inspect read = readInspect(DaemonJson.orEmpty(listed.id()));
        if (read == null) {
            return null;
        }
        cache.put(listed, read);
        return Mappers.container(read);
    }

    /** A container removed between list and inspect is simply gone. */
    private LiveContainer inspectOrNull(String id) {
        Inspect read = readInspect(id);
        return read == null ? null : Mappers.container(read);
    }

    private Inspect readInspect(String id) {
        try {
            return http.get("/containers/" + id + "/json", Inspect.class, "inspect container " + DaemonHttp.shortId(id));
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
    public void close() {
        inspectPool.shutdownNow();
    }
}
