package io.stackwire.reconcile.plan;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One resource-level change, as shown to the user. The executable operations are in
 * {@link Plan#steps()}; this is the explanation.
 *
 * @param before normalised attributes of the live resource; empty for a create or connect
 * @param after normalised attributes wanted; empty for a delete or disconnect
 * @param reason a human sentence, e.g. "subnet changed: 10.1.0.0/24 -> 10.2.0.0/24 forces replacement";
 *     explains only, never drives the executor
 * @param forcesReplacement the attribute names whose change forces a replacement
 * @param disruptive the change interrupts connectivity of a running container
 * @param endpoints every endpoint the change touches (the blast radius), sorted
 */
public record Change(
        ResourceKey key,
        String stack,
        Action action,
        SortedMap<String, Object> before,
        SortedMap<String, Object> after,
        String reason,
        List<String> forcesReplacement,
        boolean disruptive,
        List<EndpointRef> endpoints) {

    public Change {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(action, "action");
        stack = stack == null ? "" : stack;
        before = Collections.unmodifiableSortedMap(new TreeMap<>(before == null ? Map0.empty() : before));
        after = Collections.unmodifiableSortedMap(new TreeMap<>(after == null ? Map0.empty() : after));
        reason = reason == null ? "" : reason;
        forcesReplacement = forcesReplacement == null ? List.of() : List.copyOf(forcesReplacement);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    private static final class Map0 {
        static SortedMap<String, Object> empty() {
            return new TreeMap<>();
        }
    }
}
