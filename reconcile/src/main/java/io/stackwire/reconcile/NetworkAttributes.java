package io.stackwire.reconcile;

import io.stackwire.model.IpAddress;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Network attributes (driver, flags, IPAM pools, driver options, labels) of a spec and of a live
 * network, shaped as {@link Normalizer} describes; every map and list returned is unmodifiable.
 */
final class NetworkAttributes {

    /** Well-known driver options and Docker's default for each; a default value equals "not set". */
    static final SortedMap<String, String> WELL_KNOWN_OPTIONS = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
            "com.docker.network.bridge.name", "",
            "com.docker.network.bridge.enable_icc", "true",
            "com.docker.network.bridge.enable_ip_masquerade", "true",
            "com.docker.network.bridge.host_binding_ipv4", "0.0.0.0",
            "com.docker.network.driver.mtu", "1500")));

    /** The overlay option that turns on IPsec; {@code --opt encrypted} sends it with an empty value. */
    static final String ENCRYPTED_OPTION = "encrypted";

    private static final Set<String> BOOLEAN_OPTIONS = Set.of(
            "com.docker.network.bridge.enable_icc",
            "com.docker.network.bridge.enable_ip_masquerade",
            "com.docker.network.bridge.inhibit_ipv4",
            "com.docker.network.enable_ipv6");

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private NetworkAttributes() {}

    /** The attributes a spec asks for. */
    static SortedMap<String, Object> network(NetworkSpec spec) {
        SortedMap<String, Object> m = common(spec.driver(), spec.internal(), spec.attachable(), spec.ipv6(),
                spec.encrypted() || spec.options().containsKey(ENCRYPTED_OPTION), spec.ipam());
        m.put("ipam.config", pools(spec.ipam().pools(), null));
        m.put("options", options(spec.options(), null));
        m.put("labels", labels(spec.labels()));
        return Collections.unmodifiableSortedMap(m);
    }

    /** All attributes of a live network, without a spec to compare with (deletes, fingerprints). */
    static SortedMap<String, Object> network(LiveNetwork live) {
        SortedMap<String, Object> m = common(live.driver(), live.internal(), live.attachable(), live.ipv6(),
                live.options().containsKey(ENCRYPTED_OPTION), live.ipam());
        m.put("ipam.config", pools(live.ipam().pools(), null));
        m.put("options", options(live.options(), null));
        m.put("labels", labels(live.labels()));
        return Collections.unmodifiableSortedMap(m);
    }

    /**
     * A live network's attributes as seen by a spec: pools of an address family the spec gives no
     * pool for are ignored (the daemon picked them), a gateway is ignored where the spec's pool of
     * that subnet names none, and options follow the driver options rule.
     */
    static SortedMap<String, Object> network(LiveNetwork live, NetworkSpec spec) {
        SortedMap<String, Object> m = common(live.driver(), live.internal(), live.attachable(), live.ipv6(),
                live.options().containsKey(ENCRYPTED_OPTION), live.ipam());
        m.put("ipam.config", pools(live.ipam().pools(), spec.ipam().pools()));
        m.put("options", options(live.options(), spec.options().keySet()));
        m.put("labels", labels(live.labels()));
        return Collections.unmodifiableSortedMap(m);
    }

    private static SortedMap<String, Object> common(
            String driver, boolean internal, boolean attachable, boolean ipv6, boolean encrypted, Ipam ipam) {
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("driver", driver == null || driver.isEmpty() ? NetworkSpec.BRIDGE : driver);
        m.put("internal", internal);
        m.put("attachable", attachable);
        m.put("ipv6", ipv6);
        m.put("encrypted", encrypted);
        String ipamDriver = ipam.driver();
        m.put("ipam.driver", ipamDriver == null || ipamDriver.isEmpty() ? Ipam.DEFAULT_DRIVER : ipamDriver);
        m.put("ipam.options", values(ipam.options()));
        return m;
    }

    /**
     * Pools as sorted maps {@code subnet, gateway, ip_range, aux_addresses}, sorted by subnet. With
     * {@code wanted} (the spec's pools) given, shapes live pools to what the spec controls.
     */
    private static List<Object> pools(List<IpamPool> pools, List<IpamPool> wanted) {
        Map<String, IpamPool> wantedBySubnet = new TreeMap<>();
        boolean wantV4 = false;
        boolean wantV6 = false;
        if (wanted != null) {
            for (IpamPool w : wanted) {
                wantedBySubnet.put(IpAddress.canonicalCidr(w.subnet()), w);
                wantV4 |= !w.isIpv6();
                wantV6 |= w.isIpv6();
            }
        }
        SortedMap<String, Object> bySubnet = new TreeMap<>();
        for (IpamPool p : pools) {
            if (wanted != null && (p.isIpv6() ? !wantV6 : !wantV4)) {
                continue;
            }
            String subnet = IpAddress.canonicalCidr(p.subnet());
            SortedMap<String, Object> m = new TreeMap<>();
            m.put("subnet", subnet == null ? "" : subnet);
            boolean keepGateway = wanted == null || (wantedBySubnet.containsKey(subnet)
                    && wantedBySubnet.get(subnet).gateway() != null);
            if (keepGateway && p.gateway() != null && !p.gateway().isBlank()) {
                m.put("gateway", IpAddress.canonical(p.gateway()));
            }
            if (p.ipRange() != null && !p.ipRange().isBlank()) {
                m.put("ip_range", IpAddress.canonicalCidr(p.ipRange()));
            }
            if (!p.auxAddresses().isEmpty()) {
                SortedMap<String, Object> aux = new TreeMap<>();
                p.auxAddresses().forEach((k, v) -> aux.put(k, IpAddress.canonical(v)));
                m.put("aux_addresses", Collections.unmodifiableSortedMap(aux));
            }
            bySubnet.put(subnet + "\u0000" + bySubnet.size(), Collections.unmodifiableSortedMap(m));
        }
        return List.copyOf(bySubnet.values());
    }

    /**
     * Driver options, without {@code encrypted}, with canonical values and well-known defaults
     * dropped. With {@code declared} given (comparing live against a spec), only the declared keys
     * and the well-known ones are kept.
     */
    private static SortedMap<String, Object> options(Map<String, String> options, Collection<String> declared) {
        SortedMap<String, Object> out = new TreeMap<>();
        options.forEach((k, v) -> {
            if (ENCRYPTED_OPTION.equals(k)) {
                return;
            }
            if (declared != null && !declared.contains(k) && !WELL_KNOWN_OPTIONS.containsKey(k)) {
                return;
            }
            String value = optionValue(k, v);
            String dflt = WELL_KNOWN_OPTIONS.get(k);
            if (dflt != null && !dflt.isEmpty() && optionValue(k, dflt).equals(value)) {
                return;
            }
            out.put(k, value);
        });
        return Collections.unmodifiableSortedMap(out);
    }

    private static SortedMap<String, Object> values(Map<String, String> options) {
        SortedMap<String, Object> out = new TreeMap<>();
        options.forEach((k, v) -> out.put(k, optionValue(k, v)));
        return Collections.unmodifiableSortedMap(out);
    }

    /** Canonical option value: Go-style booleans, integers without leading zeros, canonical IPs. */
    static String optionValue(String key, String value) {
        String v = value == null ? "" : value.trim();
        String bool = goBool(v);
        if (bool != null && (BOOLEAN_OPTIONS.contains(key) || !INTEGER.matcher(v).matches())) {
            return bool;
        }
        if (INTEGER.matcher(v).matches() && v.length() < 40) {
            return new BigInteger(v.startsWith("+") ? v.substring(1) : v).toString();
        }
        if (IpAddress.isLiteral(v)) {
            return IpAddress.canonical(v);
        }
        return v;
    }

    /** Go's strconv.ParseBool, which the daemon uses for boolean options. */
    private static String goBool(String v) {
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> "true";
            case "0", "f", "F", "FALSE", "false", "False" -> "false";
            default -> null;
        };
    }

    private static SortedMap<String, Object> labels(Map<String, String> labels) {
        SortedMap<String, Object> out = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (!Labels.isOwn(k)) {
                out.put(k, v == null ? "" : v);
            }
        });
        return Collections.unmodifiableSortedMap(out);
    }

    /** {@code io.stackwire.spec-hash}: the first 16 hex digits of SHA-256 over the normalised spec. */
    static String specHash(NetworkSpec spec) {
        return CanonicalJson.sha256Hex(CanonicalJson.of(network(spec))).substring(0, 16);
    }
}
