package io.stackwire.reconcile;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSelector;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.NetworkSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which containers an observation must read in full (one inspect each), when the daemon runs many
 * that no plan cares about. Every container is still listed; one outside the scope is described
 * from the list alone (name, id, labels, running, network mode, endpoints with their addresses
 * and IPAM config, published ports) and lacks what only an inspect has: its endpoints' aliases,
 * its configured port bindings and its hostname.
 *
 * <p>A container is read in full when the spec names it (or it is one of its replacement
 * leftovers, {@code <name>-stackwire-new}/{@code -old}), or when it has an endpoint on a network
 * the spec names (Docker's predefined ones aside) or on any network labelled {@link Labels#MANAGED}. That covers everything a plan
 * depends on ({@code plan.Dependencies}: declared containers, and every endpoint on the networks
 * stackwire may change), so a scoped and a full observation give a plan the same dependencies,
 * the same fingerprint and the same steps. What the planner reads from other containers (their
 * addresses on the networks the spec uses, their published ports while running) is in the list.
 *
 * <p>A container a {@code select:} entry matches (by the name and labels the list has) is read in
 * full too: the planner compares its aliases like a named container's.
 *
 * @param containers names read in full; null with {@code networks} null for "everything"
 * @param networks names whose every member is read in full
 * @param selectors the spec's {@code select:} entries: a container they match is read in full
 */
public record ObserveScope(Set<String> containers, Set<String> networks, List<ContainerSelector> selectors) {

    /** Every container inspected: what {@code live-state} exports and a gateway without scoping does. */
    public static final ObserveScope ALL = new ObserveScope(null, null, List.of());

    private static final String NEW_SUFFIX = "-stackwire-new";
    private static final String OLD_SUFFIX = "-stackwire-old";

    public ObserveScope {
        containers = containers == null ? null : Set.copyOf(containers);
        selectors = selectors == null ? List.of() : List.copyOf(selectors);
        // Docker's bridge, host and none: stackwire never changes other containers' endpoints
        // there, and their addresses are in the list.
        networks = networks == null ? null : networks.stream().filter(n -> !NetworkSpec.isPredefined(n))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** The scope of a plan of {@code desired}: its containers and the networks it names. */
    public static ObserveScope of(DesiredState desired) {
        TreeSet<String> networks = new TreeSet<>(desired.networks().keySet());
        for (ContainerSpec c : desired.containers().values()) {
            for (Attachment a : c.attachments()) {
                networks.add(a.network());
            }
        }
        for (ContainerSpec c : desired.selectors().values()) {
            for (Attachment a : c.attachments()) {
                networks.add(a.network());
            }
        }
        return new ObserveScope(desired.containers().keySet(), networks,
                desired.selectors().values().stream().map(ContainerSpec::selector).toList());
    }

    /** These containers and networks (e.g. those a saved plan depends on). */
    public static ObserveScope of(Collection<String> containers, Collection<String> networks) {
        return new ObserveScope(Set.copyOf(containers), Set.copyOf(networks), List.of());
    }

    public boolean all() {
        return containers == null;
    }

    /**
     * Whether the container with this name and endpoints on these networks must be inspected.
     *
     * @param managedNetworks the names of the daemon's networks labelled {@link Labels#MANAGED}
     */
    public boolean needsDetail(String name, Collection<String> endpointNetworks, Set<String> managedNetworks) {
        return needsDetail(name, Map.of(), endpointNetworks, managedNetworks);
    }

    /** As {@link #needsDetail(String, Collection, Set)}, for a container with these labels (selectors match them). */
    public boolean needsDetail(String name, Map<String, String> labels, Collection<String> endpointNetworks,
            Set<String> managedNetworks) {
        if (all() || containers.contains(name)) {
            return true;
        }
        for (ContainerSelector s : selectors) {
            if (s.matches(name, labels)) {
                return true;
            }
        }
        if (name.endsWith(NEW_SUFFIX) && containers.contains(name.substring(0, name.length() - NEW_SUFFIX.length()))
                || name.endsWith(OLD_SUFFIX) && containers.contains(name.substring(0, name.length() - OLD_SUFFIX.length()))) {
            return true;
        }
        for (String n : endpointNetworks) {
            if (networks.contains(n) || managedNetworks.contains(n)) {
                return true;
            }
        }
        return false;
    }
}
