package io.stackwire.model.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.stackwire.model.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated and truncated variants of the valid examples (fixed seed): loading must only
 * ever return diagnostics, never throw, never hang, never hit the internal-error safety net.
 */
class LoaderFuzzTest {

    static final long SEED = 20251128L;
    static final int VARIANTS = 2000;
    static final String NOISE = ":-[]{},&*!|>'\"#%@`\n \t$.0123456789/<>?abcxyz\u00e9\u0000";

    @TempDir
    Path dir;

    @Test
    void mutatedSpecsOnlyEverProduceDiagnostics() throws IOException {
        List<Path> seeds = new ArrayList<>();
        try (Stream<Path> s = Files.walk(ExamplesTest.EXAMPLES)) {
            s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(seeds::add);
        }
        assertThat(seeds).hasSizeGreaterThan(8);
        Random random = new Random(SEED);
        Path file = dir.resolve("stack.yaml");
        Files.writeString(dir.resolve("hosts-unused.yml"), "stack: other\n");
        int withErrors = 0;
        for (int i = 0; i < VARIANTS; i++) {
            String text = mutate(Files.readString(seeds.get(random.nextInt(seeds.size()))), random);
            Files.writeString(file, text);
            String variant = text;
            LoadResult r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> SpecLoader.load(dir, "h"),
                    () -> "hung on:\n" + variant);
            assertThat(r.diagnostics()).as("variant %d:\n%s", i, text)
                    .noneMatch(d -> d.code().equals("internal-error"))
                    .allMatch(d -> d.source().file().equals("stack.yaml") && d.source().line() >= 1 && d.source().column() >= 1);
            assertThat(r.state() == null).isEqualTo(r.hasErrors());
            withErrors += r.hasErrors() ? 1 : 0;
            assertThat(r.diagnostics()).isSortedAccordingTo(Diags.ORDER);
        }
        // The mutations must actually break things often, or the test proves little. The rate sits
        // near one half and moves with the examples (the seeds): 50.4% before examples/compose-project,
        // 49% with it; 40% still means the loader saw hundreds of broken specs.
        assertThat(withErrors).isGreaterThan(VARIANTS * 2 / 5);
    }

    static String mutate(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(6)) {
                case 0 -> b.setLength(at); // truncate
                case 1 -> b.deleteCharAt(at);
                case 2 -> b.insert(at, NOISE.charAt(r.nextInt(NOISE.length())));
                case 3 -> b.setCharAt(at, NOISE.charAt(r.nextInt(NOISE.length())));
                case 4 -> { // duplicate a line
                    int start = at == 0 ? 0 : b.lastIndexOf("\n", at - 1) + 1;
                    int end = b.indexOf("\n", at);
                    end = end < 0 ? b.length() : end;
                    b.insert(start, b.substring(start, end) + "\n");
                }
                default -> { // re-indent a line
                    int start = at == 0 ? 0 : b.lastIndexOf("\n", at - 1) + 1;
                    b.insert(start, r.nextBoolean() ? "  " : " ");
                }
            }
        }
        return b.toString();
    }
}
