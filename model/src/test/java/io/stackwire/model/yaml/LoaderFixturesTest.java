package io.stackwire.model.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Diagnostic;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.PortBinding;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.Severity;
import io.stackwire.model.StackSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loader cases as data: each folder under {@code src/test/resources/loaderdata/} holds a spec
 * ({@code spec/}: stack files, possibly nested, {@code stackwire.yaml}, {@code hosts/}) and what
 * loading it for host {@code h} reports ({@code expected.txt}): every diagnostic as
 * {@code file:line:col: severity code: message (hint)}, then a summary of the desired state, or
 * that there is none. Add a case by adding a folder; run with {@code -Dstackwire.golden.update=true}
 * to write (or rewrite) the expected files, then review the diff.
 */
class LoaderFixturesTest {

    private static final Path DIR = Path.of("src", "test", "resources", "loaderdata");
    /** The host every case loads for (overlays under {@code spec/hosts/} may name it). */
    private static final String HOST = "h";

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(DIR)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void loadReportsAsExpected(String name) throws Exception {
        Path dir = DIR.resolve(name);
        String actual = render(SpecLoader.load(dir.resolve("spec"), HOST));

        Path expected = dir.resolve("expected.txt");
        if (Boolean.getBoolean("stackwire.golden.update")) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
        }
        assertThat(expected).as("%s (rerun with -Dstackwire.golden.update=true to create it)", expected).exists();
        assertThat(actual).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }

    static String render(LoadResult r) {
        StringBuilder out = new StringBuilder();
        r.diagnostics().forEach(d -> out.append(line(d)).append('\n'));
        DesiredState s = r.state();
        if (s == null) {
            return out.append("no desired state\n").toString();
        }
        out.append("host ").append(s.host()).append('\n');
        RepoPolicy p = s.policy();
        out.append("policy prune=").append(p.prune()).append(" self_heal=").append(p.selfHeal()).append(" replace=")
                .append(p.replace()).append(" deny_public_ports=").append(p.denyPublicPorts())
                .append(p.owner() == null ? "" : " owner=" + p.owner()).append('\n');
        for (StackSpec st : s.stacks()) {
            out.append("stack ").append(st.name()).append(" at ").append(st.source()).append('\n');
        }
        s.networks().values().forEach(n -> out.append(network(n)));
        s.containers().values().forEach(c -> out.append(container(c)));
        s.selectors().values().forEach(c -> out.append(container(c)));
        return out.toString();
    }

    /** {@link Diagnostic#toString()}, as {@code validate} prints it, with the code after the severity. */
    private static String line(Diagnostic d) {
        String level = d.severity() == Severity.ERROR ? "error" : "warning";
        return d.source() + ": " + level + " " + d.code() + ": " + d.message() + (d.hint().isEmpty() ? "" : " (" + d.hint() + ")");
    }

    private static String network(NetworkSpec n) {
        List<String> flags = new ArrayList<>();
        addIf(flags, n.internal(), "internal");
        addIf(flags, n.attachable(), "attachable");
        addIf(flags, n.ipv6(), "ipv6");
        addIf(flags, n.encrypted(), "encrypted");
        addIf(flags, n.external(), "external");
        addIf(flags, n.adopt(), "adopt");
        StringBuilder b = new StringBuilder("network ").append(n.name()).append(" (stack ").append(n.stack()).append(") driver ")
                .append(n.driver()).append(flags.isEmpty() ? "" : " " + String.join(" ", flags)).append(" at ").append(n.source())
                .append('\n');
        for (IpamPool pool : n.ipam().pools()) {
            b.append("  subnet ").append(pool.subnet()).append(pool.gateway() == null ? "" : " gateway " + pool.gateway())
                    .append(pool.ipRange() == null ? "" : " ip_range " + pool.ipRange())
                    .append(pool.auxAddresses().isEmpty() ? "" : " aux " + pairs(pool.auxAddresses())).append('\n');
        }
        if (!n.options().isEmpty()) {
            b.append("  options ").append(pairs(n.options())).append('\n');
        }
        if (!n.labels().isEmpty()) {
            b.append("  labels ").append(pairs(n.labels())).append('\n');
        }
        return b.toString();
    }

    private static String container(ContainerSpec c) {
        StringBuilder b = new StringBuilder(c.selector() == null ? "container " : "selector ").append(c.name())
                .append(" (stack ").append(c.stack()).append(")")
                .append(c.selector() == null ? "" : " select " + c.selector().describe())
                .append(c.replace() == null ? "" : " replace " + c.replace()).append(" at ").append(c.source()).append('\n');
        for (Attachment a : c.attachments()) {
            b.append("  attach ").append(a.network()).append(a.aliases().isEmpty() ? "" : " aliases " + String.join(",", a.aliases()))
                    .append(a.ipv4Address() == null ? "" : " ipv4 " + a.ipv4Address())
                    .append(a.ipv6Address() == null ? "" : " ipv6 " + a.ipv6Address()).append('\n');
        }
        for (PortBinding port : c.ports()) {
            b.append("  port ").append(port).append('\n');
        }
        return b.toString();
    }

    private static void addIf(List<String> flags, boolean on, String flag) {
        if (on) {
            flags.add(flag);
        }
    }

    private static String pairs(Map<String, String> map) {
        List<String> kv = new ArrayList<>();
        new TreeMap<>(map).forEach((k, v) -> kv.add(k + "=" + v));
        return String.join(", ", kv);
    }
}
