package io.stackwire.reconcile.daemon;

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

    /** The driver Docker reports for a configuration-only network (and refuses for any other new network). */
    public static final String CONFIG_ONLY_DRIVER = "null";

    /**
     * A configuration-only network: a name and labels in the daemon's store, with no bridge, no
     * address pool and no iptables rules, so creating and removing one costs the daemon about as
     * little as any write (the lease uses it as its lock record).
     */
    public static NetworkCreate configOnly(String name, Map<String, String> labels) {
        return new NetworkCreate(name, CONFIG_ONLY_DRIVER, false, false, false, null, null, labels);
    }

    public boolean isConfigOnly() {
        return CONFIG_ONLY_DRIVER.equals(driver);
    }
}
