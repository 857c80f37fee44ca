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
 * @param owner the repository identity this spec acts for: only networks labelled with it (or
 *     made by an earlier stackwire without an owner label) are pruned, destroyed or replaced, and
 *     every network stackwire creates gets it as a label. Empty when unknown (tests of the
 *     planner alone): then no network gets an owner label and owner-labelled networks are others'.
 * @param selectors the {@code select:} entries, by entry key; the planner matches them against
 *     the live containers ({@code containers} holds only containers named exactly)
 */
public record DesiredState(
        String host,
        String revision,
        List<StackSpec> stacks,
        SortedMap<String, NetworkSpec> networks,
        SortedMap<String, ContainerSpec> containers,
        RepoPolicy policy,
        String owner,
        SortedMap<String, ContainerSpec> selectors) {

    public DesiredState {
        Objects.requireNonNull(host, "host");
        revision = revision == null ? "" : revision;
        stacks = stacks == null ? List.of() : List.copyOf(stacks);
        networks = Collections.unmodifiableSortedMap(new TreeMap<>(networks == null ? Map0.of() : networks));
        containers = Collections.unmodifiableSortedMap(new TreeMap<>(containers == null ? Map0.of() : containers));
        policy = policy == null ? RepoPolicy.DEFAULT : policy;
        owner = owner == null ? "" : owner;
        selectors = Collections.unmodifiableSortedMap(new TreeMap<>(selectors == null ? Map0.of() : selectors));
    }

    /** Without selector entries. */
    public DesiredState(String host, String revision, List<StackSpec> stacks, SortedMap<String, NetworkSpec> networks,
            SortedMap<String, ContainerSpec> containers, RepoPolicy policy, String owner) {
        this(host, revision, stacks, networks, containers, policy, owner, null);
    }

    /** Without an owner identity (see {@link #withOwner}). */
    public DesiredState(String host, String revision, List<StackSpec> stacks, SortedMap<String, NetworkSpec> networks,
            SortedMap<String, ContainerSpec> containers, RepoPolicy policy) {
        this(host, revision, stacks, networks, containers, policy, "", null);
    }

    /** The same state acting for {@code owner}. */
    public DesiredState withOwner(String owner) {
        return new DesiredState(host, revision, stacks, networks, containers, policy, owner, selectors);
    }

    /** The same state read from another revision (a Git commit), keeping the owner. */
    public DesiredState withRevision(String revision) {
        return new DesiredState(host, revision, stacks, networks, containers, policy, owner, selectors);
    }

    /**
     * Builds the indexes from the stacks. Names are unique across stacks once validated. The owner
     * is the one {@code stackwire.yaml} declares, else empty (the controller fills in its default).
     */
    public static DesiredState of(String host, String revision, List<StackSpec> stacks, RepoPolicy policy) {
        SortedMap<String, NetworkSpec> networks = new TreeMap<>();
        SortedMap<String, ContainerSpec> containers = new TreeMap<>();
        SortedMap<String, ContainerSpec> selectors = new TreeMap<>();
        for (StackSpec s : stacks) {
            s.networks().forEach(n -> networks.put(n.name(), n));
            s.containers().forEach(c -> (c.selector() == null ? containers : selectors).put(c.name(), c));
        }
        return new DesiredState(host, revision, stacks, networks, containers, policy,
                policy == null ? null : policy.owner(), selectors);
    }

    private static final class Map0 {
        static <V> SortedMap<String, V> of() {
            return new TreeMap<>();
        }
    }
}
