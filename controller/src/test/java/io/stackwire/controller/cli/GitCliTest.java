package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.controller.source.TestRepo;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.reconcile.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --repo/--ref/--path options with the real loader and planner, a real Git repository and an in-memory daemon. */
class GitCliTest {

    private static final String STACK = String.join("\n",
            "stack: shop",
            "networks:",
            "  shop-front:",
            "    driver: bridge",
            "containers:",
            "  shop-web:",
            "    networks:",
            "      shop-front:",
            "        aliases: [www]",
            "");

    @TempDir
    Path tmp;

    private TestRepo repo;
    private RevCommit commit;
    private final InMemoryDaemon docker = new InMemoryDaemon("fake:///docker.sock");
    private final Map<String, String> environment = new HashMap<>();
    private int gatewaysOpened;

    @BeforeEach
    void makeRepo() throws Exception {
        repo = TestRepo.init(tmp.resolve("origin"));
        commit = repo.commit("spec", Map.of("stacks/shop.yaml", STACK, "README.md", "not a spec\n"));
    }

    @AfterEach
    void close() {
        repo.close();
    }

    private RealCli.Run stackwire(String... args) {
        Workflow workflow = new Workflow(SpecLoader::load, Planner::plan, () -> {
            gatewaysOpened++;
            return docker;
        });
        return RealCli.run(workflow, environment, args);
    }

    private String cache() {
        return tmp.resolve("cache").toString();
    }

    @Test
    void validateReadsABranchWithoutACheckoutOrADaemon() {
        RealCli.Run r = stackwire("validate", "--repo", repo.url(), "--ref", "main", "--path", "stacks", "--cache-dir", cache(), "--host", "edge-1");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Valid: 1 stack, 1 network, 1 container for host edge-1;", "(commit " + commit.name() + ")");
        assertThat(r.err()).contains("Spec: " + repo.url() + "@main path stacks at commit " + commit.name());
        assertThat(gatewaysOpened).isZero();
    }

    @Test
    void validateReportsErrorsOfTheCommitWithFileLineAndColumn() throws Exception {
        RevCommit bad = repo.commit("stacks/shop.yaml", STACK.replace("driver: bridge", "driver: [bridge"));

        RealCli.Run r = stackwire("validate", "--repo", repo.url(), "--path", "stacks", "--cache-dir", cache(), "--format", "json");

        assertThat(r.exit()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("valid").asBoolean()).isFalse();
        assertThat(json.get("revision").asText()).isEqualTo(bad.name());
        // The path inside the repository, not inside --path: what the user finds in a checkout of the commit.
        assertThat(json.get("errors").get(0).get("file").asText()).isEqualTo("stacks/shop.yaml");
        assertThat(json.get("errors").get(0).get("line").asInt()).isPositive();
    }

    @Test
    void diagnosticsOfACommitNameFilesByTheirPathInTheRepositoryAndSkippedFilesShowUnderDebug() throws Exception {
        RevCommit c = repo.commit("more", Map.of("stacks/broken.yaml", "containers: {}\n",
                "stacks/compose.yaml", "services: {web: {}}\nnetworks: {front: {}}\n"));
        environment.put("STACKWIRE_DEBUG", "1");

        RealCli.Run r = stackwire("validate", "--repo", repo.url(), "--path", "stacks", "--cache-dir", cache());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("stacks/broken.yaml:1:1: error: this file looks like a stack file (it has containers:)");
        assertThat(r.out()).endsWith("Invalid: 1 error, 0 warnings. (commit " + c.name() + ")\n");
        assertThat(r.err()).contains("Spec: " + repo.url() + " path stacks at commit " + c.name(),
                "debug: skipped stacks/compose.yaml: no top-level stack: key");
    }

    @Test
    void planShowsTheCommitAsTheRevision() throws Exception {
        RealCli.Run r = stackwire("plan", "--repo", repo.url(), "--ref", "main", "--path", "stacks", "--cache-dir", cache(),
                "--host", "edge-1", "--format", "json", "--detailed-exitcode");

        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        JsonNode plan = new ObjectMapper().readTree(r.out());
        assertThat(plan.get("revision").asText()).isEqualTo(commit.name());

        RealCli.Run text = stackwire("plan", "--repo", repo.url(), "--path", "stacks", "--cache-dir", cache(), "--host", "edge-1");
        assertThat(text.out()).contains("(revision " + commit.name() + ")", "+ network.shop-front (create)");
    }

    @Test
    void aMissingPathInTheRepositoryIsOneClearErrorAndNeverReachesTheDaemon() {
        RealCli.Run r = stackwire("plan", "--repo", repo.url(), "--path", "stack", "--cache-dir", cache());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: git: --path stack does not exist in commit " + commit.name()
                + " (the default branch); the top level has: README.md, stacks/\n");
        assertThat(gatewaysOpened).isZero();
    }

    @Test
    void refusesPathTogetherWithRepo() {
        RealCli.Run r = stackwire("plan", tmp.toString(), "--repo", repo.url());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: give either PATH or --repo, not both\n");
    }

    @Test
    void refusesGitOptionsWithoutRepo() {
        RealCli.Run r = stackwire("validate", tmp.toString(), "--ref", "main", "--path", "stacks");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: --ref, --path only apply with --repo URL\n");
    }

    @Test
    void applyWithRepoRefusesASavedPlanFile() throws Exception {
        Path saved = tmp.resolve("plan.json");
        Files.writeString(saved, "{}");

        RealCli.Run r = stackwire("apply", saved.toString(), "--repo", repo.url());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: give either PATH|PLANFILE or --repo, not both\n");
    }

    @Test
    void applyAndDestroyReadTheRepositoryToo() {
        RealCli.Run apply = stackwire("apply", "--repo", repo.url(), "--path", "stacks", "--cache-dir", cache(), "--host", "edge-1", "--auto-approve");
        assertThat(apply.exit()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("(revision " + commit.name() + ")", "Apply complete");
        assertThat(docker.changes()).contains("create shop-front");

        RealCli.Run destroy = stackwire("destroy", "--repo", repo.url(), "--path", "stacks", "--cache-dir", cache(), "--host", "edge-1", "--auto-approve");
        assertThat(destroy.exit()).as(destroy.err()).isZero();
        assertThat(destroy.out()).contains("(revision " + commit.name() + ")");
    }

    @Test
    void aPasswordWithoutAUserNameIsAUsageErrorThatDoesNotShowThePassword() {
        environment.put("STACKWIRE_GIT_PASSWORD", "hunter2-secret");

        RealCli.Run r = stackwire("validate", "--repo", repo.url(), "--cache-dir", cache());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("a Git password needs a user name").doesNotContain("hunter2-secret");
    }
}
