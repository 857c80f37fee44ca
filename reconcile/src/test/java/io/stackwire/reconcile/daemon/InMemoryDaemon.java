package io.stackwire.reconcile.daemon;

import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.SwarmInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one in-memory daemon for unit tests of both modules; the real daemon is exercised by the
 * integration tests. It answers like Docker does: creating an existing name is a conflict,
 * connecting twice is "already", removing a missing ID or disconnecting what is not attached is
 * "not found", lease networks are hidden from {@link #observe()}. {@link #strict()} adds the rules
 * the planner's property tests check (see {@link DaemonRules}).
 *
 * <p>Hooks for tests: every call is recorded ({@link #calls()}; {@link #changes()} only the
 * mutating ones), a call can be made to fail by its key ({@code create front}, {@code remove
 * id-front}, {@code connect web/front}, {@code disconnect web/front}, {@code replace web}), the
 * n-th change can be refused, reads can be made unavailable, and the event stream is driven by
 * the test through {@link #listener()}.
 */
public class InMemoryDaemon implements DockerGateway {

    private final Map<String, LiveNetwork> networks = Collections.synchronizedMap(new TreeMap<>());
    private final Map<String, LiveContainer> containers = Collections.synchronizedMap(new TreeMap<>());
    private final Map<String, Instant> created = new TreeMap<>();
    private final Set<String> usedIds = new HashSet<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> changes = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, GatewayException> failures = Collections.synchronizedMap(new HashMap<>());
    private final Set<String> once = Collections.synchronizedSet(new HashSet<>());
    private final List<String> uncheckedConnects = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger observations = new AtomicInteger();
    private final AtomicInteger eventReads = new AtomicInteger();
    private final SwarmInfo swarm;
    private final String apiVersion;
    private final String description;
    private DaemonRules rules;
    private volatile CountDownLatch rendezvous;
    private volatile GatewayException unavailable;
    private volatile List<DockerEvent> events;
    private volatile EventListener listener;
    private volatile boolean streamConnected = true;
    private volatile boolean dropAliases;
    private volatile boolean closed;
    private volatile Runnable onCreate = () -> {};
    private volatile Supplier<Instant> clock;
    private volatile Observation onObserve;
    private int refusedChange = -1;
    private int changeCount;
    private int nextId;

    public InMemoryDaemon() {
        this("fake://daemon (API 1.41)");
    }

    public InMemoryDaemon(String description) {
        this(LiveState.empty(), description);
    }

    /** A daemon that starts as {@code state} shows it. */
    public InMemoryDaemon(LiveState state, String description) {
        this.swarm = state.swarm();
        this.apiVersion = state.apiVersion() == null || state.apiVersion().isEmpty() ? "1.41" : state.apiVersion();
        this.description = description;
        state.networks().values().forEach(n -> {
            networks.put(n.name(), n);
            usedIds.add(n.id());
        });
        containers.putAll(state.containers());
    }

    // ---- arranging the daemon ----

    /** Checks Docker's rules on every change and fills in networks as the daemon does (see {@link DaemonRules}). */
    public synchronized InMemoryDaemon strict() {
        rules = rules != null ? rules : new DaemonRules(this);
        return this;
    }

    /** With {@link #strict()}: also refuses overlapping pools and addresses in use. */
    public synchronized InMemoryDaemon refusingClashes() {
        strict().rules.clashes = true;
        return this;
    }

    /** With {@link #strict()}: overlays a manager elsewhere in the swarm created, found by a worker's connect. */
    public synchronized InMemoryDaemon withSwarmWide(Map<String, NetworkCreate> overlays) {
        strict().rules.swarmWide.putAll(overlays);
        return this;
    }

    public InMemoryDaemon withNetwork(String name) {
        return withNetwork(name, Map.of());
    }

    public synchronized InMemoryDaemon withNetwork(String name, Map<String, String> labels) {
        return withNetwork(new LiveNetwork("id-" + name, name, "bridge", "local", false, false, false, null, null, labels));
    }

    public synchronized InMemoryDaemon withNetwork(LiveNetwork n) {
        networks.put(n.name(), n);
        usedIds.add(n.id());
        created.put(n.name(), Instant.ofEpochSecond(nextId++));
        return this;
    }

    /** A lease network another stackwire holds until {@code expires}. */
    public InMemoryDaemon withLease(String name, String owner, Instant expires) {
        return withNetwork(new LiveNetwork("id-" + name, name, "bridge", "local", true, false, false, null, null,
                Map.of(Labels.LEASE, "true", Labels.LEASE_OWNER, owner, Labels.LEASE_EXPIRES, Long.toString(expires.getEpochSecond()))));
    }

    /** A running container on these networks, with a 64-hex-digit ID like Docker's (see {@link #idOf}). */
    public synchronized InMemoryDaemon withContainer(String name, String... attached) {
        List<LiveEndpoint> eps = new ArrayList<>();
        for (String n : attached) {
            eps.add(new LiveEndpoint(n, "id-" + n, List.of(), null, null, "172.17.0.2", null));
        }
        containers.put(name, new LiveContainer(idOf(name), name, true, "bridge", Map.of(), eps, List.of(), List.of()));
        return this;
    }

    public synchronized InMemoryDaemon withContainer(LiveContainer c) {
        containers.put(c.name(), c);
        return this;
    }

    /** An endpoint of {@code container} (a running one, made on first use) on {@code network}. */
    public synchronized InMemoryDaemon withEndpoint(String container, String network) {
        LiveContainer c = containerOrNew(container);
        List<LiveEndpoint> eps = new ArrayList<>(c.endpoints());
        eps.add(new LiveEndpoint(network, "id-" + network, List.of(), null, null, null, null));
        containers.put(container, with(c, eps));
        return this;
    }

    /** A 64-hex-digit ID like Docker's, so the short ID differs from the full one. */
    public static String idOf(String container) {
        return String.format("%064x", new java.math.BigInteger(1, container.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    // ---- fault injection ----

    /** Every call with this key throws {@code e}. */
    public InMemoryDaemon failing(String call, GatewayException e) {
        failures.put(call, e);
        return this;
    }

    /** The first call with this key throws; later ones (a rollback's) go through. */
    public InMemoryDaemon failingOnce(String call, GatewayException e) {
        failures.put(call, e);
        once.add(call);
        return this;
    }

    /** The change numbered {@code n} (from 0, in the order they arrive) is refused, as Docker refuses a step. */
    public synchronized InMemoryDaemon refusingChange(int n) {
        refusedChange = n;
        return this;
    }

    /** Reads ({@link #observe()}, {@link #refresh}) throw {@code e}; null makes the daemon reachable again. */
    public InMemoryDaemon unavailable(GatewayException e) {
        unavailable = e;
        return this;
    }

    /** Connects "succeed" but the daemon keeps no aliases: what verification must catch. */
    public InMemoryDaemon droppingAliases() {
        dropAliases = true;
        return this;
    }

    /** Every change waits (up to 5 s) until {@code parties} changes are in flight together. */
    public InMemoryDaemon rendezvous(int parties) {
        rendezvous = new CountDownLatch(parties);
        return this;
    }

    /** What an observation answers instead of the daemon's state, e.g. one that blocks or fails. */
    public interface Observation {
        LiveState observe(Supplier<ObserveScope> scope) throws GatewayException;
    }

    /** Observations run {@code hook} instead of reading this daemon (nothing is recorded for them). */
    public InMemoryDaemon onObserve(Observation hook) {
        onObserve = hook;
        return this;
    }

    /** Runs inside every network create, after the name check (e.g. a clock that moves during a slow create). */
    public InMemoryDaemon onCreate(Runnable r) {
        onCreate = r;
        return this;
    }

    /** Networks are created at this time and report it, as the real daemon's {@code Created}. */
    public InMemoryDaemon clock(Supplier<Instant> time) {
        clock = time;
        return this;
    }

    /** The events {@link #eventsBetween} answers with; without, it cannot tell (empty). */
    public InMemoryDaemon withEvents(DockerEvent... happened) {
        events = List.of(happened);
        return this;
    }

    public void streamConnected(boolean connected) {
        streamConnected = connected;
    }

    // ---- inspecting it ----

    /** The daemon's networks by name, lease networks included; live, so a test may also change them. */
    public Map<String, LiveNetwork> networks() {
        return networks;
    }

    /** The daemon's containers by name; live, so a test may also change them. */
    public Map<String, LiveContainer> containers() {
        return containers;
    }

    public LiveNetwork network(String name) {
        return networks.get(name);
    }

    /** The endpoint a container has on a network now, or null. */
    public synchronized LiveEndpoint endpoint(String container, String network) {
        LiveContainer c = containers.get(container);
        return c == null ? null : c.endpoint(network);
    }

    /** Every call in order: changes by their key, and {@code observe}, {@code refresh [refs]}, {@code list <name>}. */
    public List<String> calls() {
        return calls;
    }

    /** The changes only, by their key (as {@link #failing} takes them). */
    public List<String> changes() {
        return changes;
    }

    /** {@code container/network} of each connect made through {@link #connectRunning}. */
    public List<String> uncheckedConnects() {
        return List.copyOf(uncheckedConnects);
    }

    /** What {@link #strict()} refused that Docker would have refused too (empty without it). */
    public synchronized List<String> refusals() {
        return rules == null ? List.of() : List.copyOf(rules.refusals);
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public int observations() {
        return observations.get();
    }

    public int eventReads() {
        return eventReads.get();
    }

    /** The listener of the open event subscription, or null. */
    public EventListener listener() {
        return listener;
    }

    public boolean closed() {
        return closed;
    }

    /** The state as {@link #observe()} shows it, without counting as a call. */
    public synchronized LiveState state() {
        TreeMap<String, LiveNetwork> visible = new TreeMap<>();
        networks.forEach((k, v) -> {
            if (!v.labels().containsKey(Labels.LEASE)) {
                visible.put(k, v);
            }
        });
        return new LiveState(visible, new TreeMap<>(containers), swarm, apiVersion);
    }

    // ---- the gateway ----

    @Override
    public LiveState observe() throws GatewayException {
        return observe(() -> ObserveScope.ALL);
    }

    /** Observes everything (or what {@link #onObserve} answers); asks for the scope only when a hook wants it. */
    @Override
    public LiveState observe(Supplier<ObserveScope> scope) throws GatewayException {
        Observation hook = onObserve;
        if (hook != null) {
            return hook.observe(scope); // outside the lock: a hook may block, as a slow daemon does
        }
        synchronized (this) {
            calls.add("observe");
            observations.incrementAndGet();
            throwIfUnavailable();
            return state();
        }
    }

    @Override
    public LiveState observe(Supplier<ObserveScope> scope, Consumer<Instant> startedAt) throws GatewayException {
        return observe(scope);
    }

    /** As the real gateway: the networks and the named containers (IDs or names) read again, the rest kept. */
    @Override
    public synchronized LiveState refresh(LiveState base, Collection<String> refs) throws GatewayException {
        calls.add("refresh " + new TreeSet<>(refs));
        throwIfUnavailable();
        LiveState now = state();
        Map<String, LiveContainer> out = new TreeMap<>();
        base.containers().forEach((name, c) -> {
            if (!refs.contains(name) && !refs.contains(c.id())) {
                out.put(name, c);
            }
        });
        now.containers().forEach((name, c) -> {
            if (refs.contains(name) || refs.contains(c.id())) {
                out.values().removeIf(o -> o.id().equals(c.id()));
                out.put(name, c);
            }
        });
        return new LiveState(now.networks(), new TreeMap<>(out), base.swarm(), base.apiVersion());
    }

    @Override
    public Optional<List<DockerEvent>> eventsBetween(Instant since, Instant until) {
        eventReads.incrementAndGet();
        return Optional.ofNullable(events);
    }

    @Override
    public String createNetwork(NetworkCreate r) throws GatewayException {
        enter("create " + r.name());
        try {
            synchronized (this) {
                if (networks.containsKey(r.name())) {
                    if (rules != null) {
                        rules.refusals.add("create " + r.name() + ": name taken");
                    }
                    throw new GatewayException(GatewayException.Kind.CONFLICT, "network with name " + r.name() + " already exists");
                }
                onCreate.run();
                String id = usedIds.contains("id-" + r.name()) ? "id-" + r.name() + "-" + nextId : "id-" + r.name();
                Instant at = clock != null ? clock.get() : Instant.ofEpochSecond(nextId);
                nextId++;
                LiveNetwork n = rules != null ? rules.create(r, id, 1000 + nextId)
                        : new LiveNetwork(id, r.name(), r.driver(), "local", r.internal(), r.attachable(), r.ipv6(),
                                r.ipam(), r.options(), r.labels(), clock != null ? at : null);
                networks.put(r.name(), n);
                usedIds.add(id);
                created.put(r.name(), at);
                return id;
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void removeNetwork(String networkId) throws GatewayException {
        enter("remove " + networkId);
        try {
            synchronized (this) {
                LiveNetwork n = networks.values().stream().filter(x -> x.id().equals(networkId)).findFirst()
                        .orElseThrow(() -> new GatewayException(GatewayException.Kind.NOT_FOUND, "network " + networkId + " not found"));
                if (rules != null) {
                    rules.remove(n);
                }
                networks.remove(n.name());
                created.remove(n.name());
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void connect(String container, String network, EndpointConfig endpoint) throws GatewayException {
        enter("connect " + container + "/" + network);
        try {
            synchronized (this) {
                LiveContainer c = rules != null ? containers.get(container) : containerOrNew(container);
                if (c != null && c.endpoint(network) != null) {
                    throw new GatewayException(GatewayException.Kind.ALREADY,
                            "endpoint with name " + container + " already exists in network " + network);
                }
                LiveEndpoint e;
                if (rules != null) {
                    e = rules.connect(c, container, network, endpoint);
                } else {
                    LiveNetwork n = networks.get(network);
                    e = new LiveEndpoint(network, n != null ? n.id() : "id-" + network,
                            dropAliases || endpoint == null ? List.of() : endpoint.aliases(),
                            endpoint == null ? null : endpoint.ipv4Address(), endpoint == null ? null : endpoint.ipv6Address(),
                            endpoint == null ? null : endpoint.ipv4Address(), endpoint == null ? null : endpoint.ipv6Address());
                }
                List<LiveEndpoint> eps = new ArrayList<>(c.endpoints());
                eps.add(e);
                containers.put(c.name(), with(c, eps));
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void connectRunning(String container, String network, EndpointConfig endpoint) throws GatewayException {
        uncheckedConnects.add(container + "/" + network);
        connect(container, network, endpoint);
    }

    @Override
    public void disconnect(String container, String network, boolean force) throws GatewayException {
        enter("disconnect " + container + "/" + network);
        try {
            synchronized (this) {
                LiveContainer c = containers.get(container);
                if (c == null || c.endpoint(network) == null) {
                    throw new GatewayException(GatewayException.Kind.NOT_FOUND, "container " + container + " is not connected to " + network);
                }
                List<LiveEndpoint> eps = new ArrayList<>(c.endpoints());
                eps.removeIf(e -> e.network().equals(network));
                containers.put(c.name(), with(c, eps));
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Swaps the container for one with a new ID ({@code <old>r}) and the new port bindings; all else stays. */
    @Override
    public String replaceContainer(String name, ContainerReplace request) throws GatewayException {
        enter("replace " + name);
        try {
            synchronized (this) {
                LiveContainer c = containers.get(name);
                if (c == null) {
                    throw new GatewayException(GatewayException.Kind.NOT_FOUND, "no such container " + name);
                }
                if (rules != null) {
                    rules.replace(c, request);
                }
                LiveContainer next = new LiveContainer(c.id() + "r", c.name(), c.running(), c.networkMode(), c.labels(),
                        c.endpoints(), request.ports(), List.of());
                containers.put(name, next);
                return next.id();
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Nothing is ever left half-replaced here, so there is nothing to repair. */
    @Override
    public String repairReplacement(String name) throws GatewayException {
        enter("repair " + name);
        inFlight.decrementAndGet();
        return "nothing to repair";
    }

    @Override
    public Subscription events(EventListener l) {
        listener = l;
        return new Subscription() {
            @Override
            public boolean connected() {
                return streamConnected;
            }

            @Override
            public void close() {
                listener = null;
            }
        };
    }

    /** As the real gateway: lease networks included, oldest first. */
    @Override
    public synchronized List<NetworkRef> networksNamed(String name) {
        calls.add("list " + name);
        LiveNetwork n = networks.get(name);
        return n == null ? List.of() : List.of(new NetworkRef(n.id(), name, created.get(name), n.labels()));
    }

    @Override
    public String apiVersion() throws GatewayException {
        return observe().apiVersion();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The network a daemon reports after this create (see {@link DaemonRules#realise}). */
    public static LiveNetwork realise(NetworkCreate c, String id, int seed) {
        return DaemonRules.realise(c, id, seed);
    }

    // ---- inside ----

    private void throwIfUnavailable() throws GatewayException {
        GatewayException e = unavailable;
        if (e != null) {
            throw e;
        }
    }

    /** Records a change, waits at the rendezvous, then fails it if the test asked for that. */
    private void enter(String call) throws GatewayException {
        calls.add(call);
        changes.add(call);
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        CountDownLatch latch = rendezvous;
        if (latch != null) {
            latch.countDown();
            try {
                latch.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        GatewayException failure = once.remove(call) ? failures.remove(call) : failures.get(call);
        synchronized (this) {
            if (failure == null && changeCount++ == refusedChange) {
                failure = new GatewayException(GatewayException.Kind.REFUSED, "refused on purpose: " + call);
            }
        }
        if (failure != null) {
            inFlight.decrementAndGet();
            throw failure;
        }
    }

    private LiveContainer containerOrNew(String name) {
        return containers.computeIfAbsent(name, c -> new LiveContainer("cid-" + c, c, true, "bridge", null, List.of(), null, null));
    }

    static LiveContainer with(LiveContainer c, List<LiveEndpoint> eps) {
        return new LiveContainer(c.id(), c.name(), c.running(), c.networkMode(), c.labels(), eps, c.configuredPorts(),
                c.actualPorts());
    }
}
