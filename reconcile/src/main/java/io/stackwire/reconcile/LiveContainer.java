package io.stackwire.reconcile;

import io.stackwire.model.PortBinding;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A container as the daemon reports it.
 *
 * @param name without the leading slash Docker puts on it
 * @param networkMode the host-config network mode: {@code bridge}, {@code host}, {@code none}, a
 *     network name, or {@code container:<id>}
 * @param endpoints one per network it is attached to, sorted by network name
 * @param configuredPorts port bindings from the host config (what survives a stop)
 * @param actualPorts host ports in use now (random ports resolved); empty while stopped
 * @param hostname {@code Config.Hostname}: Docker adds it as an alias on user-defined networks
 *     (API 1.41) or to the DNS names (1.45), so it is one of the {@link Normalizer#autoAliases};
 *     empty when unknown (older snapshots)
 */
public record LiveContainer(
        String id,
        String name,
        boolean running,
        String networkMode,
        Map<String, String> labels,
        List<LiveEndpoint> endpoints,
        List<PortBinding> configuredPorts,
        List<PortBinding> actualPorts,
        String hostname) {

    public LiveContainer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        networkMode = networkMode == null ? "" : networkMode;
        labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        endpoints = endpoints == null ? List.of() : endpoints.stream()
                .sorted(java.util.Comparator.comparing(LiveEndpoint::network)).toList();
        configuredPorts = configuredPorts == null ? List.of() : List.copyOf(configuredPorts);
        actualPorts = actualPorts == null ? List.of() : List.copyOf(actualPorts);
        hostname = hostname == null ? "" : hostname;
    }

    /** Without a hostname: what tests and hand-built states use. */
    public LiveContainer(String id, String name, boolean running, String networkMode, Map<String, String> labels,
            List<LiveEndpoint> endpoints, List<PortBinding> configuredPorts, List<PortBinding> actualPorts) {
        this(id, name, running, networkMode, labels, endpoints, configuredPorts, actualPorts, "");
    }

    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    public LiveEndpoint endpoint(String network) {
        for (LiveEndpoint e : endpoints) {
            if (e.network().equals(network)) {
                return e;
            }
        }
        return null;
    }
}
