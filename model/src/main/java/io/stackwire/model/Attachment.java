package io.stackwire.model;

import java.util.List;
import java.util.Objects;

/**
 * A container's membership in one network.
 *
 * @param aliases extra DNS names on that network (order kept as written; compared as a set)
 * @param ipv4Address static address, or null for one the daemon assigns
 * @param ipv6Address static address, or null
 */
public record Attachment(String network, List<String> aliases, String ipv4Address, String ipv6Address, SourceRef source) {

    public Attachment {
        Objects.requireNonNull(network, "network");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        source = source == null ? SourceRef.UNKNOWN : source;
    }
}
