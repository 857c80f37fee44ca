package io.stackwire.reconcile;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One container's endpoint on one network, read from the container's own settings (so stopped
 * containers count too).
 *
 * @param aliases as configured, including the ones Docker adds itself (short ID); normalisation drops those
 * @param ipv4Config the static address configured (endpoint IPAM config), or null
 * @param ipv6Config the static IPv6 address configured, or null
 * @param ipv4Address the address in use now (empty while stopped), for reports only
 * @param driverOpts the endpoint's driver options: where the controller loop stamps who connected
 *     it ({@code io.stackwire.controller}, {@code .revision}, {@code .connected}); never compared
 */
public record LiveEndpoint(
        String network,
        String networkId,
        List<String> aliases,
        String ipv4Config,
        String ipv6Config,
        String ipv4Address,
        String ipv6Address,
        Map<String, String> driverOpts) {

    public LiveEndpoint {
        Objects.requireNonNull(network, "network");
        networkId = networkId == null ? "" : networkId;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ipv4Address = ipv4Address == null ? "" : ipv4Address;
        ipv6Address = ipv6Address == null ? "" : ipv6Address;
        driverOpts = driverOpts == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(driverOpts));
    }

    /** Without driver options (read from a snapshot, or made by hand). */
    public LiveEndpoint(String network, String networkId, List<String> aliases, String ipv4Config, String ipv6Config,
            String ipv4Address, String ipv6Address) {
        this(network, networkId, aliases, ipv4Config, ipv6Config, ipv4Address, ipv6Address, Map.of());
    }
}
