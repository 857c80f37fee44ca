package io.stackwire.controller.cli;

import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.daemon.NetworkRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An in-memory daemon for CLI unit tests (flags, exit codes, output); the real one is used by *IT tests. */
final class FakeDocker implements DockerGateway {

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, GatewayException> failures = new HashMap<>();
    private final Map<String, LiveNetwork> networks = new TreeMap<>();
    GatewayException unavailable;
    boolean closed;

    @Override
    public synchronized LiveState observe() throws GatewayException {
        if (unavailable != null) {
            throw unavailable;
        }
        // Like the real gateway, lease networks are never observed (so never planned).
        TreeMap<String, LiveNetwork> visible = new TreeMap<>(networks);
        visible.values().removeIf(n -> n.labels().containsKey(Labels.LEASE));
        return new LiveState(visible, null, null, "1.41");
    }

    /** A lease network another stackwire holds until {@code expires}. */
    synchronized void addLease(String name, String owner, java.time.Instant expires) {
        networks.put(name, new LiveNetwork("id-" + name, name, "bridge", "local", true, false, false, null, null,
                Map.of(Labels.LEASE, "true", Labels.LEASE_OWNER, owner, Labels.LEASE_EXPIRES, Long.toString(expires.getEpochSecond()))));
    }

    @Override
    public synchronized List<NetworkRef> networksNamed(String name) {
        LiveNetwork n = networks.get(name);
        return n == null ? List.of() : List.of(new NetworkRef(n.id(), name, null, n.labels()));
    }

    synchronized void addNetwork(String name) {
        networks.put(name, new LiveNetwork("id-" + name, name, "bridge", "local", false, false, false, null, null, null));
    }

    @Override
    public synchronized String createNetwork(NetworkCreate request) throws GatewayException {
        call("create " + request.name());
        if (networks.containsKey(request.name())) {
            throw new GatewayException(GatewayException.Kind.CONFLICT, "network with name " + request.name() + " already exists");
        }
        networks.put(request.name(), new LiveNetwork("id-" + request.name(), request.name(), request.driver(), "local",
                false, false, false, null, null, request.labels()));
        return "id-" + request.name();
    }

    @Override
    public synchronized void removeNetwork(String networkId) throws GatewayException {
        call("remove " + networkId);
        networks.values().removeIf(n -> n.id().equals(networkId));
    }

    @Override
    public synchronized void connect(String container, String network, EndpointConfig endpoint) throws GatewayException {
        call("connect " + container + "/" + network);
    }

    @Override
    public synchronized void disconnect(String container, String network, boolean force) throws GatewayException {
        call("disconnect " + container + "/" + network);
    }

    private void call(String call) throws GatewayException {
        calls.add(call);
        GatewayException e = failures.get(call);
        if (e != null) {
            throw e;
        }
    }

    @Override
    public String describe() {
        return "fake:///docker.sock";
    }

    @Override
    public void close() {
        closed = true;
    }
}
