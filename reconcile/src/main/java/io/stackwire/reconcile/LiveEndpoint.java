package io.stackwire.reconcile;

import java.util.List;
import java.util.Objects;

/**
 * One container's endpoint on one network, read from the container's own settings (so stopped
 * containers count too).
 *
 * @param aliases as configured, including the ones Docker adds itself (short ID); normalisation drops those
 * @param ipv4Config the static address configured (endpoint IPAM config), or null
 * @param ipv6Config the static IPv6 address configured, or null
 * @param ipv4Address the address in use now (empty while stopped), for reports only
 */
public record LiveEndpoint(
        String network,
        String networkId,
        List<String> aliases,
        String ipv4Config,
        String ipv6Config,
        String ipv4Address,
        String ipv6Address) {

    public LiveEndpoint {
        Objects.requireNonNull(network, "network");
        networkId = networkId == null ? "" : networkId;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ipv4Address = ipv4Address == null ? "" : ipv4Address;
        ipv6Address = ipv6Address == null ? "" : ipv6Address;
    }
}
