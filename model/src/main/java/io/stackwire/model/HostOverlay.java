package io.stackwire.model;

import java.util.Collections;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-host settings from {@code hosts/<name>.yaml}.
 *
 * @param stacks the stacks this host runs; null means every stack
 * @param variables values for {@code ${name}} references in the stacks
 */
public record HostOverlay(String name, String file, List<String> stacks, Map<String, String> variables, SourceRef source) {

    public HostOverlay {
        Objects.requireNonNull(name, "name");
        stacks = stacks == null ? null : List.copyOf(stacks);
        variables = variables == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(variables));
        source = source == null ? SourceRef.UNKNOWN : source;
    }
}
