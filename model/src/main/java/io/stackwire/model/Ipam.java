package io.stackwire.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** IPAM settings of a network; an empty pool list means the daemon chooses the subnet. */
public record Ipam(String driver, List<IpamPool> pools, Map<String, String> options) {

    public static final String DEFAULT_DRIVER = "default";
    public static final Ipam DEFAULT = new Ipam(DEFAULT_DRIVER, List.of(), Map.of());

    public Ipam {
        driver = driver == null || driver.isEmpty() ? DEFAULT_DRIVER : driver;
        pools = pools == null ? List.of() : List.copyOf(pools);
        options = options == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(options));
    }
}
