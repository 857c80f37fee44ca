package io.stackwire.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/planning.md's "Notice codes" table and the {@link NoticeCode} catalogue list the same codes. */
class NoticeCodeTest {

    private static final Path DOC = Path.of("..", "docs", "planning.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\| (error|warning|info) \\|");

    @Test
    void everyCatalogueCodeIsDocumentedWithItsSeverityAndEveryDocumentedCodeIsCatalogued() throws IOException {
        Map<String, String> catalogue = Arrays.stream(NoticeCode.values())
                .collect(Collectors.toMap(NoticeCode::code, c -> c.severity().name().toLowerCase(Locale.ROOT), (a, b) -> a, TreeMap::new));
        assertThat(new TreeMap<>(documented())).isEqualTo(catalogue);
    }

    @Test
    void codesAreUniqueAndMatchTheirConstantNames() {
        for (NoticeCode c : NoticeCode.values()) {
            assertThat(c.code()).isEqualTo(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
    }

    @Test
    void aCodeWithAFixedHintTakesNoOtherAndOneWithoutNeedsOne() {
        assertThat(NoticeCode.PRUNE_SKIPPED.notice(ResourceKey.network("n"), "s", "m").hint())
                .isEqualTo(NoticeCode.PRUNE_SKIPPED.hint());
        assertThatThrownBy(() -> NoticeCode.PRUNE_SKIPPED.notice(null, "s", "m", "h"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> NoticeCode.SUBNET_IN_USE.notice(null, "s", "m"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void thePlannerMakesNoticesOnlyThroughTheCatalogue() throws IOException {
        Path plan = Path.of("src", "main", "java", "io", "stackwire", "reconcile", "plan");
        try (var files = Files.list(plan)) {
            List<String> inline = files.filter(f -> !f.endsWith("NoticeCode.java"))
                    .filter(f -> read(f).contains("new Notice("))
                    .map(f -> f.getFileName().toString())
                    .toList();
            assertThat(inline).as("files that make a Notice with an inline code").isEmpty();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The rows of the "Notice codes" section, code to severity; a code listed twice fails. */
    private static Map<String, String> documented() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int from = lines.indexOf("## Notice codes");
        assertThat(from).as("docs/planning.md has a \"Notice codes\" section").isNotNegative();
        Map<String, String> out = new TreeMap<>();
        for (String line : lines.subList(from + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                assertThat(out.put(m.group(1), m.group(2))).as("listed twice: " + m.group(1)).isNull();
            }
        }
        return out;
    }
}
