package io.stackwire.reconcile;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything stackwire reads from one daemon in one observation, indexed by exact name.
 *
 * @param apiVersion the API version negotiated with the daemon, for reports
 */
public record LiveState(
        SortedMap<String, LiveNetwork> networks,
        SortedMap<String, LiveContainer> containers,
        SwarmInfo swarm,
        String apiVersion) {

    public LiveState {
        networks = Collections.unmodifiableSortedMap(new TreeMap<>(networks == null ? new TreeMap<>() : networks));
        containers = Collections.unmodifiableSortedMap(new TreeMap<>(containers == null ? new TreeMap<>() : containers));
        swarm = swarm == null ? SwarmInfo.NONE : swarm;
        apiVersion = apiVersion == null ? "" : apiVersion;
    }

    public static LiveState empty() {
        return new LiveState(null, null, null, null);
    }

    public LiveNetwork network(String name) {
        Objects.requireNonNull(name);
        return networks.get(name);
    }

    public LiveContainer container(String name) {
        return containers.get(name);
    }
}
