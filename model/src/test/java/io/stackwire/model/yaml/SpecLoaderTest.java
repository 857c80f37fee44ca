package io.stackwire.model.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Diagnostic;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.PortBinding;
import io.stackwire.model.ReplacePolicy;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per loading and validation rule; each writes a tiny spec into a temp folder. Rules whose
 * whole check is the rendered diagnostics (or the loaded summary) are rows of
 * {@link LoaderFixturesTest} instead.
 */
class SpecLoaderTest {

    @TempDir
    Path root;

    private SpecLoaderTest file(String name, String text) {
        try {
            Path p = root.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LoadResult load(String host) {
        return SpecLoader.load(root, host);
    }

    private LoadResult stack(String text) {
        file("stack.yaml", text);
        return load("h");
    }

    private static List<String> codes(LoadResult r) {
        return r.diagnostics().stream().map(Diagnostic::code).toList();
    }

    private static Diagnostic only(LoadResult r, String code) {
        List<Diagnostic> d = r.diagnostics().stream().filter(x -> x.code().equals(code)).toList();
        assertThat(d).as("diagnostics %s", r.diagnostics()).hasSize(1);
        return d.get(0);
    }

    private static final String NET = "stack: s\nnetworks:\n  N:\n    ipam:\n      config:\n        - subnet: 10.5.0.0/24\n";

    @Test
    void buildsTheDesiredStateWithCanonicalAddresses() {
        LoadResult r = stack("""
                stack: web
                networks:
                  Front:
                    ipv6: true
                    ipam:
                      config:
                        - subnet: FD00:0:0:0::/64
                          gateway: fd00:0::1
                        - subnet: 10.10.0.0/24
                          gateway: 10.10.0.1
                          ip_range: 10.10.0.128/25
                          aux_addresses: {router: 10.10.0.2}
                    options: {com.docker.network.bridge.name: br-front}
                    labels: {team: web}
                containers:
                  web:
                    replace: never
                    networks:
                      Front:
                        aliases: [www]
                        ipv4_address: 10.10.0.10
                        ipv6_address: FD00:0::10
                    ports:
                      - "127.0.0.1:8080:80"
                      - {host_ip: "::1", published: "8443", target: 443, protocol: udp}
                """);
        assertThat(r.diagnostics()).isEmpty();
        NetworkSpec n = r.state().networks().get("Front");
        assertThat(n.ipam().pools().get(0).subnet()).isEqualTo("fd00::/64");
        assertThat(n.ipam().pools().get(0).gateway()).isEqualTo("fd00::1");
        assertThat(n.ipam().pools().get(1).auxAddresses()).containsEntry("router", "10.10.0.2");
        assertThat(n.options()).containsEntry("com.docker.network.bridge.name", "br-front");
        assertThat(n.source().toString()).isEqualTo("stack.yaml:3:3");
        var c = r.state().containers().get("web");
        assertThat(c.replace()).isEqualTo(ReplacePolicy.NEVER);
        assertThat(c.attachments().get(0).ipv6Address()).isEqualTo("fd00::10");
        assertThat(c.ports()).containsExactly(PortBinding.parse("127.0.0.1:8080:80"), PortBinding.parse("[::1]:8443:443/udp"));
        assertThat(r.state().host()).isEqualTo("h");
        assertThat(r.state().revision()).isEqualTo(root.toString());
    }

    @Test
    void acceptsTheListFormOfContainerNetworks() {
        LoadResult r = stack(NET + "containers:\n  c:\n    networks: [N, bridge]\n");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.state().containers().get("c").attachments()).extracting(a -> a.network()).containsExactly("N", "bridge");
    }

    @Test
    void reportsWrongTypes() {
        Diagnostic d = only(stack("stack: s\nnetworks:\n  N:\n    internal: yes\n"), "wrong-type");
        assertThat(d.message()).isEqualTo("'internal' of network 'N' must be true or false, not 'yes'");
        assertThat(d.source().line()).isEqualTo(4);
    }

    @Test
    void reportsGatewayIpRangeAndAuxAddressesOutsideTheSubnet() {
        LoadResult r = stack("stack: s\nnetworks:\n  N:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n"
                + "          gateway: 10.0.1.1\n          ip_range: 10.0.1.0/25\n          aux_addresses: {a: 10.0.2.2}\n");
        assertThat(codes(r)).containsExactly("outside-subnet", "outside-subnet", "outside-subnet");
    }

    @Test
    void reportsOverlappingSubnetsBetweenNetworksAtTheLaterOne() {
        file("a.yaml", NET);
        file("b.yaml", "stack: t\nnetworks:\n  M:\n    ipam:\n      config:\n        - subnet: 10.5.0.128/25\n");
        Diagnostic d = only(load("h"), "overlapping-subnets");
        assertThat(d.toString()).startsWith("b.yaml:6:19: error: subnet 10.5.0.128/25 of network 'M' overlaps 10.5.0.0/24"
                + " of network 'N' (a.yaml:6:19)");
    }

    @Test
    void reportsStaticIpOutsideTheNetworksPools() {
        Diagnostic d = only(stack(NET + "containers:\n  c:\n    networks:\n      N: {ipv4_address: 10.6.0.5}\n"), "ip-outside-subnet");
        assertThat(d.source().line()).isEqualTo(10);
    }

    @Test
    void rejectsOneStaticAddressForTwoContainersAcrossStackFiles() {
        // The planner's address-in-use check relies on this for networks the spec declares subnets for.
        file("a.yaml", NET + "containers:\n  c:\n    networks:\n      N: {ipv4_address: 10.5.0.5}\n");
        file("b.yaml", "stack: t\ncontainers:\n  d:\n    networks:\n      N: {ipv4_address: 10.5.0.5}\n");
        Diagnostic d = only(load("h"), "duplicate-ip");
        assertThat(d.toString()).startsWith("b.yaml:5:25: error: address 10.5.0.5 on network 'N' is already given to another"
                + " container at a.yaml:10:25");
    }

    @Test
    void asksForASubnetWhenAStaticIpv4AddressHasNoPool() {
        Diagnostic d = only(stack("stack: s\nnetworks:\n  N: {}\ncontainers:\n  c:\n    networks:\n      N: {ipv4_address: 10.6.0.5}\n"),
                "static-ip-needs-subnet");
        assertThat(d.hint()).contains("user-configured subnets");
    }

    @Test
    void rejectsIpv6AddressOnANetworkWithoutIpv6() {
        only(stack(NET + "containers:\n  c:\n    networks:\n      N: {ipv6_address: 'fd00::5'}\n"), "ipv6-disabled");
    }

    @Test
    void treatsAnAllInterfacesBindingAsOverlappingEverySpecificAddress() {
        LoadResult r = stack(NET + "containers:\n  a:\n    ports: ['8080:80']\n  b:\n    ports: ['[::1]:8080:81']\n");
        assertThat(only(r, "port-conflict").source().line()).isEqualTo(11);
    }

    @Test
    void detectsOverlappingPortRanges() {
        LoadResult r = stack(NET + "containers:\n  a:\n    ports: ['127.0.0.1:8000-8010:8000-8010']\n  b:\n    ports: ['127.0.0.1:8010-8020:8010-8020']\n");
        only(r, "port-conflict");
    }

    @Test
    void allowsTheSamePortOnDifferentAddressesAndProtocols() {
        LoadResult r = stack(NET + "containers:\n  a:\n    ports: ['127.0.0.1:53:53', '127.0.0.2:53:53', '127.0.0.1:53:53/udp', '127.0.0.1::53']\n");
        assertThat(r.diagnostics()).isEmpty();
    }

    @Test
    void rejectsAliasesOnTheDefaultBridge() {
        only(stack("stack: s\ncontainers:\n  c:\n    networks:\n      bridge: {aliases: [x]}\n"), "aliases-on-default-bridge");
    }

    @Test
    void rejectsHostOrNoneTogetherWithOtherNetworks() {
        LoadResult r = stack(NET + "containers:\n  a:\n    networks: [host, N]\n  b:\n    networks: [none, N]\n");
        assertThat(codes(r)).containsExactly("exclusive-network-mode", "exclusive-network-mode");
    }

    @Test
    void rejectsAliasesAndPortsOnHostNetworking() {
        LoadResult r = stack("stack: s\ncontainers:\n  a:\n    networks:\n      host: {aliases: [x]}\n    ports: ['127.0.0.1:80:80']\n");
        assertThat(codes(r)).containsExactly("aliases-on-host-network", "ports-on-host-network");
    }

    @Test
    void rejectsAStackThatDeclaresAPredefinedNetwork() {
        LoadResult r = stack("stack: s\nnetworks:\n  bridge: {}\n  host: {}\n  none: {}\n");
        assertThat(codes(r)).containsOnly("predefined-network").hasSize(3);
    }

    @Test
    void reportsDuplicateKeys() {
        only(stack("stack: s\nstack: t\n"), "duplicate-key");
    }

    @Test
    void suggestsTheClosestDeclaredNetworkForAnUnknownReference() {
        Diagnostic d = only(stack(NET + "containers:\n  c:\n    networks: [n]\n"), "unknown-network");
        assertThat(d.hint()).isEqualTo("did you mean 'N'?");
    }

    @Test
    void rejectsEncryptedOnANonOverlayNetwork() {
        only(stack("stack: s\nnetworks:\n  N: {driver: macvlan, encrypted: true}\n"), "encrypted-not-overlay");
    }

    @Test
    void rejectsAttachingAContainerToANonAttachableOverlay() {
        only(stack("stack: s\nnetworks:\n  O: {driver: overlay, encrypted: true}\ncontainers:\n  c:\n    networks: [O]\n"),
                "overlay-not-attachable");
    }

    @Test
    void aLongVariableUsedInManyPlacesStopsAtTheUseThatCrossesTheLimit() {
        // 200 KB, used 100 times: 20 MB once substituted, though both files are small.
        file("hosts/h.yaml", "variables: {big: " + "x".repeat(200_000) + "}\n");
        file("stack.yaml", NET + "containers:\n  c:\n    networks:\n      N:\n        aliases: [" + "'${big}', ".repeat(99) + "'${big}']\n");
        Diagnostic d = only(load("h"), "yaml-limit");
        // 4 Mi / 200,000: the 21st use; the first ${ is at column 20, each use takes ten columns.
        assertThat(d.source().toString()).isEqualTo("stack.yaml:" + 11 + ":" + (20 + 20 * 10));
        assertThat(d.message()).isEqualTo("variables expand to more than 4 Mi characters in all");
        assertThat(load("h").diagnostics()).allSatisfy(x -> assertThat(x.message().length()).isLessThan(400));
    }

    @Test
    void aVariableMessageQuotesAtMostEightyCharactersOfTheValue() {
        file("stack.yaml", NET + "containers:\n  c:\n    ports: ['${" + "y".repeat(100_000) + "']\n");
        Diagnostic d = only(load("h"), "bad-variable");
        assertThat(d.message()).hasSizeLessThan(200).contains("…");
    }

    @Test
    void substitutesVariablesAndDefaultsForTheSelectedHost() {
        file("stack.yaml", NET + "containers:\n  c:\n    ports: ['${vpn_ip}:80:80', '${lan:-127.0.0.1}:81:81', '$${x}']\n");
        file("hosts/h.yaml", "host: h\nvariables: {vpn_ip: 10.8.0.5}\n");
        LoadResult r = load("h");
        assertThat(codes(r)).containsExactly("bad-port"); // "${x}" after unescaping is not a port
        file("stack.yaml", NET + "containers:\n  c:\n    ports: ['${vpn_ip}:80:80', '${lan:-127.0.0.1}:81:81']\n");
        assertThat(load("h").state().containers().get("c").ports()).extracting(PortBinding::toString)
                .containsExactly("10.8.0.5:80:80", "127.0.0.1:81:81");
    }

    @Test
    void runsEveryStackForAHostWithoutOverlay() {
        file("a.yaml", NET);
        file("b.yaml", "stack: b\n");
        assertThat(load("elsewhere").state().stacks()).hasSize(2);
    }

    @Test
    void rejectsAHostWithoutOverlayWhenOtherHostsHaveOneAndSuggestsTheNearest() {
        file("a.yaml", NET + "containers:\n  c:\n    ports: ['${ip}:80:80']\n");
        file("hosts/edge-1.yaml", "stacks: [s]\nvariables: {ip: 127.0.0.1}\n");
        file("hosts/core.yaml", "stacks: []\n");
        LoadResult r = load("edge-l");
        assertThat(r.diagnostics()).as("no undefined-variable noise").hasSize(1);
        Diagnostic d = only(r, "unknown-host");
        assertThat(r.state()).isNull();
        assertThat(d.toString()).isEqualTo("hosts: error: host 'edge-l' has no overlay file, and the spec has overlays for:"
                + " core, edge-1 (did you mean 'edge-1'? pass --host with one of them, add hosts/edge-l.yaml, or set"
                + " 'unknown_hosts: all' in stackwire.yaml so hosts without an overlay run every stack)");
    }

    @Test
    void letsAHostWithoutOverlayRunEveryStackWhenThePolicySaysAll() {
        file("a.yaml", NET);
        file("b.yaml", "stack: b\n");
        file("hosts/h.yaml", "stacks: [s]\n");
        file("stackwire.yaml", "unknown_hosts: all\n");
        assertThat(load("elsewhere").state().stacks()).hasSize(2);
        file("stackwire.yaml", "unknown_hosts: error\n");
        only(load("elsewhere"), "unknown-host");
    }

    @Test
    void reportsAHostOverlayNamingAnUnknownStack() {
        file("a.yaml", NET);
        file("hosts/h.yaml", "stacks: [s, x]\n");
        assertThat(only(load("h"), "unknown-stack").source().toString()).isEqualTo("hosts/h.yaml:1:13");
    }

    @Test
    void rejectsInvalidDockerNamesForNetworksContainersAndAliases() {
        LoadResult r = stack("stack: s\nnetworks:\n  -bad: {}\ncontainers:\n  'a b':\n    networks: {}\n  c:\n"
                + "    networks:\n      bridge2: {aliases: ['x/y']}\n");
        assertThat(codes(r)).contains("bad-name").filteredOn("bad-name"::equals).hasSize(3);
    }

    @Test
    void reportsAMissingStackKey() {
        only(stack("networks: {}\n"), "missing-stack");
    }

    @Test
    void reportsAnEmptyFileAndAFileThatIsNotAMappingWhenGivenAsTheSpecPath() {
        file("a.yaml", "# nothing\n");
        file("b.yaml", "just text\n");
        assertThat(codes(SpecLoader.load(root.resolve("a.yaml"), "h"))).containsExactly("empty-file");
        assertThat(codes(SpecLoader.load(root.resolve("b.yaml"), "h"))).containsExactly("wrong-type");
    }

    @Test
    void refusesFilesLargerThanTheLimit() {
        Diagnostic d = only(stack("stack: s\n# " + "x".repeat(YamlFile.MAX_BYTES) + "\n"), "file-too-large");
        assertThat(d.toString()).isEqualTo("stack.yaml:1:1: error: file is larger than 1024 KiB (split it into several stack files)");
    }

    @Test
    void refusesMappingsNestedTenThousandDeep() {
        Diagnostic d = only(stack("stack: s\nx: " + "{a: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n"), "yaml-too-deep");
        assertThat(d.source().toString()).isEqualTo("stack.yaml:2:" + (4 + 4 * 49));
    }

    @Test
    void refusesAScalarAliasedTenThousandTimesAtTheAliasThatCrossesTheLimit() {
        // 100 KB behind one anchor, used 10,000 times: a gigabyte once expanded, 160 KB as written.
        String text = "stack: s\nbig: &big " + "x".repeat(100_000) + "\nlist: [" + "*big, ".repeat(9_999) + "*big]\n";
        Diagnostic d = only(stack(text), "yaml-limit");
        // Stops at the 41st alias: 41 × 100,001 characters first pass 4 Mi, long before 10,000.
        assertThat(d.source().toString()).isEqualTo("stack.yaml:3:" + (8 + 40 * 6));
        assertThat(d.message()).isEqualTo("alias *big takes the file over 4 Mi characters once aliases are expanded");
        assertThat(d.hint()).contains("1000 times", "4 Mi characters");
    }

    @Test
    void refusesMoreThanAThousandAliasUsesOfEvenASmallValue() {
        Diagnostic d = only(stack("stack: s\nx: &x a\nlist: [" + "*x, ".repeat(1_000) + "*x]\n"), "yaml-limit");
        assertThat(d.toString()).startsWith("stack.yaml:3:" + (8 + 1_000 * 4) + ": error: more than 1000 alias uses in one file");
    }

    @Test
    void aMessageNeverCopiesAnUnboundedValue() {
        // The library names the undefined alias in its message; a 200 KB name must not come along.
        LoadResult r = stack("stack: s\nx: *" + "n".repeat(200_000) + "\n");
        assertThat(r.diagnostics()).isNotEmpty().allSatisfy(d -> {
            assertThat(d.message().length() + d.hint().length()).isLessThan(400);
            assertThat(d.code()).isNotEqualTo("internal-error");
        });
        assertThat(r.diagnostics().get(0).message()).contains("…");
    }

    @Test
    void aRefusedValueIsQuotedCutToEightyCharacters() {
        file("stack.yaml", NET + "containers:\n  c:\n    networks:\n      N:\n        aliases: ['" + "x".repeat(100_000) + "!']\n");
        Diagnostic d = only(load("h"), "bad-name");
        assertThat(d.message()).isEqualTo("invalid alias name '" + "x".repeat(80) + "…'");
        assertThat(d.hint()).startsWith("names start");
    }

    @Test
    void refusesAFlowListNestedFiveThousandDeep() {
        Diagnostic d = only(stack("stack: s\nnetworks: " + "[".repeat(5_000) + "]".repeat(5_000) + "\n"), "yaml-too-deep");
        assertThat(d.source().toString()).isEqualTo("stack.yaml:2:60");
    }

    @Test
    void refusesAFiftyMegabyteFileFromItsSizeWithoutReadingIt() throws IOException {
        // Sparse: 50 MB on the file system's say-so, almost nothing on disk.
        Path big = root.resolve("stack.yaml");
        Files.writeString(big, "stack: s\n");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(50L << 20);
        }
        Diagnostic d = only(load("h"), "file-too-large");
        assertThat(d.toString()).isEqualTo("stack.yaml:1:1: error: file is larger than 1024 KiB (split it into several stack files)");
        assertThat(codes(SpecLoader.validateAll(root))).containsExactly("file-too-large");
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        // The root mapping is level 1; x's value adds 49 more.
        LoadResult r = stack("stack: s\nx: " + "[".repeat(49) + "]".repeat(49) + "\n");
        assertThat(codes(r)).containsExactly("unknown-key");
    }

    @Test
    void readsTheRepoPolicy() {
        file("stackwire.yaml", "prune: false\nself_heal: true\nreplace: allow\n");
        LoadResult r = stack(NET);
        assertThat(r.state().policy()).isEqualTo(new io.stackwire.model.RepoPolicy(false, true, ReplacePolicy.ALLOW, false));
    }

    @Test
    void readsTheDeclaredOwnerIntoThePolicyAndTheState() {
        file("stackwire.yaml", "owner: github.com/acme/infra//edge\n");
        LoadResult r = stack(NET);
        assertThat(r.state().policy().owner()).isEqualTo("github.com/acme/infra//edge");
        assertThat(r.state().owner()).isEqualTo("github.com/acme/infra//edge");
    }

    @Test
    void leavesTheOwnerUnsetWhenNotDeclared() {
        file("stackwire.yaml", "prune: true\n");
        LoadResult r = stack(NET);
        assertThat(r.state().policy().owner()).isNull();
        assertThat(r.state().owner()).isEmpty();
    }

    @Test
    void rejectsBadOwnersWithTheirPosition() {
        String[][] rows = {
            {"owner:\n", "'owner' is empty"},
            {"owner: ''\n", "'owner' is empty"},
            {"owner: '  '\n", "'owner' is empty"},
            {"owner: ' acme'\n", "starts or ends with blanks"},
            {"owner: \"a\\tb\"\n", "control or invisible"},
            {"owner: \"a\\u200Bb\"\n", "control or invisible"},
            {"owner: " + "x".repeat(201) + "\n", "201 characters long, more than 200"},
            {"owner: [a]\n", "'owner' must be text"},
            {"owner: true\n", "'owner' must be text"},
        };
        for (String[] row : rows) {
            file("stackwire.yaml", "prune: true\n" + row[0]);
            LoadResult r = stack(NET);
            assertThat(r.state()).as(row[0]).isNull();
            Diagnostic d = r.diagnostics().stream().filter(Diagnostic::isError).findFirst().orElseThrow();
            assertThat(d.message()).as(row[0]).contains(row[1]);
            assertThat(d.source().file()).isEqualTo("stackwire.yaml");
            assertThat(d.source().line()).as(row[0]).isEqualTo(2);
        }
        file("stackwire.yaml", "owner: " + "x".repeat(200) + "\n");
        assertThat(stack(NET).state().owner()).hasSize(200);
    }

    @Test
    void warnsAboutUnencryptedOverlays() {
        only(stack("stack: s\nnetworks:\n  O: {driver: overlay, attachable: true}\n"), "overlay-unencrypted");
    }

    @Test
    void warnsAboutANetworkWithoutSubnetWhenOthersHaveOne() {
        assertThat(only(stack(NET + "  M: {}\n"), "missing-subnet").message()).contains("'M'");
    }

    @Test
    void reportsAnUnreadableRootWithoutThrowing() {
        LoadResult r = SpecLoader.load(root.resolve("missing"), "h");
        assertThat(codes(r)).containsExactly("unreadable");
        assertThat(r.state()).isNull();
    }

    @Test
    void loadsASingleFileRootWithItsFileName() {
        file("one.yaml", "stack: s\ncontainers:\n  c: {networks: [nope]}\n");
        assertThat(SpecLoader.load(root.resolve("one.yaml"), "h").diagnostics().get(0).source().file()).isEqualTo("one.yaml");
    }

    @Test
    void skipsHiddenFoldersAndReportsARootWithoutStacks() {
        file(".git/x.yaml", "not: a stack\n");
        assertThat(codes(load("h"))).containsExactly("no-stacks");
    }

    @Test
    void listsOverlayHostsAndValidatesAllOfThem() {
        file("stack.yaml", NET + "containers:\n  c:\n    ports: ['${ip}:80:80']\n");
        file("hosts/b.yaml", "variables: {ip: 127.0.0.1}\n");
        file("hosts/a.yml", "variables: {}\n");
        assertThat(SpecLoader.hosts(root)).containsExactly("a", "b");
        LoadResult r = SpecLoader.validateAll(root);
        assertThat(r.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "stack.yaml:9:14: error: variable ${ip} is not defined for host 'a' (host 'a' defines no variables;"
                        + " add it to variables: {ip: ...} in hosts/a.yml, or write ${ip:-default})");
    }

    @Test
    void validatesTheNoOverlayCaseWhenThereAreNoHosts() {
        file("stack.yaml", NET + "containers:\n  c:\n    ports: ['${ip}:80:80']\n");
        assertThat(SpecLoader.hosts(root)).isEmpty();
        assertThat(only(SpecLoader.validateAll(root), "undefined-variable").message()).contains("no host overlay");
    }

    @Test
    void matchesAnOverlayByTheShortHostName() {
        file("stack.yaml", NET);
        file("hosts/box.yaml", "stacks: []\n");
        LoadResult r = load("box.example.org");
        assertThat(r.state().host()).isEqualTo("box");
        assertThat(r.state().stacks()).isEmpty();
    }

    @Test
    void usesTheMachineHostNameWhenNoHostIsGiven() {
        file("stack.yaml", NET);
        assertThat(load(null).state().host()).isEqualTo(SpecLoader.localHostName()).isNotBlank();
    }

    @Test
    void reportsAnOverlayWhoseHostKeyContradictsItsFileName() {
        file("stack.yaml", NET);
        file("hosts/h.yaml", "host: other\n");
        only(load("h"), "host-mismatch");
    }

    @Test
    void reportsANetworkDeclaredInAStackTheHostDoesNotRun() {
        file("a.yaml", NET);
        file("b.yaml", "stack: b\ncontainers:\n  c:\n    networks: [N]\n");
        file("hosts/h.yaml", "stacks: [b]\n");
        assertThat(only(load("h"), "network-not-on-host").hint()).isEqualTo("add 's' to the stacks of hosts/h.yaml");
    }
}
