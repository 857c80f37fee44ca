package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.controller.source.RepoIdentity;
import io.stackwire.model.DesiredState;
import io.stackwire.model.ReplacePolicy;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.yaml.LoadResult;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.render.LiveStateJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export-state and plan --live-state, with the in-memory daemon. */
class LiveStateCliTest {

    @TempDir
    Path dir;

    private final CliHarness cli = new CliHarness();

    @Test
    void exportStatePrintsTheObservedStateAsJson() throws Exception {
        cli.docker.withNetwork("front");

        CliHarness.Run r = cli.run("export-state");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(LiveStateJson.read(r.out())).isEqualTo(cli.docker.observe());
        assertThat(r.out()).startsWith("{\n  \"format_version\": 1,");
    }

    @Test
    void exportStateWritesAFileAndSaysHowToUseIt() throws Exception {
        cli.docker.withNetwork("front");
        Path file = dir.resolve("live.json");

        CliHarness.Run r = cli.run("export-state", "--out", file.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(LiveStateJson.read(file)).isEqualTo(cli.docker.observe());
        assertThat(r.err()).contains("(1 network, 0 containers)", "stackwire plan PATH --live-state " + file);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void exportStateReportsAnUnreachableDaemonInOneLine() {
        cli.docker.unavailable(new GatewayException(GatewayException.Kind.UNAVAILABLE, "connection refused"));

        CliHarness.Run r = cli.run("export-state");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: cannot reach the Docker daemon at fake:///docker.sock: connection refused\n");
    }

    @Test
    void planWithALiveStateFilePlansAgainstItAndNeverOpensTheDaemon() throws Exception {
        cli.docker.withNetwork("front");
        LiveState snapshot = cli.docker.observe();
        Path file = dir.resolve("live.json");
        Files.writeString(file, LiveStateJson.write(snapshot), StandardCharsets.UTF_8);
        cli.docker.withNetwork("only-on-the-daemon");
        List<LiveState> seen = new ArrayList<>();
        cli.planner = (d, l, p) -> {
            seen.add(l);
            return Plans.createFront("");
        };

        CliHarness.Run r = cli.run("plan", dir.toString(), "--live-state", file.toString(), "--detailed-exitcode");

        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(seen).containsExactly(snapshot);
        assertThat(cli.gatewaysOpened).isZero();
    }

    @Test
    void everyPlanActsForTheSpecsOwnerTheDeclaredOneElseTheFoldersWithOrWithoutADaemon() throws Exception {
        Path file = dir.resolve("live.json");
        Files.writeString(file, LiveStateJson.write(cli.docker.observe()), StandardCharsets.UTF_8);
        List<String> owners = new ArrayList<>();
        cli.planner = (d, l, p) -> {
            owners.add(d.owner());
            return Plans.createFront("");
        };

        cli.run("plan", dir.toString(), "--live-state", file.toString());
        cli.run("plan", dir.toString());
        cli.load = new LoadResult(DesiredState.of("edge-1", "test", List.of(),
                new RepoPolicy(true, false, ReplacePolicy.PLAN_ONLY, false, "team-edge")), List.of());
        cli.run("plan", dir.toString(), "--live-state", file.toString());
        cli.run("plan", dir.toString());

        String folder = RepoIdentity.ofFolder(dir);
        assertThat(owners).containsExactly(folder, folder, "team-edge", "team-edge");
    }

    @Test
    void planRefusesALiveStateFileOfAnotherVersionBeforeLoadingTheSpec() throws Exception {
        Path file = dir.resolve("live.json");
        Files.writeString(file, "{\"format_version\": 7}", StandardCharsets.UTF_8);

        CliHarness.Run r = cli.run("plan", dir.toString(), "--live-state", file.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: " + file + ": live state snapshot has format_version 7, but this stackwire reads only "
                + "format_version 1; export it again with this version of stackwire (stackwire export-state)\n");
        assertThat(cli.loads).isEmpty();
        assertThat(cli.gatewaysOpened).isZero();
    }

    @Test
    void planReportsAMissingLiveStateFile() {
        CliHarness.Run r = cli.run("plan", dir.toString(), "--live-state", dir.resolve("nope.json").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + dir.resolve("nope.json") + ": cannot read live state file");
        assertThat(cli.gatewaysOpened).isZero();
    }
}
