package io.stackwire.model.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;

class YamlFileTest {

    private final CoreScalarResolver core = new CoreScalarResolver(false);
    private final NamesFirstResolver fast = new NamesFirstResolver();

    @Test
    void theShortcutResolvesEveryScalarAsTheCoreSchemaDoes() {
        List<String> scalars = new ArrayList<>(List.of("", " ", "~", "null", "Null", "NULL", "nul", "n", "N", "none",
                "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "t", "f", "tea", "fe",
                "0", "-1", "+3", "0x1F", "0o17", "0b1", "1e3", ".5", "-.5", ".inf", "-.Inf", ".NaN", ".nan", "1.2.3",
                "${HOME}", "${HOME:-x}", "$x", "<<", "10.0.0.0/24", "fd00::/64", "::1", "web", "swbench-c1", "a1-0",
                "networks", "ipam", "containers", "aliases", "subnet", "_x", "é", "\u0000", "127.0.0.1:8080:80/udp"));
        // And random short strings over the characters that decide an implicit type.
        Random random = new Random(42);
        String alphabet = "nNtTfF~-+.0123456789eExXoOaluAsLU$:{}<>_ ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            scalars.add(b.toString());
        }
        for (String s : scalars) {
            for (boolean implicit : new boolean[] {true, false}) {
                assertThat(fast.resolve(s, implicit)).as("'%s' implicit=%s", s, implicit).isEqualTo(core.resolve(s, implicit));
            }
        }
    }

    @Test
    void namesTakeTheShortcutAndTypedScalarsDoNot() {
        assertThat(fast.shortcut()).as("snakeyaml-engine's rules still allow the shortcut").isTrue();
        assertThat(fast.resolve("web", true)).isEqualTo(Tag.STR);
        assertThat(fast.resolve("true", true)).isEqualTo(Tag.BOOL);
        assertThat(fast.resolve("null", true)).isEqualTo(Tag.NULL);
        assertThat(fast.resolve("12", true)).isEqualTo(Tag.INT);
        assertThat(fast.resolve("", true)).isEqualTo(Tag.NULL);
    }

    @Test
    void findsAStackLineByStreamingTheBytes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("f.yaml");
        java.nio.file.Files.write(f, ("# " + "x".repeat(200_000) + "\nnot stack: 1\n xstack:\nstack: s\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(YamlFile.hasStackLine(f)).isTrue();
        java.nio.file.Files.write(f, "\uFEFFstack: s\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(YamlFile.hasStackLine(f)).as("after a byte order mark").isTrue();
        java.nio.file.Files.write(f, "stac\nk: s\n  stack: s\nstack\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(YamlFile.hasStackLine(f)).isFalse();
    }
}
