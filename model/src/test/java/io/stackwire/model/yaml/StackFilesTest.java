package io.stackwire.model.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Diagnostic;
import io.stackwire.model.yaml.LoadResult.Skipped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which YAML files under a spec root are stack files, which are skipped and which are errors. */
class StackFilesTest {

    @TempDir
    Path root;

    private static final String STACK = "stack: s\nnetworks:\n  N: {}\n";

    private StackFilesTest file(String name, String text) {
        try {
            Path p = root.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LoadResult load() {
        return SpecLoader.load(root, "h");
    }

    private static List<String> lines(LoadResult r) {
        return r.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    private static List<String> skippedFiles(LoadResult r) {
        return r.skipped().stream().map(Skipped::file).toList();
    }

    @Test
    void aRepositoryWithComposeHelmAndCiFilesLoadsOnlyItsStackFile() {
        Path example = Path.of("..", "examples", "mixed-repo");
        LoadResult r = SpecLoader.load(example, "h");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.state().stacks()).extracting(s -> s.file()).containsExactly("web.yaml");
        assertThat(r.skipped()).extracting(Skipped::file).containsExactly("chart/Chart.yaml",
                "chart/templates/deployment.yaml", "chart/values.yaml", "ci/pipeline.yaml", "compose.yaml");
        assertThat(r.skipped()).filteredOn(s -> s.file().equals("chart/templates/deployment.yaml"))
                .extracting(Skipped::reason).singleElement().asString()
                .startsWith("not a stack file: YAML syntax error").endsWith("and no line starts with stack:");
        assertThat(r.skipped()).filteredOn(s -> s.file().equals("compose.yaml"))
                .extracting(Skipped::reason).containsExactly("no top-level stack: key");
        assertThat(SpecLoader.validateAll(example).skipped()).hasSize(5);
    }

    @Test
    void aMappingWithContainersButNoStackKeyIsABrokenStackFile() {
        file("a.yaml", STACK).file("web.yaml", "containers:\n  c: {}\n");
        assertThat(lines(load())).containsExactly("web.yaml:1:1: error: this file looks like a stack file (it has containers:)"
                + " but has no top-level stack: key (add a first line like: stack: web; if it is not a stack file, list it"
                + " under exclude: in stackwire.yaml)");
    }

    @Test
    void networksWithoutServicesIsABrokenStackFileButWithServicesItIsComposeAndSkipped() {
        file("a.yaml", STACK).file("net.yaml", "networks:\n  N: {}\n").file("compose.yml", "services: {web: {}}\nnetworks: {N: {}}\n");
        LoadResult r = load();
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly("missing-stack");
        assertThat(r.diagnostics().get(0).message()).contains("it has networks: and no services:");
        assertThat(skippedFiles(r)).containsExactly("compose.yml");
    }

    @Test
    void aSyntaxErrorIsReportedOnlyWhenALineStartsWithStack() {
        file("a.yaml", STACK).file("broken.yaml", "stack: b\nnetworks: [\n").file("template.yaml", "a: {{ .Values.x }\n");
        LoadResult r = load();
        assertThat(r.diagnostics()).extracting(d -> d.code() + " " + d.source().file()).containsExactly("yaml-syntax broken.yaml");
        assertThat(skippedFiles(r)).containsExactly("template.yaml");
    }

    @Test
    void emptyFilesListsAndTextAreSkippedInAFolder() {
        file("a.yaml", STACK).file("empty.yaml", "# nothing\n").file("list.yaml", "- a\n- b\n").file("text.yaml", "hello\n");
        LoadResult r = load();
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.skipped()).extracting(Skipped::reason).containsExactly("empty",
                "its top level is a list, not a mapping with stack:", "its top level is 'hello', not a mapping with stack:");
        assertThat(r.state().stacks()).hasSize(1);
    }

    @Test
    void aMultiDocumentManifestIsSkipped() {
        file("a.yaml", STACK).file("k8s/app.yaml", "kind: Service\n---\nkind: Deployment\nspec:\n  containers: []\n");
        LoadResult r = load();
        assertThat(r.diagnostics()).isEmpty();
        assertThat(skippedFiles(r)).containsExactly("k8s/app.yaml");
    }

    @Test
    void aListOfStacksIsStillReportedAsABrokenStackFile() {
        file("a.yaml", STACK).file("list.yaml", "- stack: x\n");
        assertThat(lines(load())).containsExactly(
                "list.yaml:1:1: error: a stack file must be a mapping, not a list (start the file with stack: NAME)");
    }

    @Test
    void aFileGivenAsTheSpecPathMustBeAStackFile() {
        file("a.yaml", "# nothing\n").file("b.yaml", "name: x\n");
        assertThat(SpecLoader.load(root.resolve("a.yaml"), "h").diagnostics()).extracting(Diagnostic::code)
                .containsExactly("empty-file");
        assertThat(lines(SpecLoader.load(root.resolve("b.yaml"), "h"))).containsExactly("b.yaml:1:1: error: this file was"
                + " given as the spec path but has no top-level stack: key (add a first line like: stack: web)");
    }

    @Test
    void noStacksNamesTheSkippedFiles() {
        file("compose.yaml", "services: {}\n").file("ci/a.yaml", "x: 1\n").file("ci/b.yaml", "x: 1\n")
                .file("ci/c.yaml", "x: 1\n").file("ci/d.yaml", "x: 1\n").file("ci/e.yaml", "x: 1\n");
        LoadResult r = load();
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly("no-stacks");
        assertThat(r.diagnostics().get(0).message()).isEqualTo("no stack files in the spec root; skipped 6 YAML files without"
                + " a top-level stack: key or left out by stackwire.yaml: ci/a.yaml, ci/b.yaml, ci/c.yaml, ci/d.yaml,"
                + " ci/e.yaml and 1 more");
        assertThat(r.diagnostics().get(0).hint()).startsWith("a stack file is a .yaml or .yml file whose top level has stack: NAME");
    }

    @Test
    void includeNarrowsTheCandidatesAndAnIncludedFileMustBeAStackFile() {
        file("stackwire.yaml", "include: [\"stacks/**\"]\n").file("stacks/web/a.yaml", STACK)
                .file("stacks/b.yaml", "name: not a stack\n").file("other.yaml", "stack: never-read\nbroken: [\n");
        LoadResult r = load();
        assertThat(lines(r)).containsExactly("stacks/b.yaml:1:1: error: this file is matched by include: in stackwire.yaml"
                + " but has no top-level stack: key (add a first line like: stack: web; or change include: in stackwire.yaml)");
        assertThat(r.skipped()).containsExactly(new Skipped("other.yaml", "matched by no include: glob in stackwire.yaml"));
    }

    @Test
    void excludeRemovesFilesThatWouldBeErrors() {
        file("stackwire.yaml", "exclude: [\"legacy/*.yaml\", \"old.yml\"]\n").file("a.yaml", STACK)
                .file("legacy/net.yaml", "networks: {}\n").file("old.yml", "containers: {}\n");
        LoadResult r = load();
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.skipped()).containsExactly(
                new Skipped("legacy/net.yaml", "matched by exclude: 'legacy/*.yaml' in stackwire.yaml"),
                new Skipped("old.yml", "matched by exclude: 'old.yml' in stackwire.yaml"));
        assertThat(r.state().stacks()).hasSize(1);
    }

    @Test
    void badGlobsAreErrorsAtTheirPosition() {
        file("stackwire.yaml", "include:\n  - \"stacks/[a\"\n  - /abs/*.yaml\n  - ../x.yaml\nexclude: charts/**\n").file("a.yaml", STACK);
        assertThat(lines(load())).containsExactly(
                "stackwire.yaml:2:5: error: invalid glob 'stacks/[a' in 'include': Missing '] (" + StackFiles.GLOB_HINT + ")",
                "stackwire.yaml:3:5: error: glob '/abs/*.yaml' in 'include' must be a path inside the spec root ("
                        + StackFiles.GLOB_HINT + ")",
                "stackwire.yaml:4:5: error: glob '../x.yaml' in 'include' must be a path inside the spec root ("
                        + StackFiles.GLOB_HINT + ")",
                "stackwire.yaml:5:10: error: 'exclude' must be a list, not 'charts/**' (a list of globs, e.g. exclude: [\"charts/**\"])");
    }

    @Test
    void aGlobThatMatchesNothingIsAWarning() {
        // a.yaml, matched twice, uses both of its globs.
        file("stackwire.yaml", "include: [\"*.yaml\", \"stackz/*.yaml\", a.yaml]\n").file("a.yaml", STACK);
        LoadResult r = load();
        assertThat(lines(r)).containsExactly("stackwire.yaml:1:21: warning: include glob 'stackz/*.yaml' matches no YAML file"
                + " (check the spelling; " + StackFiles.GLOB_HINT + ")");
        assertThat(r.state()).isNotNull();
    }

    @Test
    void overlaysAndThePolicyAreNeverCandidates() {
        file("stackwire.yaml", "include: [\"**.yaml\"]\n").file("a.yaml", STACK).file("hosts/h.yaml", "variables: {}\n");
        LoadResult r = load();
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.skipped()).isEmpty();
    }

    @Test
    void aTooLargeFileIsAnErrorOnlyWhenItLooksLikeAStackFile() {
        String big = "# " + "x".repeat(YamlFile.MAX_BYTES) + "\n";
        file("a.yaml", STACK).file("data.yaml", "rows: 1\n" + big).file("huge.yaml", big + "stack: huge\n");
        LoadResult r = load();
        assertThat(lines(r)).containsExactly(
                "huge.yaml:1:1: error: file is larger than 1024 KiB (split it into several stack files)");
        assertThat(r.skipped()).extracting(Skipped::file).containsExactly("data.yaml");
    }
}
