package io.stackwire.reconcile;

import io.stackwire.model.Ipam;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A network as the daemon reports it, before normalisation.
 *
 * @param scope {@code local} or {@code swarm}
 * @param created when the daemon created it, or null when unknown (a snapshot without it); the
 *     planner uses it to tell a network another controller made a moment ago (docs/planning.md,
 *     "Two controllers of one repository")
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
        Map<String, String> labels,
        Instant created) {

    public LiveNetwork {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        driver = driver == null ? "" : driver;
        scope = scope == null ? "local" : scope;
        ipam = ipam == null ? Ipam.DEFAULT : ipam;
        options = options == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(options));
        labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /** Without a creation time: when it was made is unknown. */
    public LiveNetwork(String id, String name, String driver, String scope, boolean internal, boolean attachable,
            boolean ipv6, Ipam ipam, Map<String, String> options, Map<String, String> labels) {
        this(id, name, driver, scope, internal, attachable, ipv6, ipam, options, labels, null);
    }

    /** The same network, created at {@code at}. */
    public LiveNetwork createdAt(Instant at) {
        return new LiveNetwork(id, name, driver, scope, internal, attachable, ipv6, ipam, options, labels, at);
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

    /** The controller instance that created it ({@link Labels#OWNER}); null when none did (a hand-run apply, or by hand). */
    public String instance() {
        String o = labels.get(Labels.OWNER);
        return o == null || o.isEmpty() ? null : o;
    }

    /** The controller that created it ({@link Labels#CONTROLLER}); null when none did (a hand-run apply, or by hand). */
    public String controller() {
        String o = labels.get(Labels.CONTROLLER);
        return o == null || o.isEmpty() ? null : o;
    }

    /** The spec revision that created it ({@link Labels#REVISION}); null when it carries none. */
    public String revision() {
        String r = labels.get(Labels.REVISION);
        return r == null || r.isEmpty() ? null : r;
    }
}
