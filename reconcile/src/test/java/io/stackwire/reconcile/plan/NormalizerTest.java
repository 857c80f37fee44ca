package io.stackwire.reconcile.plan;

import io.stackwire.model.IpAddress;
import static io.stackwire.reconcile.plan.Fx.net;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.stackwire.model.Attachment;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class NormalizerTest {

    // ---- addresses -----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1                     | 10.0.0.1
            010.000.000.005              | 10.0.0.5
            ' 192.168.1.1 '              | 192.168.1.1
            2001:DB8:0:0:0:0:0:1         | 2001:db8::1
            2001:db8::0001               | 2001:db8::1
            2001:0db8:0000:0000:1:0:0:1  | 2001:db8::1:0:0:1
            [fd00::1]                    | fd00::1
            ::                           | ::
            ::1                          | ::1
            fe80::1%eth0                 | fe80::1%eth0
            ::ffff:10.0.0.1              | ::ffff:10.0.0.1
            ::FFFF:A00:1                 | ::ffff:10.0.0.1
            2001:db8:0:1:1:1:1:1         | 2001:db8:0:1:1:1:1:1
            1:0:0:2:0:0:0:3              | 1:0:0:2::3
            not-an-ip                    | not-an-ip
            256.1.1.1                    | 256.1.1.1
            1::2::3                      | 1::2::3
            """)
    void canonicalisesIpLiteralsWithoutResolvingNames(String in, String want) {
        assertThat(IpAddress.canonical(in)).isEqualTo(want);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.1.0.0/24              | 10.1.0.0/24
            10.1.0.0/024             | 10.1.0.0/24
            2001:DB8:0::/64          | 2001:db8::/64
            FD00:0:0:0::/48          | fd00::/48
            10.1.0.0/abc             | 10.1.0.0/abc
            """)
    void canonicalisesCidrs(String in, String want) {
        assertThat(IpAddress.canonicalCidr(in)).isEqualTo(want);
    }

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.1.0.50     | 10.1.0.0/24     | true
            10.1.1.50     | 10.1.0.0/24     | false
            10.1.0.50     | 10.0.0.0/8      | true
            10.1.0.50     | 0.0.0.0/0       | true
            172.17.0.2    | 172.16.0.0/12   | true
            172.32.0.2    | 172.16.0.0/12   | false
            fd00:1::5     | fd00:1::/64     | true
            fd00:2::5     | fd00:1::/64     | false
            FD00:1:0:0::5 | fd00:1::/48     | true
            10.1.0.5      | fd00:1::/64     | false
            nonsense      | 10.1.0.0/24     | false
            10.1.0.5      | 10.1.0.0        | false
            """)
    void testsSubnetMembership(String ip, String cidr, boolean in) {
        assertThat(IpAddress.inSubnet(ip, cidr)).isEqualTo(in);
    }

    @Test
    void blankAddressesAreAbsent() {
        assertThat(IpAddress.canonical(null)).isNull();
        assertThat(IpAddress.canonical(" ")).isNull();
        assertThat(IpAddress.canonicalCidr("")).isNull();
    }

    // ---- networks: nothing really equal shows as a change ---------------------------------------

    static Stream<Arguments> equalPairs() {
        return Stream.of(
                arguments("created from the spec (own labels, daemon pool)", net("a"), same()),
                arguments("ipam driver empty vs default", net("a").subnet("10.1.0.0/24"),
                        live(l -> copy(l, new Ipam("", l.ipam().pools(), null), null, null))),
                arguments("daemon-picked pool when the spec gives none", net("a"),
                        live(l -> copy(l, new Ipam("default", List.of(new IpamPool("192.168.99.0/24", "192.168.99.1", null, null)), null), null, null))),
                arguments("daemon-picked gateway when the pool names none", net("a").subnet("10.1.0.0/24"), same()),
                arguments("overlay vxlan id the daemon adds", net("a").overlay(), same()),
                arguments("numbers vs strings in options", net("a").option("com.docker.network.driver.mtu", "9000"),
                        live(l -> copy(l, null, Map.of("com.docker.network.driver.mtu", "09000"), null))),
                arguments("go booleans in boolean options", net("a").option("com.docker.network.bridge.enable_icc", "false"),
                        live(l -> copy(l, null, Map.of("com.docker.network.bridge.enable_icc", "0"), null))),
                arguments("well-known option at docker's default", net("a"),
                        live(l -> copy(l, null, Map.of("com.docker.network.driver.mtu", "1500",
                                "com.docker.network.bridge.enable_icc", "true"), null))),
                arguments("declared option at docker's default, absent live",
                        net("a").option("com.docker.network.bridge.enable_ip_masquerade", "true"),
                        live(l -> copy(l, null, Map.of(), null))),
                arguments("pool order", net("a").ipv6().subnet("fd00:1::/64").subnet("10.1.0.0/24"),
                        live(l -> copy(l, new Ipam("default", reversed(l.ipam().pools()), null), null, null))),
                arguments("ipv6 text forms", net("a").ipv6().pool("2001:DB8:0:0::/64", "2001:db8::0001"),
                        live(l -> copy(l, new Ipam("default", List.of(
                                new IpamPool("2001:db8::/64", "2001:db8::1", null, null),
                                new IpamPool("172.20.0.0/16", "172.20.0.1", null, null)), null), null, null))),
                arguments("daemon-picked ipv6 pool when the spec gives only ipv4", net("a").ipv6().subnet("10.1.0.0/24"), same()),
                arguments("encrypted flag vs the encrypted option", net("a").overlay().encrypted(), same()),
                arguments("encrypted written as an option", net("a").overlay().option("encrypted", ""),
                        live(l -> copy(l, null, Map.of("encrypted", "true"), null))),
                arguments("empty labels vs none", net("a"),
                        live(l -> copy(l, null, null, Map.of("io.stackwire.managed", "true")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equalPairs")
    void reportsNoDifferenceWhenOnlyTheFormDiffers(String name, Fx.N spec, UnaryOperator<LiveNetwork> liveOf) {
        NetworkSpec s = spec.spec();
        LiveNetwork l = liveOf.apply(spec.live());
        assertThat(Normalizer.network(l, s)).isEqualTo(Normalizer.network(s));
    }

    static Stream<Arguments> differingPairs() {
        return Stream.of(
                arguments(net("a").subnet("10.1.0.0/24"), net("a").subnet("10.2.0.0/24"), "ipam.config",
                        "subnet changed: 10.2.0.0/24 -> 10.1.0.0/24"),
                arguments(net("a").pool("10.1.0.0/24", "10.1.0.254"), net("a").pool("10.1.0.0/24", "10.1.0.1"), "ipam.config",
                        "gateway of 10.1.0.0/24 changed: 10.1.0.1 -> 10.1.0.254"),
                arguments(net("a").internal(), net("a"), "internal", "internal changed: false -> true"),
                arguments(net("a").attachable(), net("a"), "attachable", "attachable changed: false -> true"),
                arguments(net("a").ipv6(), net("a"), "ipv6", "ipv6 changed: false -> true"),
                arguments(net("a").driver("macvlan"), net("a"), "driver", "driver changed: bridge -> macvlan"),
                arguments(net("a").overlay().encrypted(), net("a").overlay(), "encrypted", "encrypted changed: false -> true"),
                arguments(net("a").label("team", "b"), net("a").label("team", "a"), "labels", "label team changed: a -> b"),
                arguments(net("a").option("com.docker.network.driver.mtu", "9000"), net("a"), "options",
                        "option com.docker.network.driver.mtu changed: (none) -> 9000"),
                arguments(net("a"), net("a").option("com.docker.network.driver.mtu", "9000"), "options",
                        "option com.docker.network.driver.mtu changed: 9000 -> (none)"),
                arguments(net("a"), net("a").option("com.docker.network.bridge.name", "br-x"), "options",
                        "option com.docker.network.bridge.name changed: br-x -> (none)"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("differingPairs")
    void namesEachDifferingAttribute(Fx.N want, Fx.N had, String key, String sentence) {
        NetworkSpec s = want.spec();
        var before = Normalizer.network(had.live(), s);
        var after = Normalizer.network(s);
        List<String> forces = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        Reasons.networkDiff(before, after, forces, parts);
        assertThat(forces).containsExactly(key);
        assertThat(parts).containsExactly(sentence);
    }

    @Test
    void ignoresUndeclaredDaemonOptionsButNotHandSetWellKnownOnes() {
        NetworkSpec s = net("a").spec();
        LiveNetwork l = copy(net("a").live(), null, Map.of("com.example.vendor", "x", "com.docker.network.driver.mtu", "1400"), null);
        assertThat(Normalizer.network(l, s).get("options")).isEqualTo(new TreeMap<>(Map.of("com.docker.network.driver.mtu", "1400")));
    }

    @Test
    void fullLiveFormKeepsEveryPoolAndGateway() {
        LiveNetwork l = net("a").live();
        assertThat(Normalizer.network(l).get("ipam.config").toString()).contains("gateway=172.");
    }

    @Test
    void specHashIsStableAndSixteenHexDigits() {
        NetworkSpec a = net("a").label("x", "1").label("y", "2").spec();
        NetworkSpec b = net("a").label("y", "2").label("x", "1").spec();
        assertThat(Normalizer.specHash(a)).hasSize(16).matches("[0-9a-f]{16}").isEqualTo(Normalizer.specHash(b));
        assertThat(Normalizer.specHash(net("a").internal().spec())).isNotEqualTo(Normalizer.specHash(a));
    }

    @Test
    void canonicalJsonSortsKeysAndEscapes() {
        assertThat(Normalizer.canonicalJson(Map.of("b", List.of(1, true), "a", "q\"\n")))
                .isEqualTo("{\"a\":\"q\\\"\\n\",\"b\":[1,true]}");
    }

    // ---- attachments ---------------------------------------------------------------------------

    @Test
    void dropsDockersOwnAliasesOnBothSides() {
        LiveContainer c = Fx.running("web");
        LiveEndpoint e = new LiveEndpoint("front", "id", List.of("www", c.shortId(), c.id(), "web", "api", "www"), null, null, "", "");
        Attachment a = new Attachment("front", List.of("api", "www", "web"), null, null, null);
        assertThat(Normalizer.endpoint(e, c)).isEqualTo(Normalizer.attachment(a, "web", c));
        assertThat(Normalizer.endpoint(e, c).get("aliases")).isEqualTo(List.of("api", "www"));
    }

    @Test
    void comparesStaticAddressesCanonically() {
        LiveContainer c = Fx.running("web");
        LiveEndpoint e = new LiveEndpoint("front", "id", List.of(), "10.0.0.5", "FD00:0::0005", "", "");
        Attachment a = new Attachment("front", List.of(), "10.0.0.005", "fd00::5", null);
        assertThat(Normalizer.endpoint(e, c)).isEqualTo(Normalizer.attachment(a, "web", c));
    }

    @Test
    void treatsNoStaticAddressAndBlankAsEqual() {
        LiveContainer c = Fx.running("web");
        LiveEndpoint e = new LiveEndpoint("front", "id", List.of(), "", null, "10.0.0.9", "");
        Attachment a = new Attachment("front", List.of(), null, null, null);
        assertThat(Normalizer.endpoint(e, c)).isEqualTo(Normalizer.attachment(a, "web", c)).isEmpty();
    }

    @Test
    void specAttachmentWithoutLiveContainerDropsItsOwnName() {
        Attachment a = new Attachment("front", List.of("web", "api"), null, null, null);
        assertThat(Normalizer.attachment(a, "web", null).get("aliases")).isEqualTo(List.of("api"));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static UnaryOperator<LiveNetwork> same() {
        return l -> l;
    }

    private static UnaryOperator<LiveNetwork> live(UnaryOperator<LiveNetwork> f) {
        return f;
    }

    /** A copy with the given parts replaced (null keeps the original). */
    static LiveNetwork copy(LiveNetwork l, Ipam ipam, Map<String, String> options, Map<String, String> labels) {
        Map<String, String> opts = options == null ? l.options() : options;
        return new LiveNetwork(l.id(), l.name(), l.driver(), l.scope(), l.internal(), l.attachable(), l.ipv6(),
                ipam == null ? l.ipam() : ipam, opts, labels == null ? l.labels() : labels);
    }

    private static <T> List<T> reversed(List<T> in) {
        List<T> out = new ArrayList<>(in);
        java.util.Collections.reverse(out);
        return out;
    }

    @Test
    void autoAliasesAcceptAnIdNoLongerThanAShortId() {
        LiveContainer c = new LiveContainer("c0ffee000001", "web", true, "bridge", null, List.of(), null, null);

        assertThat(Normalizer.autoAliases(c)).containsExactlyInAnyOrder("c0ffee000001", "web");
    }

    @Test
    void theHostnameIsAnAutoAliasWhenTheContainerHasOne() {
        LiveContainer c = new LiveContainer("0123456789abcdef", "web", true, "front", null, List.of(), null, null, "myhost");
        assertThat(Normalizer.autoAliases(c)).containsExactlyInAnyOrder("0123456789abcdef", "0123456789ab", "web", "myhost");
        LiveContainer none = new LiveContainer("0123456789abcdef", "web", true, "front", null, List.of(), null, null);
        assertThat(Normalizer.autoAliases(none)).containsExactlyInAnyOrder("0123456789abcdef", "0123456789ab", "web");
        LiveEndpoint e = new LiveEndpoint("front", "n1", List.of("www", "0123456789ab", "myhost"), null, null, "", "");
        assertThat(Normalizer.endpoint(e, c)).isEqualTo(Normalizer.attachment(
                new io.stackwire.model.Attachment("front", List.of("myhost", "www"), null, null, null), "web", c));
    }
}
