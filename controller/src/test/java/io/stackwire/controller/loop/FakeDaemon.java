package io.stackwire.controller.loop;

import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.EventListener;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.daemon.NetworkRef;
import io.stackwire.reconcile.daemon.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-memory daemon for the loop's pure logic (scheduling, cache, rails, lease, verification);
 * the real daemon is exercised by RunLoopIT. Lease networks are hidden from observe() as the real
 * gateway hides them.
 */
final class FakeDaemon implements DockerGateway {

    final Map<String, LiveNetwork> networks = new TreeMap<>();
    final Map<String, Instant> created = new TreeMap<>();
    final Map<String, LiveContainer> containers = new TreeMap<>();
    final List<String> calls = new ArrayList<>();
    int observes;
    int nextId;
    /** Connect "succeeds" but the daemon keeps no aliases: what verification must catch. */
    boolean dropAliases;
    boolean unavailable;
    EventListener listener;
    boolean streamConnected = true;
    /** When set, networks are created at this time and report it, as the real daemon's {@code Created}. */
    java.util.function.Supplier<Instant> time;

    synchronized FakeDaemon container(String name, String... networksAttached) {
        List<LiveEndpoint> eps = new ArrayList<>();
        for (String n : networksAttached) {
            eps.add(new LiveEndpoint(n, "id-" + n, List.of(), null, null, "172.17.0.2", null));
        }
        containers.put(name, new LiveContainer(idOf(name), name, true, "bridge", Map.of(), eps, List.of(), List.of()));
        return this;
    }

    /** A 64-hex-digit ID like Docker's, so the short ID differs from the full one. */
    static String idOf(String container) {
        return String.format("%064x", new java.math.BigInteger(1, container.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    synchronized FakeDaemon network(String name, Map<String, String> labels) {
        networks.put(name, new LiveNetwork("id-" + name, name, "bridge", "local", false, false, false, null, null, labels));
        created.put(name, Instant.ofEpochSecond(nextId++));
        return this;
    }

    @Override
    public synchronized LiveState observe() throws GatewayException {
        calls.add("observe");
        observes++;
        if (unavailable) {
            throw new GatewayException(GatewayException.Kind.UNAVAILABLE, "cannot reach the Docker daemon");
        }
        Map<String, LiveNetwork> visible = new TreeMap<>();
        networks.forEach((k, v) -> {
            if (!v.labels().containsKey(Labels.LEASE)) {
                visible.put(k, v);
            }
        });
        return new LiveState(new TreeMap<>(visible), new TreeMap<>(containers), null, "1.41");
    }

    /** As the real gateway: the networks and the named containers (IDs or names) read again, the rest kept. */
    @Override
    public synchronized LiveState refresh(LiveState base, java.util.Collection<String> refs) throws GatewayException {
        calls.add("refresh " + new java.util.TreeSet<>(refs));
        if (unavailable) {
            throw new GatewayException(GatewayException.Kind.UNAVAILABLE, "cannot reach the Docker daemon");
        }
        LiveState now = observeQuietly();
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

    private LiveState observeQuietly() {
        Map<String, LiveNetwork> visible = new TreeMap<>();
        networks.forEach((k, v) -> {
            if (!v.labels().containsKey(Labels.LEASE)) {
                visible.put(k, v);
            }
        });
        return new LiveState(new TreeMap<>(visible), new TreeMap<>(containers), null, "1.41");
    }

    @Override
    public synchronized String createNetwork(NetworkCreate r) throws GatewayException {
        calls.add("create " + r.name());
        if (networks.containsKey(r.name())) {
            throw new GatewayException(GatewayException.Kind.CONFLICT, "network with name " + r.name() + " already exists");
        }
        String id = "id-" + r.name() + "-" + nextId;
        Instant at = time != null ? time.get() : Instant.ofEpochSecond(nextId);
        nextId++;
        networks.put(r.name(), new LiveNetwork(id, r.name(), r.driver(), "local", r.internal(), r.attachable(), r.ipv6(),
                r.ipam(), r.options(), r.labels(), time != null ? at : null));
        created.put(r.name(), at);
        return id;
    }

    @Override
    public synchronized void removeNetwork(String networkId) throws GatewayException {
        calls.add("remove " + networkId);
        String name = networks.values().stream().filter(n -> n.id().equals(networkId)).map(LiveNetwork::name)
                .findFirst().orElseThrow(() -> new GatewayException(GatewayException.Kind.NOT_FOUND, "no such network " + networkId));
        networks.remove(name);
    }

    @Override
    public synchronized void connect(String container, String network, EndpointConfig endpoint) throws GatewayException {
        calls.add("connect " + container + "/" + network);
        LiveContainer c = containers.get(container);
        if (c == null) {
            throw new GatewayException(GatewayException.Kind.NOT_FOUND, "no such container " + container);
        }
        List<LiveEndpoint> eps = new ArrayList<>(c.endpoints());
        eps.add(new LiveEndpoint(network, networks.get(network).id(), dropAliases ? List.of() : endpoint.aliases(),
                endpoint.ipv4Address(), endpoint.ipv6Address(), endpoint.ipv4Address(), endpoint.ipv6Address()));
        containers.put(container, new LiveContainer(c.id(), c.name(), c.running(), c.networkMode(), c.labels(), eps,
                c.configuredPorts(), c.actualPorts()));
    }

    @Override
    public synchronized void disconnect(String container, String network, boolean force) throws GatewayException {
        calls.add("disconnect " + container + "/" + network);
        LiveContainer c = containers.get(container);
        List<LiveEndpoint> eps = new ArrayList<>(c.endpoints());
        eps.removeIf(e -> e.network().equals(network));
        containers.put(container, new LiveContainer(c.id(), c.name(), c.running(), c.networkMode(), c.labels(), eps,
                c.configuredPorts(), c.actualPorts()));
    }

    @Override
    public synchronized List<NetworkRef> networksNamed(String name) {
        calls.add("list " + name);
        LiveNetwork n = networks.get(name);
        return n == null ? List.of() : List.of(new NetworkRef(n.id(), name, created.get(name), n.labels()));
    }

    @Override
    public Subscription events(EventListener l) {
        this.listener = l;
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

    @Override
    public String describe() {
        return "fake";
    }

    @Override
    public void close() {}
}
