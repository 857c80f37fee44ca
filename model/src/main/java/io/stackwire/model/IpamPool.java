package io.stackwire.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One IPAM pool of a network. Addresses are kept in canonical text (IPv6 compressed, lower case),
 * so equal pools compare equal.
 *
 * @param gateway null when the daemon may pick one
 * @param ipRange null when containers may get any address of the subnet
 */
public record IpamPool(String subnet, String gateway, String ipRange, Map<String, String> auxAddresses) {

    public IpamPool {
        auxAddresses = auxAddresses == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(auxAddresses));
    }

    public boolean isIpv6() {
        return subnet != null && subnet.contains(":");
    }
}
