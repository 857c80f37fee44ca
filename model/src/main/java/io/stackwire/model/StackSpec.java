package io.stackwire.model;

import java.util.List;
import java.util.Objects;

/** A stack groups networks and containers; one file declares one stack. */
public record StackSpec(String name, String file, List<NetworkSpec> networks, List<ContainerSpec> containers, SourceRef source) {

    public StackSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        networks = networks == null ? List.of() : List.copyOf(networks);
        containers = containers == null ? List.of() : List.copyOf(containers);
        source = source == null ? SourceRef.UNKNOWN : source;
    }
}
