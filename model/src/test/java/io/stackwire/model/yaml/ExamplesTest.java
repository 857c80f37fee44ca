package io.stackwire.model.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The examples folder: valid examples load cleanly, each invalid one prints exactly its expected.txt. */
class ExamplesTest {

    static final Path EXAMPLES = Path.of("..", "examples");

    static Stream<Path> validExamples() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().equals("invalid") && !p.getFileName().toString().equals("deploy")
                            && !p.getFileName().toString().equals("ci"))
                    .sorted().toList().stream();
        }
    }

    static Stream<Path> invalidExamples() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES.resolve("invalid"))) {
            return s.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("validExamples")
    void validExampleLoadsWithoutErrorsForEveryHost(Path example) {
        LoadResult all = SpecLoader.validateAll(example);
        assertThat(all.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
        List<String> hosts = SpecLoader.hosts(example);
        for (String host : hosts.isEmpty() ? List.of("some-host") : hosts) {
            LoadResult r = SpecLoader.load(example, host);
            assertThat(r.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
            assertThat(r.state()).isNotNull();
            assertThat(r.state().stacks()).isNotEmpty();
        }
        assertThat(example.resolve("README.md")).exists();
    }

    @ParameterizedTest
    @MethodSource("invalidExamples")
    void invalidExamplePrintsExactlyTheExpectedDiagnostics(Path example) throws IOException {
        Path expected = example.resolve("expected.txt");
        LoadResult r = SpecLoader.validateAll(example);
        String actual = r.diagnostics().stream().map(Diagnostic::toString).reduce("", (a, b) -> a + b + "\n");
        if (Boolean.getBoolean("stackwire.golden.write")) {
            Files.writeString(expected, actual, StandardCharsets.UTF_8);
        }
        assertThat(r.hasErrors()).isTrue();
        assertThat(actual).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }
}
