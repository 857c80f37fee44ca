package io.stackwire.model;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one host should look like: the stacks it runs with host variables substituted, indexed by
 * Docker name. Built only from a spec that validated without errors.
 *
 * @param host the host overlay name used (the machine's hostname by default)
 * @param revision where the spec came from (a Git commit, or a path), for reports
 */
public record DesiredState(
        String host,
        String revision,
        List<StackSpec> stacks,
        SortedMap<String, NetworkSpec> networks,
        SortedMap<String, ContainerSpec> containers,
        RepoPolicy policy) {

    public DesiredState {
        Objects.requireNonNull(host, "host");
        revision = revision == null ? "" : revision;
        stacks = stacks == null ? List.of() : List.copyOf(stacks);
        networks = Collections.unmodifiableSortedMap(new TreeMap<>(networks == null ? Map0.of() : networks));
        containers = Collections.unmodifiableSortedMap(new TreeMap<>(containers == null ? Map0.of() : containers));
        policy = policy == null ? RepoPolicy.DEFAULT : policy;
    }

    /** Builds the indexes from the stacks. Names are unique across stacks once validated. */
    public static DesiredState of(String host, String revision, List<StackSpec> stacks, RepoPolicy policy) {
        SortedMap<String, NetworkSpec> networks = new TreeMap<>();
        SortedMap<String, ContainerSpec> containers = new TreeMap<>();
        for (StackSpec s : stacks) {
            s.networks().forEach(n -> networks.put(n.name(), n));
            s.containers().forEach(c -> containers.put(c.name(), c));
        }
        return new DesiredState(host, revision, stacks, networks, containers, policy);
    }

    private static final class Map0 {
        static <V> SortedMap<String, V> of() {
            return new TreeMap<>();
        }
    }
}
