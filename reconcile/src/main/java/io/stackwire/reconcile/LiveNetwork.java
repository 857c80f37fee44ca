package io.stackwire.reconcile;

import io.stackwire.model.Ipam;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A network as the daemon reports it, before normalisation.
 *
 * @param scope {@code local} or {@code swarm}
 */
public record LiveNetwork(
        String id,
        String name,
        String driver,
        String scope,
        boolean internal,
        boolean attachable,
        boolean ipv6,
        Ipam ipam,
        Map<String, String> options,
        Map<String, String> labels) {

    public LiveNetwork {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        driver = driver == null ? "" : driver;
        scope = scope == null ? "local" : scope;
        ipam = ipam == null ? Ipam.DEFAULT : ipam;
        options = options == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(options));
        labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /** Carries stackwire's ownership label. */
    public boolean managed() {
        return "true".equals(labels.get(Labels.MANAGED));
    }

    /** The repository that created it ({@link Labels#REPO}); null when it carries none (made by hand, or by an earlier stackwire). */
    public String owner() {
        String o = labels.get(Labels.REPO);
        return o == null || o.isEmpty() ? null : o;
    }

    public String stack() {
        return labels.get(Labels.STACK);
    }
}
