package io.stackwire.reconcile;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.PortBinding;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Turns spec and live resources into comparable attribute maps, so nothing that is really equal
 * ever shows as a change (the gitops-engine "normalise, then compare" rule). Values are only
 * {@code String}, {@code Boolean}, {@code List} and {@code SortedMap}, so maps compare with
 * {@code equals} and serialise deterministically ({@link #canonicalJson}).
 *
 * <p>Network attribute keys: {@code driver, internal, attachable, ipv6, encrypted, ipam.driver,
 * ipam.config, ipam.options, options, labels}. Attachment keys: {@code aliases, ipv4_address,
 * ipv6_address} (absent when not set). What is returned is unmodifiable.
 *
 * <p><b>Driver options rule.</b> The daemon adds options of its own (overlay
 * {@code com.docker.network.driver.overlay.vxlanid_list}; on newer engines whatever
 * {@code default-network-opts} says). So a live network's options are compared only for the keys
 * the spec declares, plus the {@link #WELL_KNOWN_OPTIONS} (settings people change by hand), and a
 * well-known option whose value is Docker's default counts as absent on both sides. The option
 * {@code encrypted} is the {@code encrypted} attribute, never an option.
 */
public final class Normalizer {
    // One entry point per kind; the work is in NetworkAttributes, EndpointAttributes,
    // PortBindings and CanonicalJson.

    /** Well-known driver options and Docker's default for each; a default value equals "not set". */
    public static final SortedMap<String, String> WELL_KNOWN_OPTIONS = NetworkAttributes.WELL_KNOWN_OPTIONS;

    /** The overlay option that turns on IPsec; {@code --opt encrypted} sends it with an empty value. */
    public static final String ENCRYPTED_OPTION = NetworkAttributes.ENCRYPTED_OPTION;

    /** The one order of normalised port bindings: protocol, host address, container port, host port. */
    public static final Comparator<PortBinding> PORT_ORDER = PortBindings.ORDER;

    private Normalizer() {}

    // ---- networks ------------------------------------------------------------------------------

    /** The attributes a spec asks for. */
    public static SortedMap<String, Object> network(NetworkSpec spec) {
        return NetworkAttributes.network(spec);
    }

    /** All attributes of a live network, without a spec to compare with (deletes, fingerprints). */
    public static SortedMap<String, Object> network(LiveNetwork live) {
        return NetworkAttributes.network(live);
    }

    /**
     * A live network's attributes as seen by a spec: pools of an address family the spec gives no
     * pool for are ignored (the daemon picked them), a gateway is ignored where the spec's pool of
     * that subnet names none, and options follow the driver options rule.
     */
    public static SortedMap<String, Object> network(LiveNetwork live, NetworkSpec spec) {
        return NetworkAttributes.network(live, spec);
    }

    /** {@code io.stackwire.spec-hash}: the first 16 hex digits of SHA-256 over the normalised spec. */
    public static String specHash(NetworkSpec spec) {
        return NetworkAttributes.specHash(spec);
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
        return EndpointAttributes.autoAliases(c);
    }

    /** A spec attachment's attributes; {@code live} (may be null) supplies the auto aliases to drop. */
    public static SortedMap<String, Object> attachment(Attachment a, String container, LiveContainer live) {
        return EndpointAttributes.attachment(a, container, live);
    }

    /** A live endpoint's configured attributes (not its runtime addresses). */
    public static SortedMap<String, Object> endpoint(LiveEndpoint e, LiveContainer c) {
        return EndpointAttributes.endpoint(e, c);
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
        return EndpointAttributes.withoutSwarmAllocations(live, declared);
    }

    /** Aliases as a sorted set without Docker's own; what a reconnect must send. */
    public static List<String> aliases(Collection<String> aliases, Set<String> auto) {
        return EndpointAttributes.aliases(aliases, auto);
    }

    // ---- port bindings -------------------------------------------------------------------------

    /**
     * A binding's host address as compared: empty (every interface) for {@code ""} and
     * {@code 0.0.0.0}, which Docker treats alike; any other address canonical ({@code ::} stays: it
     * is every IPv6 interface only).
     */
    public static String hostIp(String ip) {
        return PortBindings.hostIp(ip);
    }

    /**
     * Bindings compared one per container port, with host addresses normalised, sorted and without
     * duplicates: {@code 5000-5100:2000-2100} is 101 bindings; {@code 443} keeps host port 0
     * (random), so it equals the container's stored {@code 443} whatever port Docker picked; and a
     * {@code 0.0.0.0} and a {@code ::} binding of the same ports (how the daemon reports one binding
     * on every interface) are one binding on every interface.
     */
    public static List<PortBinding> ports(Collection<PortBinding> bindings) {
        return PortBindings.normalised(bindings);
    }

    /** Runtime bindings ({@code docker port}, random host ports resolved), normalised as {@link #ports}. */
    public static List<PortBinding> actualPorts(Collection<PortBinding> bindings) {
        return PortBindings.normalised(bindings);
    }

    /**
     * Canonical {@code -p} strings of normalised single bindings, runs of consecutive ports merged
     * back into ranges: 101 bindings print as {@code 5000-5100:2000-2100}.
     */
    public static List<String> portTexts(Collection<PortBinding> normalised) {
        return PortBindings.texts(normalised);
    }

    /**
     * The {@code -p} texts of the normalised single bindings, sorted as text: the port facts of
     * fingerprints and plan dependencies (whose hashes saved plans carry, so this order stays).
     */
    public static List<String> portKeys(Collection<PortBinding> bindings) {
        return PortBindings.keys(bindings);
    }

    // ---- canonical serialisation ---------------------------------------------------------------

    /**
     * Deterministic JSON of a normalised value (String, Boolean, Number, List, Map with its keys
     * sorted), for hashes and fingerprints.
     */
    public static String canonicalJson(Object value) {
        return CanonicalJson.of(value);
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes. */
    public static String sha256Hex(String text) {
        return CanonicalJson.sha256Hex(text);
    }
}
