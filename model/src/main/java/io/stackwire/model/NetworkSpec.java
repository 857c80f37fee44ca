package io.stackwire.model;

import java.util.Collections;
import java.util.TreeMap;
import java.util.Map;
import java.util.Objects;

/**
 * A network as the spec declares it.
 *
 * @param stack the stack that declares it
 * @param external exists outside stackwire: only referenced, never created, changed or removed
 * @param adopt take over an existing unlabelled network of this name instead of reporting a conflict
 */
public record NetworkSpec(
        String name,
        String stack,
        String driver,
        boolean internal,
        boolean attachable,
        boolean ipv6,
        boolean encrypted,
        Ipam ipam,
        Map<String, String> options,
        Map<String, String> labels,
        boolean external,
        boolean adopt,
        SourceRef source) {

    public static final String BRIDGE = "bridge";
    public static final String OVERLAY = "overlay";

    public NetworkSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stack, "stack");
        driver = driver == null || driver.isEmpty() ? BRIDGE : driver;
        ipam = ipam == null ? Ipam.DEFAULT : ipam;
        options = options == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(options));
        labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        source = source == null ? SourceRef.UNKNOWN : source;
    }

    /** Docker's predefined networks: never declared, created, changed or removed by stackwire. */
    public static boolean isPredefined(String name) {
        return "bridge".equals(name) || "host".equals(name) || "none".equals(name);
    }
}
