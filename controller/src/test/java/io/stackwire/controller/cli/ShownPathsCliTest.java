package io.stackwire.controller.cli;

import io.stackwire.controller.pass.Loader;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.plan.Planner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate with the real loader on folders: which files are stack files, and how diagnostics name them. */
class ShownPathsCliTest {

    @TempDir
    Path tmp;

    /** A folder under the working directory (the module), so paths can be shown relative to it. */
    private final Path here = Path.of("target", "shown-paths-" + UUID.randomUUID());
    private final Map<String, String> environment = new HashMap<>();

    @AfterEach
    void clean() throws IOException {
        if (Files.exists(here)) {
            try (var files = Files.walk(here)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private RealCli.Run stackwire(String... args) {
        Workflow workflow = new Workflow(new Loader() {
            @Override
            public io.stackwire.model.yaml.LoadResult load(Path root, String host) {
                return SpecLoader.load(root, host);
            }

            @Override
            public io.stackwire.model.yaml.LoadResult validateAll(Path root) {
                return SpecLoader.validateAll(root);
            }
        }, Planner::plan, () -> {
            throw new AssertionError("validate never opens the daemon");
        });
        return RealCli.run(workflow, environment, args);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void aRepositoryWithComposeHelmAndCiFilesValidates() throws Exception {
        RealCli.Run r = stackwire("validate", "../examples/mixed-repo", "--host", "edge-1");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).isEqualTo("Valid: 1 stack, 1 network, 1 container for host edge-1; 0 errors, 0 warnings.\n");
        assertThat(r.err()).isEmpty();

        RealCli.Run json = stackwire("validate", "../examples/mixed-repo", "--format", "json");
        JsonNode skipped = new ObjectMapper().readTree(json.out()).get("skipped");
        assertThat(skipped).hasSize(5);
        assertThat(skipped.get(0).get("file").asText()).endsWith("examples/mixed-repo/chart/Chart.yaml");
        assertThat(skipped.get(0).get("reason").asText()).isEqualTo("no top-level stack: key");
    }

    @Test
    void debugListsEachSkippedFileAndWhyOnStderr() {
        environment.put("STACKWIRE_DEBUG", "1");

        RealCli.Run r = stackwire("validate", "../examples/mixed-repo");

        assertThat(r.exit()).isZero();
        String repo = Path.of("../examples/mixed-repo").toAbsolutePath().normalize().toString();
        assertThat(r.err()).contains("debug: skipped " + repo + "/compose.yaml: no top-level stack: key\n",
                "debug: skipped " + repo + "/chart/templates/deployment.yaml: not a stack file: YAML syntax error");
        assertThat(r.out()).startsWith("Valid:");
    }

    @Test
    void filesInsideTheWorkingDirectoryAreNamedRelativeToIt() throws Exception {
        write(here.resolve("spec/web.yaml"), "stack: web\nnetworks:\n  N: {drivr: bridge}\n");

        RealCli.Run r = stackwire("validate", here.resolve("spec").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith(here.resolve("spec/web.yaml") + ":3:7: error: unknown key 'drivr'");
        assertThat(here.resolve("spec/web.yaml").toString()).startsWith("target/");
    }

    @Test
    void filesOutsideTheWorkingDirectoryAreNamedByTheirAbsolutePath() throws Exception {
        write(tmp.resolve("web.yaml"), "containers: {}\n");

        RealCli.Run r = stackwire("validate", tmp.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith(tmp.toAbsolutePath().resolve("web.yaml") + ":1:1: error: this file looks like a stack file");
    }

    @Test
    void aFolderWithoutStackFilesSaysWhichYamlFilesItSkipped() throws Exception {
        write(here.resolve("ci/pipeline.yaml"), "name: build\njobs: {}\n");

        RealCli.Run r = stackwire("validate", here.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith(here + ": error: no stack files in the spec root; skipped 1 YAML file without a top-level"
                + " stack: key or left out by stackwire.yaml: ci/pipeline.yaml (a stack file is a .yaml or .yml file");
    }
}
