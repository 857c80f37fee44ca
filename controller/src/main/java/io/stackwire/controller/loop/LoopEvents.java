package io.stackwire.controller.loop;

import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.daemon.EventListener;
import io.stackwire.reconcile.plan.PeerClaim;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker events, on the event thread: one that concerns the spec names what to read again and
 * asks for a pass after the debounce; a lost stream makes the next pass read the daemon again.
 */
final class LoopEvents implements EventListener {

    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.loop");

    /** How a pass is asked for (the loop's {@code request}). */
    interface Requests {
        void request(Trigger trigger, Duration delay);
    }

    private final LiveCache cache;
    private final Supplier<DesiredState> watched;
    private final PeerStamps peers;
    private final Metrics metrics;
    private final Duration debounce;
    private final Requests requests;

    LoopEvents(LiveCache cache, Supplier<DesiredState> watched, PeerStamps peers, Metrics metrics, Duration debounce,
            Requests requests) {
        this.cache = cache;
        this.watched = watched;
        this.peers = peers;
        this.metrics = metrics;
        this.debounce = debounce;
        this.requests = requests;
    }

    @Override
    public void onEvent(DockerEvent e) {
        if (concerns(e)) {
            if (e.type() == DockerEvent.Type.CONTAINER) {
                cache.touched(e.actorId().isEmpty() ? e.actorName() : e.actorId());
            } else if (e.container() != null) {
                cache.touched(e.container());
            } else {
                cache.touched(""); // a network event: the network list is read again, no container
            }
            metrics.event();
            requests.request(Trigger.EVENT, debounce);
        }
    }

    @Override
    public void onResyncNeeded(String why) {
        cache.dirty();
        requests.request(Trigger.STREAM, Duration.ZERO);
    }

    @Override
    public void onDisconnected(String why, long retryInMillis) {
        cache.dirty(); // until it is back, nothing tells us about changes
        LOG.warn("Docker event stream lost ({}); reconnecting in {} ms", why, retryInMillis);
    }

    /**
     * Whether an event touches a name the spec mentions, a container a {@code select:} entry matches
     * (by the name and labels the event carries, or as last observed), a managed network not of
     * another repository, or a spec'd container's ID. Decided from the event and the cache alone:
     * an event about any other container costs no Docker call.
     */
    boolean concerns(DockerEvent e) {
        DesiredState d = watched.get();
        if (d == null) {
            return true;
        }
        LiveState live = cache.get();
        String claimer = e.type() == DockerEvent.Type.NETWORK ? PeerClaim.controllerOf(e.actorName()) : null;
        if (claimer != null) {
            return !claimer.equals(peers.controllerName(d)); // another controller's claim came, went or was renewed
        }
        if (e.type() == DockerEvent.Type.CONTAINER) {
            if (d.containers().containsKey(e.actorName()) || selected(d, e.actorName(), e.attributes())) {
                return true;
            }
            // Known by ID: a rename away from a spec'd name, a replica that no longer matches.
            return live != null && live.containers().values().stream()
                    .anyMatch(c -> c.id().equals(e.actorId()) && (d.containers().containsKey(c.name()) || selected(d, c.name(), c.labels())));
        }
        if (e.network() != null && d.networks().containsKey(e.network())) {
            return true;
        }
        if (live != null) {
            LiveNetwork n = e.network() == null ? null : live.network(e.network());
            if (n != null && n.managed() && (n.owner() == null || n.owner().equals(d.owner()))) {
                return true; // another repository's network never changes this repository's plan
            }
            return e.container() != null && live.containers().values().stream()
                    .anyMatch(c -> c.id().equals(e.container()) && (d.containers().containsKey(c.name()) || selected(d, c.name(), c.labels())));
        }
        return false;
    }

    private static boolean selected(DesiredState d, String name, Map<String, String> labels) {
        for (ContainerSpec entry : d.selectors().values()) {
            if (entry.selector().matches(name, labels)) {
                return true;
            }
        }
        return false;
    }
}
