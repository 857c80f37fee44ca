package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.render.PublishedSchema;
import io.stackwire.model.DesiredState;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.StackSpec;
import io.stackwire.model.yaml.LoadResult;
import io.stackwire.reconcile.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What plan --format json, plan --out and export-state print or save is valid against the schemas in docs/schemas. */
class JsonOutputSchemaTest {

    @TempDir
    Path dir;

    private final CliHarness cli = new CliHarness();

    @Test
    void exportStateOutputIsValid() throws Exception {
        cli.docker.withNetwork("front");
        cli.docker.withNetwork("old");
        Path file = dir.resolve("live.json");

        CliHarness.Run printed = cli.run("export-state");
        CliHarness.Run saved = cli.run("export-state", "--out", file.toString());

        assertThat(printed.exit()).as(printed.err()).isZero();
        assertThat(saved.exit()).as(saved.err()).isZero();
        PublishedSchema.LIVE_STATE.assertValid(printed.out());
        PublishedSchema.LIVE_STATE.assertValid(Files.readString(file));
    }

    @Test
    void aPlannedPlanPrintedOrSavedIsValid() throws Exception {
        NetworkSpec front = new NetworkSpec("front", "app", "bridge", false, false, false, false, null, null, null, false, false, null);
        cli.load = new LoadResult(DesiredState.of("edge-1", "test",
                List.of(new StackSpec("app", "app.yaml", List.of(front), List.of(), null)), RepoPolicy.DEFAULT), List.of());
        cli.planner = Planner::plan;
        cli.docker.withNetwork("unrelated");
        Path file = dir.resolve("plan.json");

        CliHarness.Run printed = cli.run("plan", dir.toString(), "--format", "json");
        CliHarness.Run saved = cli.run("plan", dir.toString(), "--out", file.toString());

        assertThat(printed.out()).contains("\"action\": \"create\"", "\"dependencies\"");
        assertThat(saved.exit()).as(saved.err()).isZero();
        PublishedSchema.PLAN.assertValid(printed.out());
        PublishedSchema.PLAN.assertValid(Files.readString(file));
    }
}
