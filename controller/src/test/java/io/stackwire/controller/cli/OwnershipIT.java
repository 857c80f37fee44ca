package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.controller.source.RepoIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two spec repositories on one daemon that both run a stack of the same name: neither prunes nor
 * destroys the other's networks, and a network both declare stays the first one's.
 */
class OwnershipIT {

    private final String prefix = "swtest-own-" + UUID.randomUUID().toString().substring(0, 8);
    private final String stack = prefix + "-app";

    @TempDir
    Path dir;

    private Path repoA;
    private Path repoB;

    private static RealCli.Run stackwire(String... args) {
        return RealCli.run(System.getenv(), args);
    }

    /**
     * apply or destroy; the daemon is shared with other test runs, so a plan that went stale
     * between planning and applying (someone else's network appeared) is planned again.
     */
    private RealCli.Run changing(String command, Path repo) {
        RealCli.Run r = null;
        for (int i = 0; i < 5; i++) {
            r = stackwire(command, repo.toString(), "--auto-approve", "--lease-name", prefix + "-lease");
            if (!r.err().contains("the daemon changed since this plan was made")) {
                return r;
            }
        }
        return r;
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? output : "ERROR(" + p.exitValue() + "): " + output;
    }

    private Path repo(String name, String... networks) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        StringBuilder yaml = new StringBuilder("stack: " + stack + "\nnetworks:\n");
        for (String n : networks) {
            yaml.append("  ").append(prefix).append('-').append(n).append(":\n    driver: bridge\n");
        }
        Files.writeString(d.resolve("stack.yaml"), yaml.toString());
        return d;
    }

    private String label(String network, String key) throws Exception {
        return docker("network", "inspect", "--format", "{{index .Labels \"" + key + "\"}}", prefix + "-" + network);
    }

    private boolean exists(String network) throws Exception {
        return !docker("network", "inspect", prefix + "-" + network).startsWith("ERROR");
    }

    @BeforeEach
    void twoRepositoriesWithOneStackName() throws Exception {
        repoA = repo("repo-a", "a", "shared");
        repoB = repo("repo-b", "b", "shared");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String net : docker("network", "ls", "-q", "--filter", "name=" + prefix).split("\\s+")) {
            if (!net.isBlank()) {
                docker("network", "rm", net);
            }
        }
    }

    @Test
    void neitherRepositoryPrunesNorDestroysTheOthersNetworks() throws Exception {
        RealCli.Run applyA = changing("apply", repoA);
        assertThat(applyA.exit()).as(applyA.out() + applyA.err()).isZero();
        assertThat(label("a", "io.stackwire.repo")).isEqualTo(RepoIdentity.ofFolder(repoA));

        RealCli.Run planB = stackwire("plan", repoB.toString());
        assertThat(planB.out()).as("the network both declare is A's").contains("Error: network." + prefix + "-shared: network "
                + prefix + "-shared belongs to another repository (owner " + RepoIdentity.ofFolder(repoA) + ")")
                .contains("[conflict-other-owner]")
                .doesNotContain("- network." + prefix + "-a")
                .doesNotContain(prefix + "-shared (replace)");
        RealCli.Run applyB = changing("apply", repoB);
        assertThat(applyB.out()).as(applyB.err()).contains("[conflict-other-owner]");
        assertThat(exists("b")).as(applyB.out() + applyB.err()).isTrue();
        assertThat(label("b", "io.stackwire.repo")).isEqualTo(RepoIdentity.ofFolder(repoB));
        assertThat(label("shared", "io.stackwire.repo")).as("B never replaced A's network").isEqualTo(RepoIdentity.ofFolder(repoA));
        assertThat(exists("a")).as("B never pruned A's network of the same stack").isTrue();

        RealCli.Run planA = stackwire("plan", repoA.toString(), "--detailed-exitcode");
        assertThat(planA.exit()).as(planA.out() + planA.err()).isZero();
        assertThat(planA.out()).doesNotContain("- network." + prefix + "-b")
                .containsPattern("Info: \\d+ networks? of \\d+ other repositor(y|ies)[^\\n]* left alone \\[other-owners-networks\\]")
                .doesNotContain("foreign-stack-network");

        RealCli.Run destroyA = changing("destroy", repoA);
        assertThat(destroyA.exit()).as(destroyA.out() + destroyA.err()).isZero();
        assertThat(exists("a")).isFalse();
        assertThat(exists("shared")).as("A's own network of the name both declare").isFalse();
        assertThat(exists("b")).as("destroy of A leaves B's network of the same stack").isTrue();

        RealCli.Run destroyB = changing("destroy", repoB);
        assertThat(destroyB.exit()).as(destroyB.out() + destroyB.err()).isZero();
        assertThat(exists("b")).isFalse();
    }
}
