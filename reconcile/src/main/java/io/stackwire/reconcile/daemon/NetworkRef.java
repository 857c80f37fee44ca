package io.stackwire.reconcile.daemon;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A network's identity, creation time and labels, as {@link DockerGateway#networksNamed} lists it. */
public record NetworkRef(String id, String name, Instant created, Map<String, String> labels) {

    public NetworkRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        created = created == null ? Instant.MAX : created;
        labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }
}
