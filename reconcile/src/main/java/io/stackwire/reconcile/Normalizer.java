package io.stackwire.reconcile;

import io.stackwire.model.IpAddress;
import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.PortBinding;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns spec and live resources into comparable attribute maps, so nothing that is really equal
 * ever shows as a change (the gitops-engine "normalise, then compare" rule). Values are only
 * {@code String}, {@code Boolean}, {@code List} and {@code SortedMap}, so maps compare with
 * {@code equals} and serialise deterministically ({@link #canonicalJson}).
 *
 * <p>Network attribute keys: {@code driver, internal, attachable, ipv6, encrypted, ipam.driver,
 * ipam.config, ipam.options, options, labels}. Attachment keys: {@code aliases, ipv4_address,
 * ipv6_address} (absent when not set).
 *
 * <p><b>Driver options rule.</b> The daemon adds options of its own (overlay
 * {@code com.docker.network.driver.overlay.vxlanid_list}; on newer engines whatever
 * {@code default-network-opts} says). So a live network's options are compared only for the keys
 * the spec declares, plus the {@link #WELL_KNOWN_OPTIONS} (settings people change by hand), and a
 * well-known option whose value is Docker's default counts as absent on both sides. The option
 * {@code encrypted} is the {@code encrypted} attribute, never an option.
 */
public final class Normalizer {

    /** Well-known driver options and Docker's default for each; a default value equals "not set". */
    public static final SortedMap<String, String> WELL_KNOWN_OPTIONS = new TreeMap<>(Map.of(
            "com.docker.network.bridge.name", "",
            "com.docker.network.bridge.enable_icc", "true",
            "com.docker.network.bridge.enable_ip_masquerade", "true",
            "com.docker.network.bridge.host_binding_ipv4", "0.0.0.0",
            "com.docker.network.driver.mtu", "1500"));

    /** The overlay option that turns on IPsec; {@code --opt encrypted} sends it with an empty value. */
    public static final String ENCRYPTED_OPTION = "encrypted";

    private static final Set<String> BOOLEAN_OPTIONS = Set.of(
            "com.docker.network.bridge.enable_icc",
            "com.docker.network.bridge.enable_ip_masquerade",
            "com.docker.network.bridge.inhibit_ipv4",
            "com.docker.network.enable_ipv6");

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private Normalizer() {}

    // ---- networks ------------------------------------------------------------------------------

    /** The attributes a spec asks for. */
    public static SortedMap<String, Object> network(NetworkSpec spec) {
        SortedMap<String, Object> m = common(spec.driver(), spec.internal(), spec.attachable(), spec.ipv6(),
                spec.encrypted() || spec.options().containsKey(ENCRYPTED_OPTION), spec.ipam());
        m.put("ipam.config", pools(spec.ipam().pools(), null));
        m.put("options", options(spec.options(), null));
        m.put("labels", labels(spec.labels()));
        return m;
    }

    /** All attributes of a live network, without a spec to compare with (deletes, fingerprints). */
    public static SortedMap<String, Object> network(LiveNetwork live) {
        SortedMap<String, Object> m = common(live.driver(), live.internal(), live.attachable(), live.ipv6(),
                live.options().containsKey(ENCRYPTED_OPTION), live.ipam());
        m.put("ipam.config", pools(live.ipam().pools(), null));
        m.put("options", options(live.options(), null));
        m.put("labels", labels(live.labels()));
        return m;
    }

    /**
     * A live network's attributes as seen by a spec: pools of an address family the spec gives no
     * pool for are ignored (the daemon picked them), a gateway is ignored where the spec's pool of
     * that subnet names none, and options follow the driver options rule.
     */
    public static SortedMap<String, Object> network(LiveNetwork live, NetworkSpec spec) {
        SortedMap<String, Object> m = common(live.driver(), live.internal(), live.attachable(), live.ipv6(),
                live.options().containsKey(ENCRYPTED_OPTION), live.ipam());
        m.put("ipam.config", pools(live.ipam().pools(), spec.ipam().pools()));
        m.put("options", options(live.options(), spec.options().keySet()));
        m.put("labels", labels(live.labels()));
        return m;
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
                m.put("aux_addresses", aux);
            }
            bySubnet.put(subnet + "\u0000" + bySubnet.size(), m);
        }
        return new ArrayList<>(bySubnet.values());
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
        return out;
    }

    private static SortedMap<String, Object> values(Map<String, String> options) {
        SortedMap<String, Object> out = new TreeMap<>();
        options.forEach((k, v) -> out.put(k, optionValue(k, v)));
        return out;
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
        return out;
    }

    /** {@code io.stackwire.spec-hash}: the first 16 hex digits of SHA-256 over the normalised spec. */
    public static String specHash(NetworkSpec spec) {
        return sha256Hex(canonicalJson(network(spec))).substring(0, 16);
    }

    // ---- attachments ---------------------------------------------------------------------------

    /**
     * The aliases Docker adds on its own, dropped on both sides before comparing: the full ID, the
     * short ID (API 1.41 lists it in {@code Aliases}; 1.44 and later only in {@code DNSNames}), the
     * name, and the hostname (added on user-defined networks when it differs from the name; it
     * defaults to the short ID). Dropping them on both sides is also what makes a declared alias
     * equal to one of them no difference: Docker resolves it whether or not the endpoint lists it,
     * and does not list it twice.
     */
    public static Set<String> autoAliases(LiveContainer c) {
        TreeSet<String> auto = new TreeSet<>(List.of(c.id(), c.shortId(), c.name()));
        if (!c.hostname().isBlank()) {
            auto.add(c.hostname().trim());
        }
        return Set.copyOf(auto);
    }

    /** A spec attachment's attributes; {@code live} (may be null) supplies the auto aliases to drop. */
    public static SortedMap<String, Object> attachment(Attachment a, String container, LiveContainer live) {
        Set<String> auto = live == null ? Set.of(container) : autoAliases(live);
        return endpointAttributes(a.aliases(), auto, a.ipv4Address(), a.ipv6Address());
    }

    /** A live endpoint's configured attributes (not its runtime addresses). */
    public static SortedMap<String, Object> endpoint(LiveEndpoint e, LiveContainer c) {
        return endpointAttributes(e.aliases(), autoAliases(c), e.ipv4Config(), e.ipv6Config());
    }

    /**
     * The live state with the addresses a swarm allocated taken out of the endpoint configs, where
     * the spec did not ask for them. On a swarm-scoped network the daemon writes the address the
     * manager allocated into the endpoint's IPAM config, so a configured address there is not known
     * to be static: it counts only where the spec declares one (and is compared then). Without this,
     * every attachment to an overlay would plan a reconnect, and a replaced overlay would try to
     * keep the old allocation. Everything else is returned as it was.
     */
    public static LiveState withoutSwarmAllocations(LiveState live, Map<String, ContainerSpec> declared) {
        SortedMap<String, LiveContainer> containers = new TreeMap<>();
        boolean changed = false;
        for (LiveContainer c : live.containers().values()) {
            List<LiveEndpoint> endpoints = new ArrayList<>(c.endpoints().size());
            boolean mine = false;
            for (LiveEndpoint e : c.endpoints()) {
                LiveNetwork n = live.network(e.network());
                boolean swarm = n != null && "swarm".equals(n.scope());
                if (swarm && (e.ipv4Config() != null || e.ipv6Config() != null)) {
                    Attachment a = attachmentOf(declared.get(c.name()), e.network());
                    String v4 = a != null && a.ipv4Address() != null && !a.ipv4Address().isBlank() ? e.ipv4Config() : null;
                    String v6 = a != null && a.ipv6Address() != null && !a.ipv6Address().isBlank() ? e.ipv6Config() : null;
                    if (!Objects.equals(v4, e.ipv4Config()) || !Objects.equals(v6, e.ipv6Config())) {
                        e = new LiveEndpoint(e.network(), e.networkId(), e.aliases(), v4, v6, e.ipv4Address(), e.ipv6Address(), e.driverOpts());
                        mine = true;
                    }
                }
                endpoints.add(e);
            }
            if (mine) {
                c = new LiveContainer(c.id(), c.name(), c.running(), c.networkMode(), c.labels(), endpoints,
                        c.configuredPorts(), c.actualPorts(), c.hostname());
                changed = true;
            }
            containers.put(c.name(), c);
        }
        return changed ? new LiveState(live.networks(), containers, live.swarm(), live.apiVersion()) : live;
    }

    private static Attachment attachmentOf(ContainerSpec spec, String network) {
        if (spec != null) {
            for (Attachment a : spec.attachments()) {
                if (a.network().equals(network)) {
                    return a;
                }
            }
        }
        return null;
    }

    /** Aliases as a sorted set without Docker's own; what a reconnect must send. */
    public static List<String> aliases(Collection<String> aliases, Set<String> auto) {
        TreeSet<String> out = new TreeSet<>();
        for (String a : aliases) {
            if (a != null && !a.isBlank() && !auto.contains(a.trim())) {
                out.add(a.trim());
            }
        }
        return List.copyOf(out);
    }

    private static SortedMap<String, Object> endpointAttributes(
            Collection<String> aliases, Set<String> auto, String ipv4, String ipv6) {
        SortedMap<String, Object> m = new TreeMap<>();
        List<String> al = aliases(aliases, auto);
        if (!al.isEmpty()) {
            m.put("aliases", al);
        }
        String v4 = IpAddress.canonical(ipv4);
        if (v4 != null) {
            m.put("ipv4_address", v4);
        }
        String v6 = IpAddress.canonical(ipv6);
        if (v6 != null) {
            m.put("ipv6_address", v6);
        }
        return m;
    }

    // ---- port bindings -------------------------------------------------------------------------

    /** Port bindings by container port, protocol, host address, host port: the order every list of them is shown in. */
    public static final java.util.Comparator<PortBinding> PORT_ORDER = java.util.Comparator
            .comparing(PortBinding::protocol)
            .thenComparing(PortBinding::hostIp)
            .thenComparingInt(PortBinding::containerPortStart)
            .thenComparingInt(PortBinding::hostPortStart)
            .thenComparingInt(PortBinding::hostPortEnd);

    /**
     * A binding's host address as compared: empty (every interface) for {@code ""} and
     * {@code 0.0.0.0}, which Docker treats alike; any other address canonical ({@code ::} stays: it
     * is every IPv6 interface only).
     */
    public static String hostIp(String ip) {
        if (ip == null || ip.isBlank() || "0.0.0.0".equals(ip.trim())) {
            return "";
        }
        String canonical = IpAddress.canonical(ip.trim());
        return canonical == null ? ip.trim() : canonical;
    }

    /**
     * Bindings compared one per container port, with host addresses normalised, sorted and without
     * duplicates: {@code 5000-5100:2000-2100} is 101 bindings; {@code 443} keeps host port 0
     * (random), so it equals the container's stored {@code 443} whatever port Docker picked; and a
     * {@code 0.0.0.0} and a {@code ::} binding of the same ports (how the daemon reports one binding
     * on every interface) are one binding on every interface.
     */
    public static List<PortBinding> ports(Collection<PortBinding> bindings) {
        List<PortBinding> singles = new ArrayList<>();
        Set<String> everyV4 = new java.util.HashSet<>();
        for (PortBinding b : bindings) {
            for (PortBinding one : b.expand()) {
                PortBinding n = new PortBinding(hostIp(one.hostIp()), one.hostPortStart(), one.hostPortEnd(),
                        one.containerPortStart(), one.containerPortEnd(), one.protocol());
                singles.add(n);
                if (n.hostIp().isEmpty()) {
                    everyV4.add(twinKey(n));
                }
            }
        }
        TreeSet<PortBinding> out = new TreeSet<>(PORT_ORDER);
        for (PortBinding n : singles) {
            if (!("::".equals(n.hostIp()) && everyV4.contains(twinKey(n)))) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    private static String twinKey(PortBinding b) {
        return b.hostPortStart() + "-" + b.hostPortEnd() + ":" + b.containerPortStart() + "/" + b.protocol();
    }

    /** Runtime bindings ({@code docker port}, random host ports resolved), normalised as {@link #ports}. */
    public static List<PortBinding> actualPorts(Collection<PortBinding> bindings) {
        return ports(bindings);
    }

    /**
     * Canonical {@code -p} strings of normalised single bindings, runs of consecutive ports merged
     * back into ranges: 101 bindings print as {@code 5000-5100:2000-2100}.
     */
    public static List<String> portTexts(Collection<PortBinding> normalised) {
        List<PortBinding> sorted = new ArrayList<>(normalised);
        sorted.sort(PORT_ORDER);
        List<String> out = new ArrayList<>();
        PortBinding run = null;
        for (PortBinding b : sorted) {
            if (run != null && extends_(run, b)) {
                int hostEnd = run.randomHostPort() ? 0 : b.hostPortEnd();
                run = new PortBinding(run.hostIp(), run.hostPortStart(), hostEnd, run.containerPortStart(),
                        b.containerPortEnd(), run.protocol());
                continue;
            }
            if (run != null) {
                out.add(run.toString());
            }
            run = b;
        }
        if (run != null) {
            out.add(run.toString());
        }
        return out;
    }

    private static boolean extends_(PortBinding run, PortBinding b) {
        if (run.protocol() != b.protocol() || !run.hostIp().equals(b.hostIp())
                || b.containerPortStart() != run.containerPortEnd() + 1 || b.size() != 1) {
            return false;
        }
        if (run.randomHostPort() || b.randomHostPort()) {
            return run.randomHostPort() && b.randomHostPort();
        }
        boolean singleHost = run.hostPortEnd() - run.hostPortStart() == run.containerPortEnd() - run.containerPortStart();
        return singleHost && b.hostPortStart() == b.hostPortEnd() && b.hostPortStart() == run.hostPortEnd() + 1;
    }

    // ---- canonical serialisation ---------------------------------------------------------------

    /**
     * Deterministic JSON of a normalised value (String, Boolean, Number, List, Map with its keys
     * sorted), for hashes and fingerprints.
     */
    public static String canonicalJson(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            quote(b, s);
        } else if (v instanceof Boolean || v instanceof Number) {
            b.append(v);
        } else if (v instanceof Map<?, ?> map) {
            Map<?, ?> sorted = map;
            if (!(map instanceof SortedMap<?, ?> sm && sm.comparator() == null && allStringKeys(sm))) {
                TreeMap<String, Object> copy = new TreeMap<>();
                map.forEach((k, x) -> copy.put(String.valueOf(k), x));
                sorted = copy;
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : sorted.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                quote(b, (String) e.getKey());
                b.append(':');
                write(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof Collection<?> list) {
            b.append('[');
            boolean first = true;
            for (Object x : list) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                write(b, x);
            }
            b.append(']');
        } else {
            quote(b, v.toString());
        }
    }

    private static boolean allStringKeys(SortedMap<?, ?> m) {
        return m.isEmpty() || m.firstKey() instanceof String;
    }

    private static void quote(StringBuilder b, String s) {
        if (plain(s)) {
            b.append('"').append(s).append('"');
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes. */
    public static String sha256Hex(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
