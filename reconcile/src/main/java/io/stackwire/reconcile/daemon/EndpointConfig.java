package io.stackwire.reconcile.daemon;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's endpoint settings on one network, as sent to {@code docker network connect}.
 *
 * @param ipv4Address static address or null
 * @param ipv6Address static address or null
 * @param driverOpts the endpoint's driver options; the controller loop stamps who connected it
 *     there (Docker keeps them with the endpoint, and drivers ignore keys they do not know), since
 *     an endpoint has no labels. Empty from the planner.
 */
public record EndpointConfig(List<String> aliases, String ipv4Address, String ipv6Address, Map<String, String> driverOpts) {

    public static final EndpointConfig NONE = new EndpointConfig(List.of(), null, null);

    public EndpointConfig {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        driverOpts = driverOpts == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(driverOpts));
    }

    public EndpointConfig(List<String> aliases, String ipv4Address, String ipv6Address) {
        this(aliases, ipv4Address, ipv6Address, Map.of());
    }

    /** The same endpoint, with {@code opts} added to its driver options. */
    public EndpointConfig withDriverOpts(Map<String, String> opts) {
        Map<String, String> all = new TreeMap<>(driverOpts);
        all.putAll(opts);
        return new EndpointConfig(aliases, ipv4Address, ipv6Address, all);
    }
}
