package io.stackwire.controller.lease;

import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.EventListener;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.daemon.NetworkRef;
import io.stackwire.reconcile.daemon.Subscription;
import io.stackwire.reconcile.daemon.DockerEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The check before each step: every change asks the lease first; reads pass through. */
final class GuardedGateway implements DockerGateway {

    private final DockerGateway inner;
    private final Keeper keeper;

    GuardedGateway(DockerGateway inner, Keeper keeper) {
        this.inner = inner;
        this.keeper = keeper;
    }

    @Override
    public LiveState observe() throws GatewayException {
        return inner.observe();
    }

    @Override
    public LiveState observe(Supplier<ObserveScope> scope) throws GatewayException {
        return inner.observe(scope); // forwarded as itself: the default would observe everything
    }

    @Override
    public LiveState observe(Supplier<ObserveScope> scope, Consumer<Instant> startedAt) throws GatewayException {
        return inner.observe(scope, startedAt);
    }

    @Override
    public Optional<List<DockerEvent>> eventsBetween(Instant since, Instant until) throws GatewayException {
        return inner.eventsBetween(since, until); // a read, like observe: the apply's staleness check
    }

    @Override
    public LiveState refresh(LiveState base, Collection<String> containers) throws GatewayException {
        return inner.refresh(base, containers);
    }

    @Override
    public String apiVersion() throws GatewayException {
        return inner.apiVersion();
    }

    @Override
    public String createNetwork(NetworkCreate request) throws GatewayException {
        keeper.check("create network " + request.name());
        return inner.createNetwork(request);
    }

    @Override
    public void removeNetwork(String networkId) throws GatewayException {
        keeper.check("remove network " + networkId);
        inner.removeNetwork(networkId);
    }

    @Override
    public void connect(String container, String network, EndpointConfig endpoint) throws GatewayException {
        keeper.check("connect " + container + " to " + network);
        inner.connect(container, network, endpoint);
    }

    @Override
    public void connectRunning(String container, String network, EndpointConfig endpoint) throws GatewayException {
        // Must forward as itself: the interface's default would fall back to connect, inspect included.
        keeper.check("connect " + container + " to " + network);
        inner.connectRunning(container, network, endpoint);
    }

    @Override
    public void disconnect(String container, String network, boolean force) throws GatewayException {
        keeper.check("disconnect " + container + " from " + network);
        inner.disconnect(container, network, force);
    }

    @Override
    public String replaceContainer(String name, ContainerReplace request) throws GatewayException {
        keeper.check("replace container " + name);
        return inner.replaceContainer(name, request);
    }

    @Override
    public String repairReplacement(String name) throws GatewayException {
        keeper.check("repair the replacement of " + name);
        return inner.repairReplacement(name);
    }

    @Override
    public Subscription events(EventListener listener) {
        return inner.events(listener);
    }

    @Override
    public List<NetworkRef> networksNamed(String name) throws GatewayException {
        return inner.networksNamed(name);
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    /** The guard does not own the gateway. */
    @Override
    public void close() {}
}
