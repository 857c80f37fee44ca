package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.controller.source.TestRepo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import io.stackwire.controller.source.GitSourceTestSupport;
import java.time.Duration;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's use of the Git source against the real daemon: plan a branch of a repository (file://)
 * without a checkout, apply it, and see the next commit's change in the next plan. Networks carry
 * a unique swtest- prefix and are removed afterwards.
 */
class GitSourceIT {

    private static final Duration SOON = Duration.ofSeconds(10);

    private final String prefix = "swtest-git-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path tmp;

    private TestRepo repo;

    private static RealCli.Run stackwire(String... args) {
        return RealCli.run(System.getenv(), args);
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? output : "ERROR(" + p.exitValue() + "): " + output;
    }

    private String stack(String... networks) {
        StringBuilder sb = new StringBuilder("stack: " + prefix + "\nnetworks:\n");
        for (String n : networks) {
            sb.append("  ").append(prefix).append('-').append(n).append(":\n    driver: bridge\n");
        }
        return sb.toString();
    }

    @BeforeEach
    void makeRepo() throws Exception {
        repo = TestRepo.init(tmp.resolve("origin"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        repo.close();
        for (String net : docker("network", "ls", "-q", "--filter", "name=" + prefix).split("\\s+")) {
            if (!net.isBlank()) {
                docker("network", "rm", net);
            }
        }
    }

    @Test
    void plansAndAppliesABranchWithoutACheckoutAndFollowsTheNextCommit() throws Exception {
        RevCommit first = repo.commit("spec", Map.of("stacks/net.yaml", stack("front"), "README.md", "docs\n"));
        String[] git = {"--repo", repo.url(), "--ref", "main", "--path", "stacks", "--cache-dir", tmp.resolve("cache").toString()};

        RealCli.Run plan = stackwire(concat(new String[] {"plan", "--detailed-exitcode"}, git));
        assertThat(plan.exit()).as(plan.err()).isEqualTo(2);
        assertThat(plan.out()).contains("(revision " + first.name() + ")", "+ network." + prefix + "-front (create)");

        RealCli.Run apply = stackwire(concat(new String[] {"apply", "--auto-approve", "--lease-name", prefix + "-lease"}, git));
        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-front")).isNotEmpty();

        RevCommit second = repo.commit("stacks/net.yaml", stack("front", "back"));
        RealCli.Run next = stackwire(concat(new String[] {"plan", "--detailed-exitcode"}, git));
        assertThat(next.exit()).as(next.err()).isEqualTo(2);
        assertThat(next.out()).contains("(revision " + second.name() + ")", "+ network." + prefix + "-back (create)")
                .doesNotContain(prefix + "-front (create)");

        RealCli.Run pinned = stackwire("plan", "--detailed-exitcode", "--repo", repo.url(), "--ref", first.name(), "--path", "stacks",
                "--cache-dir", tmp.resolve("cache").toString());
        assertThat(pinned.exit()).as(pinned.err()).isZero();
        assertThat(pinned.out()).contains("No changes.");
    }

    @Test
    void runFollowsTheBranchAndKeepsTheLastGoodRevisionWhenTheRepositoryGoesAway() throws Exception {
        RevCommit first = repo.commit("stacks/net.yaml", stack("front"));
        Env env = RealCli.env(System.getenv());
        picocli.CommandLine cl = Main.commandLine(env);
        cl.setOut(new PrintWriter(new StringWriter(), true));
        picocli.CommandLine.ParseResult parsed = cl.parseArgs("run", "--repo", repo.url(), "--ref", "main", "--path", "stacks",
                "--cache-dir", tmp.resolve("cache").toString(), "--interval", "1s", "--listen", "127.0.0.1:0",
                "--lease-name", prefix + "-lease");
        RunCommand cmd = (RunCommand) parsed.subcommand().commandSpec().userObject();
        try (RunCommand.Running r = cmd.launch()) {
            assertThat(r.source().describe()).isEqualTo(repo.url() + "@main path stacks");
            await().atMost(SOON).untilAsserted(() -> {
                assertThat(r.loop().status().revision()).isEqualTo(first.name());
                assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-front")).isNotEmpty();
            });

            RevCommit second = repo.commit("stacks/net.yaml", stack("front", "back"));
            await().atMost(SOON).untilAsserted(() -> {
                assertThat(r.loop().status().revision()).isEqualTo(second.name());
                assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-back")).isNotEmpty();
            });

            repo.close();
            GitSourceTestSupport.deleteTree(repo.dir);
            await().atMost(SOON).untilAsserted(() -> assertThat(r.loop().status().errors())
                    .anySatisfy(e -> assertThat(e.kind() + ": " + e.message()).startsWith("source: git: cannot list the refs of")));
            assertThat(r.loop().status().revision()).isEqualTo(second.name());
            assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-front")).isNotEmpty();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
