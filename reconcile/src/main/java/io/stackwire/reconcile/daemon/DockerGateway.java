package io.stackwire.reconcile.daemon;

import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The only way stackwire talks to Docker. One implementation uses docker-java; docker-java types
 * never leave this package. Every method is one blocking call (or a small fixed number of them).
 */
public interface DockerGateway extends AutoCloseable {

    /** Reads networks, containers (running and stopped) and the swarm role in one consistent pass. */
    LiveState observe() throws GatewayException;

    /**
     * As {@link #observe()}, reading in full only the containers {@code scope} asks for; it is
     * asked for once the daemon's lists are in, so a caller may still be loading the spec. A
     * gateway that cannot scope observes everything, which is always correct.
     */
    default LiveState observe(Supplier<ObserveScope> scope) throws GatewayException {
        return observe();
    }

    /**
     * As {@link #observe(Supplier)}, telling {@code startedAt} the daemon's own clock at (or just
     * before) the observation's first call, so that {@link #eventsBetween} can later say whether
     * anything happened since. A gateway that cannot tell never calls it (the default), and its
     * callers then read the daemon again instead.
     */
    default LiveState observe(Supplier<ObserveScope> scope, Consumer<Instant> startedAt) throws GatewayException {
        return observe(scope);
    }

    /**
     * The container and network events the daemon logged from {@code since} to {@code until}
     * (both its own clock, {@code until} in the past), in one call that returns at once. Empty
     * when this gateway cannot say for sure (the default; or the daemon's event log may have
     * dropped some): the caller then reads the daemon again, which is always correct.
     */
    default Optional<List<DockerEvent>> eventsBetween(Instant since, Instant until) throws GatewayException {
        return Optional.empty();
    }

    /**
     * {@code base} brought up to date after events that named these containers (IDs or names):
     * the networks read again, these containers read again (gone ones removed), the others as in
     * {@code base}. The default observes everything again, which is always correct.
     */
    default LiveState refresh(LiveState base, Collection<String> containers) throws GatewayException {
        return observe();
    }

    /** Creates a network exactly as described and returns its ID. */
    String createNetwork(NetworkCreate request) throws GatewayException;

    /** Removes a network by its ID (never by name, which could match a prefix). */
    void removeNetwork(String networkId) throws GatewayException;

    /** Connects a container (by name or ID) to a network with its full endpoint config. */
    void connect(String container, String network, EndpointConfig endpoint) throws GatewayException;

    /**
     * As {@link #connect}, for a container the caller saw running moments ago. A running container
     * answers a second connect with an error ({@link GatewayException.Kind#ALREADY}), so a gateway
     * may skip the checks it needs for stopped containers, which silently accept a second connect.
     */
    default void connectRunning(String container, String network, EndpointConfig endpoint) throws GatewayException {
        connect(container, network, endpoint);
    }

    /** Disconnects a container from a network; {@code force} also works on stopped containers' stale endpoints. */
    void disconnect(String container, String network, boolean force) throws GatewayException;

    /**
     * Re-creates a container with new port bindings and everything else as it was (see
     * {@code DockerJavaGateway.replaceContainer}): create under {@code <name>-stackwire-new}, stop
     * the old one, swap the names, start the new one, remove the old one (never its volumes). When
     * the new one does not start, the old one is put back under its name and started again.
     *
     * @param name the container's name
     * @return the new container's ID
     * @throws GatewayException when it could not be done; the message says what state was left
     *     (rolled back, or what to do by hand)
     */
    String replaceContainer(String name, ContainerReplace request) throws GatewayException;

    /**
     * Finishes or undoes a replacement of {@code name} that was interrupted (see {@link ReplaceRepair}),
     * judged from the daemon as it is now, not as it was planned.
     *
     * @return what was done, for the step's outcome
     */
    String repairReplacement(String name) throws GatewayException;

    // ---- Controller loop (issue 5): event stream and lease lookups. Kept together so merges stay easy. ----

    /**
     * Subscribes to container and network events. The subscription reconnects by itself when the
     * stream ends (daemon restart) and calls {@link EventListener#onResyncNeeded} after every
     * (re)connect. A gateway without an event stream throws {@link UnsupportedOperationException}.
     */
    Subscription events(EventListener listener);

    /**
     * Networks with exactly this name, lease networks included (which {@link #observe()} hides),
     * oldest first. One call. More than one only if they were created concurrently. (No default:
     * one built on {@link #observe()} would miss the lease networks.)
     */
    List<NetworkRef> networksNamed(String name) throws GatewayException;

    // ---- end of controller loop additions ----

    /**
     * The API version the daemon speaks, for {@code stackwire version}. Gateways that can ask for it
     * alone do so in one call; the default observes everything, which can be a thousand calls.
     */
    default String apiVersion() throws GatewayException {
        return observe().apiVersion();
    }

    /** A short description of the daemon for errors and reports, e.g. {@code unix:///var/run/docker.sock (API 1.41)}. */
    String describe();

    @Override
    void close();
}
