package io.stackwire.reconcile.plan;

import java.util.Objects;

/**
 * One endpoint a change touches, so a reviewer sees who loses connectivity.
 *
 * @param managed the container is declared in the spec
 * @param running the container is running now (a stopped one loses its network only on next start)
 */
public record EndpointRef(String container, String network, boolean managed, boolean running) {

    public EndpointRef {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(network, "network");
    }
}
