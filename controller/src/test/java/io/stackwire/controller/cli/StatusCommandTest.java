package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.controller.loop.LoopStatus;
import io.stackwire.controller.loop.LoopStatus.AttachmentView;
import io.stackwire.controller.loop.LoopStatus.ContainerView;
import io.stackwire.model.yaml.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    @TempDir
    Path dir;

    @Test
    void rendersEachContainersNetworksAliasesPortsAndDrift() {
        var containers = List.of(
                new ContainerView("db", "shop", "running", List.of(new AttachmentView("back", List.of("postgres"), true)),
                        List.of("127.0.0.1:5432:5432/tcp"), List.of("5432:5432/tcp"), "ports changed: 5432:5432 -> 127.0.0.1:5432:5432"),
                new ContainerView("web", "shop", "missing", List.of(new AttachmentView("front", List.of(), false)),
                        null, List.of(), null));

        String text = StatusCommand.renderContainers(new ObjectMapper().valueToTree(containers));

        assertThat(text).isEqualTo("""
                Containers:
                  db (running)
                    networks:  back [postgres]
                    ports:     127.0.0.1:5432:5432/tcp
                    published: 5432:5432/tcp
                    DRIFT: ports changed: 5432:5432 -> 127.0.0.1:5432:5432
                  web (missing)
                    networks:  front (not attached)
                    ports:     not managed by the spec
                    published: none
                """);
    }

    @Test
    void printsConvergenceAndEachPlanErrorWithItsResourceCodeAndHintOnce() {
        var last = new LoopStatus.LastPass("plan_errors", "c1", List.of("interval"), "2026-11-28T05:00:00Z", 4, 0, 0, List.of(),
                "1 plan error(s): part of the spec is refused");
        var status = new LoopStatus("edge-1", "/srv/spec", "me", true, false, "c1", "c1", "2026-11-28T04:00:00Z", last, false,
                "2026-11-28T05:00:00Z", List.of(),
                List.of(new LoopStatus.NoticeView("error", "container-host-network", "container.web", "web uses the host's network"),
                        new LoopStatus.NoticeView("warning", "drift-left", "network.front", "front drifted")),
                null,
                List.of(new LoopStatus.ErrorView("plan", "c1", null, 0, 0, "web uses the host's network", "re-create it",
                        "container-host-network", "container.web")),
                null, true, 0, List.of(), null, null, null, 0);

        String text = StatusCommand.render(new ObjectMapper().valueToTree(status));

        assertThat(text).contains("Last pass: plan_errors, 0/0 step(s) applied", "\nConverged: no\n",
                "\nwarning: front drifted\n",
                "\nerror: container.web: web uses the host's network [container-host-network] (re-create it)\n");
        assertThat(text.split("web uses the host's network", -1)).as("the error notice is not printed twice").hasSize(2);
    }

    @Test
    void saysWhenFetchingFailsAndThatTheRevisionIsStillEnforced() {
        var last = new LoopStatus.LastPass("no_changes", "c1", List.of("interval"), "2026-11-28T05:00:00Z", 4, 0, 0, List.of(),
                "fetch failing since 2026-11-28T04:50:00Z, revision c1 still enforced");
        String failing = "git: cannot list the refs of https://git.example/repo.git: connection failed";
        var status = new LoopStatus("edge-1", "https://git.example/repo.git", "me", true, false, "c1", "c1", "2026-11-28T04:00:00Z",
                last, true, "2026-11-28T05:00:00Z", List.of(), List.of(), null,
                List.of(new LoopStatus.ErrorView("source", null, null, 0, 0, failing, "")), null, true, 0, List.of(),
                failing, "2026-11-28T04:50:00Z", "2026-11-28T04:49:30Z", 6);

        String text = StatusCommand.render(new ObjectMapper().valueToTree(status));

        assertThat(text).contains("\nConverged: yes\n", "\nFetch: FAILING since 2026-11-28T04:50:00Z (6 in a row, last success "
                + "2026-11-28T04:49:30Z); revision above still enforced\n", "\nerror: source: " + failing + "\n");
    }

    @Test
    void withoutAControllerShowsTheSpecsContainersFromTheDaemonAndExitsOne() throws Exception {
        Files.writeString(dir.resolve("stack.yaml"), """
                stack: shop
                networks:
                  front: {driver: bridge}
                containers:
                  web:
                    ports: ["127.0.0.1:8080:80"]
                    networks: {front: {aliases: [www]}}
                """);
        CliHarness cli = new CliHarness();
        cli.load = SpecLoader.load(dir, "edge-1");

        CliHarness.Run r = cli.run("status", dir.toString(), "--listen", "127.0.0.1:1");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: no controller answers at http://127.0.0.1:1/status");
        assertThat(r.out()).contains("No controller; read directly from the daemon at fake:///docker.sock for host edge-1",
                "  web (missing)", "    networks:  front [www] (not attached)", "    ports:     127.0.0.1:8080:80/tcp");

        CliHarness.Run json = cli.run("status", dir.toString(), "--listen", "127.0.0.1:1", "--format", "json");
        assertThat(new ObjectMapper().readTree(json.out()).path("containers").get(0).path("ports").get(0).asText())
                .isEqualTo("127.0.0.1:8080:80/tcp");
        CliHarness.Run legacy = cli.run("status", dir.toString(), "--listen", "127.0.0.1:1", "--json");
        assertThat(legacy.out()).as("the old spelling still works").isEqualTo(json.out());
    }
}
