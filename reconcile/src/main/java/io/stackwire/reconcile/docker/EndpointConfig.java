package io.stackwire.reconcile.docker;

import java.util.List;

/**
 * A container's endpoint settings on one network, as sent to {@code docker network connect}.
 *
 * @param ipv4Address static address or null
 * @param ipv6Address static address or null
 */
public record EndpointConfig(List<String> aliases, String ipv4Address, String ipv6Address) {

    public static final EndpointConfig NONE = new EndpointConfig(List.of(), null, null);

    public EndpointConfig {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
