package io.stackwire.reconcile.docker;

import io.stackwire.model.Ipam;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Everything needed to create a network; labels already include stackwire's ownership labels. */
public record NetworkCreate(
        String name,
        String driver,
        boolean internal,
        boolean attachable,
        boolean ipv6,
        Ipam ipam,
        Map<String, String> options,
        Map<String, String> labels) {

    public NetworkCreate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(driver, "driver");
        ipam = ipam == null ? Ipam.DEFAULT : ipam;
        options = options == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(options));
        labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }
}
