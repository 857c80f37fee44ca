package io.stackwire.controller.loop;

import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.EventListener;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.Subscription;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loop's observation of the daemon, kept fresh by Docker events: passes read it instead of
 * the whole daemon. Written by the pass thread; the event thread marks it dirty or names what
 * changed.
 */
final class LiveCache {

    private final DockerGateway gateway;
    private volatile LiveState cache;
    private volatile boolean dirty = true;
    /**
     * Containers (IDs) that events named since the cache was read: the next pass reads just these
     * again, plus the network list ({@link DockerGateway#refresh}), instead of everything.
     */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private volatile Subscription events;

    LiveCache(DockerGateway gateway) {
        this.gateway = gateway;
    }

    /** Opens the Docker event stream; without one the cache is never trusted and every pass observes. */
    void subscribe(EventListener listener) {
        events = gateway.events(listener);
    }

    boolean connected() {
        Subscription ev = events;
        return ev != null && ev.connected();
    }

    void close() {
        if (events != null) {
            events.close();
        }
    }

    /** The last observation, or null before the first. */
    LiveState get() {
        return cache;
    }

    /** What verification read after an apply: the newest view of the daemon. */
    void set(LiveState live) {
        cache = live;
    }

    /** Not to be trusted: the next pass reads the daemon again. */
    void dirty() {
        dirty = true;
    }

    /** An event named this container ("" for a network event: the network list is read again). */
    void touched(String container) {
        touched.add(container);
    }

    /**
     * The cached observation unless a resync, a failure or a lost event stream says to read the
     * daemon again (only what the spec needs in full, {@link ObserveScope}); after events, the
     * cache with what they named read again. The event stream tells about every change to a
     * container's networking (create, start, rename, destroy, connect, disconnect), so the cache
     * plus those re-reads is what a full observation would see of everything the plan judges;
     * the resync timer catches anything an event could not.
     */
    LiveState observe(boolean force, DesiredState desired) throws GatewayException {
        if (force || dirty || cache == null || !connected()) {
            dirty = false; // events arriving during the observe set it again
            touched.clear();
            DesiredState scopeOf = desired;
            cache = gateway.observe(() -> scopeOf == null ? ObserveScope.ALL : ObserveScope.of(scopeOf));
        } else if (!touched.isEmpty()) {
            Set<String> named = new TreeSet<>(touched);
            touched.removeAll(named); // events arriving during the read add to it again
            named.remove("");
            cache = gateway.refresh(cache, named);
        }
        return cache;
    }
}
