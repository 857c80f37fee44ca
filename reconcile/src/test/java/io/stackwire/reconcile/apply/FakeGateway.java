package io.stackwire.reconcile.apply;

import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory daemon for unit tests of the executor's ordering, skip and race logic only; the
 * real daemon is exercised by the integration tests. It answers like Docker does: creating an
 * existing name is a conflict, connecting twice is "already", removing a missing ID is not found.
 */
final class FakeGateway implements DockerGateway {

    private final Map<String, LiveNetwork> networks = new TreeMap<>();
    private final Map<String, List<LiveEndpoint>> endpoints = new TreeMap<>();
    private final Map<String, GatewayException> failures = new HashMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger observations = new AtomicInteger();
    private final List<String> uncheckedConnects = Collections.synchronizedList(new ArrayList<>());
    private volatile CountDownLatch rendezvous;
    private int nextId;

    /** Every mutating call waits (up to 5 s) until {@code parties} calls are in flight together. */
    FakeGateway rendezvous(int parties) {
        rendezvous = new CountDownLatch(parties);
        return this;
    }

    /** The call with this key (e.g. {@code create front}, {@code connect web/front}) throws. */
    FakeGateway failing(String call, GatewayException e) {
        failures.put(call, e);
        return this;
    }

    /** The first call with this key throws; later ones (a rollback's) go through. */
    FakeGateway failingOnce(String call, GatewayException e) {
        failures.put(call, e);
        once.add(call);
        return this;
    }

    private final java.util.Set<String> once = java.util.Collections.synchronizedSet(new java.util.HashSet<>());

    /** The endpoint a container has on a network now, or null. */
    synchronized LiveEndpoint endpoint(String container, String network) {
        return endpoints.getOrDefault(container, List.of()).stream().filter(e -> e.network().equals(network)).findFirst().orElse(null);
    }

    synchronized LiveNetwork network(String name) {
        return networks.get(name);
    }

    synchronized FakeGateway withNetwork(String name, Map<String, String> labels) {
        networks.put(name, new LiveNetwork("id-" + name, name, "bridge", "local", false, false, false, null, null, labels));
        return this;
    }

    synchronized FakeGateway withEndpoint(String container, String network) {
        endpoints.computeIfAbsent(container, c -> new ArrayList<>())
                .add(new LiveEndpoint(network, "id-" + network, List.of(), null, null, null, null));
        return this;
    }

    List<String> calls() {
        return List.copyOf(calls);
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    private volatile List<io.stackwire.reconcile.daemon.DockerEvent> events;
    private final AtomicInteger eventReads = new AtomicInteger();

    /** The events {@link #eventsBetween} answers with; without, it cannot tell (the default). */
    FakeGateway withEvents(io.stackwire.reconcile.daemon.DockerEvent... happened) {
        events = List.of(happened);
        return this;
    }

    @Override
    public java.util.Optional<List<io.stackwire.reconcile.daemon.DockerEvent>> eventsBetween(java.time.Instant since,
            java.time.Instant until) {
        eventReads.incrementAndGet();
        return java.util.Optional.ofNullable(events);
    }

    int eventReads() {
        return eventReads.get();
    }

    int observations() {
        return observations.get();
    }

    /** {@code container/network} of each connect made through {@link #connectRunning}. */
    List<String> uncheckedConnects() {
        return List.copyOf(uncheckedConnects);
    }

    @Override
    public void connectRunning(String container, String network, EndpointConfig endpoint) throws GatewayException {
        uncheckedConnects.add(container + "/" + network);
        connect(container, network, endpoint);
    }

    @Override
    public synchronized LiveState observe() {
        observations.incrementAndGet();
        Map<String, LiveContainer> containers = new TreeMap<>();
        endpoints.forEach((c, eps) -> containers.put(c, new LiveContainer("cid-" + c, c, true, "bridge", null, eps, null, null)));
        return new LiveState(new TreeMap<>(networks), new TreeMap<>(containers), null, "1.41");
    }

    @Override
    public String createNetwork(NetworkCreate request) throws GatewayException {
        enter("create " + request.name());
        try {
            synchronized (this) {
                if (networks.containsKey(request.name())) {
                    throw new GatewayException(GatewayException.Kind.CONFLICT, "network with name " + request.name() + " already exists");
                }
                String id = "id-" + request.name() + "-" + nextId++;
                networks.put(request.name(), new LiveNetwork(id, request.name(), request.driver(), "local",
                        request.internal(), request.attachable(), request.ipv6(), request.ipam(), request.options(), request.labels()));
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
                if (!networks.values().removeIf(n -> n.id().equals(networkId))) {
                    throw new GatewayException(GatewayException.Kind.NOT_FOUND, "network " + networkId + " not found");
                }
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
                List<LiveEndpoint> eps = endpoints.computeIfAbsent(container, c -> new ArrayList<>());
                if (eps.stream().anyMatch(e -> e.network().equals(network))) {
                    throw new GatewayException(GatewayException.Kind.ALREADY, "endpoint with name " + container + " already exists in network " + network);
                }
                eps.add(new LiveEndpoint(network, "id-" + network, endpoint.aliases(), endpoint.ipv4Address(), endpoint.ipv6Address(), null, null));
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void disconnect(String container, String network, boolean force) throws GatewayException {
        enter("disconnect " + container + "/" + network);
        try {
            synchronized (this) {
                List<LiveEndpoint> eps = endpoints.getOrDefault(container, new ArrayList<>());
                if (!eps.removeIf(e -> e.network().equals(network))) {
                    throw new GatewayException(GatewayException.Kind.NOT_FOUND, "container " + container + " is not connected to " + network);
                }
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void enter(String call) throws GatewayException {
        calls.add(call);
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
        if (failure != null) {
            inFlight.decrementAndGet();
            throw failure;
        }
    }

    @Override
    public String describe() {
        return "fake://daemon (API 1.41)";
    }

    @Override
    public void close() {}
}
