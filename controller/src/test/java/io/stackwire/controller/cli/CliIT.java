package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The CLI end to end against the real daemon, loader and planner: plan, save, apply the saved
 * plan, converge, refuse a stale plan, destroy. Resources carry a unique prefix and are removed
 * afterwards; containers are made with the docker CLI because stackwire never creates containers.
 */
class CliIT {

    private static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");

    private final String prefix = "swtest-cli-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path dir;

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

    @BeforeEach
    void startContainer() throws Exception {
        String id = docker("run", "-d", "--name", prefix + "-web", "--network", "none", IMAGE, "sleep", "3600");
        assertThat(id).doesNotStartWith("ERROR");
        Files.writeString(dir.resolve("stack.yaml"), String.join("\n",
                "stack: " + prefix,
                "networks:",
                "  " + prefix + "-front:",
                "    driver: bridge",
                "containers:",
                "  " + prefix + "-web:",
                "    networks:",
                "      " + prefix + "-front:",
                "        aliases: [www]",
                ""));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String c : List.of("-web", "-bystander", "-ci-job", "-intruder", "-hostnet", "-web-stackwire-old", "-web-stackwire-new")) {
            docker("rm", "-f", prefix + c);
        }
        for (String net : docker("network", "ls", "-q", "--filter", "name=" + prefix).split("\\s+")) {
            if (!net.isBlank()) {
                docker("network", "rm", net);
            }
        }
    }

    @Test
    void plansSavesAppliesConvergesAndDestroys() throws Exception {
        String spec = dir.toString();
        Path saved = dir.resolve("plan.json");

        RealCli.Run plan = stackwire("plan", spec, "--detailed-exitcode", "--out", saved.toString());
        assertThat(plan.exit()).as(plan.err()).isEqualTo(2);
        assertThat(plan.out()).contains("+ network." + prefix + "-front (create)");

        RealCli.Run apply = stackwire("apply", saved.toString(), "--lease-name", prefix + "-lease");
        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("Apply complete:");
        assertThat(docker("inspect", prefix + "-web", "--format",
                "{{json (index .NetworkSettings.Networks \"" + prefix + "-front\").Aliases}}")).contains("\"www\"");

        RealCli.Run again = stackwire("plan", spec, "--detailed-exitcode");
        assertThat(again.exit()).as(again.out()).isZero();
        assertThat(again.out()).contains("No changes. The daemon matches the spec.");

        RealCli.Run destroy = stackwire("destroy", spec, "--auto-approve", "--lease-name", prefix + "-lease");
        assertThat(destroy.exit()).as(destroy.out() + destroy.err()).isZero();
        assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-front")).isEmpty();
    }

    @Test
    void aSavedPlanIsAppliedAfterUnrelatedChangesOnABusyDaemon() throws Exception {
        Path saved = dir.resolve("plan.json");
        assertThat(stackwire("plan", dir.toString(), "--out", saved.toString()).exit()).isZero();
        // Somebody else's work on the same daemon, between plan and apply.
        assertThat(docker("network", "create", prefix + "-meanwhile")).doesNotStartWith("ERROR");
        assertThat(docker("run", "-d", "--name", prefix + "-bystander", "--network", prefix + "-meanwhile", IMAGE, "sleep", "600"))
                .doesNotStartWith("ERROR");
        assertThat(docker("run", "-d", "--name", prefix + "-ci-job", IMAGE, "sleep", "600")).doesNotStartWith("ERROR");

        RealCli.Run apply = stackwire("apply", saved.toString(), "--lease-name", prefix + "-lease");

        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("Apply complete:");
        assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-front")).isNotEmpty();
    }

    @Test
    void aSavedPlanIsRefusedWhenAnEndpointOnANetworkItChangesWasAddedAndTheRefusalNamesIt() throws Exception {
        assertThat(stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease").exit()).isZero();
        Files.writeString(dir.resolve("stack.yaml"), Files.readString(dir.resolve("stack.yaml")).replace("[www]", "[www, web]"));
        Path saved = dir.resolve("plan.json");
        assertThat(stackwire("plan", dir.toString(), "--out", saved.toString()).exit()).isZero();
        assertThat(docker("run", "-d", "--name", prefix + "-intruder", "--network", prefix + "-front", IMAGE, "sleep", "600"))
                .doesNotStartWith("ERROR");

        RealCli.Run apply = stackwire("apply", saved.toString(), "--lease-name", prefix + "-lease");

        assertThat(apply.exit()).isEqualTo(1);
        assertThat(apply.err()).contains("the daemon changed since this plan was made, in what the plan depends on",
                "network." + prefix + "-front: endpoint " + prefix + "-intruder added", "run plan again",
                "Saved plan " + saved + " was not applied; nothing was changed.");
        assertThat(docker("inspect", prefix + "-web", "--format",
                "{{json (index .NetworkSettings.Networks \"" + prefix + "-front\").Aliases}}")).doesNotContain("\"web\"");
    }

    @Test
    void aRefusedSpecFailsThePlanAndTheApplyEvenWithDetailedExitCode() throws Exception {
        assertThat(docker("run", "-d", "--name", prefix + "-hostnet", "--network", "host", IMAGE, "sleep", "600")).doesNotStartWith("ERROR");
        Files.writeString(dir.resolve("stack.yaml"), Files.readString(dir.resolve("stack.yaml")) + String.join("\n",
                "  " + prefix + "-hostnet:",
                "    networks: [" + prefix + "-front]",
                ""));

        RealCli.Run plan = stackwire("plan", dir.toString(), "--detailed-exitcode");
        RealCli.Run apply = stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease");
        RealCli.Run again = stackwire("plan", dir.toString(), "--detailed-exitcode");

        assertThat(plan.exit()).as(plan.out() + plan.err()).isEqualTo(1);
        assertThat(plan.out()).contains("[container-host-network]", "; 1 error.");
        assertThat(apply.exit()).isEqualTo(1);
        assertThat(apply.err()).contains("everything else was applied, but not container." + prefix + "-hostnet [container-host-network]");
        assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-front")).as("the rest was applied").isNotEmpty();
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.out()).doesNotContain("matches the spec").contains("No changes can be made, and the daemon does not match the spec: 1 error");
    }

    @Test
    void aReplaceTheDaemonRefusesHalfWayPutsTheOldNetworkBackAndReconnectsTheContainerAsItWas() throws Exception {
        Path stack = dir.resolve("stack.yaml");
        Files.writeString(stack, Files.readString(stack)
                .replace("    driver: bridge", "    driver: bridge\n    ipam: {config: [{subnet: 10.213.231.0/24}]}")
                .replace("        aliases: [www]", "        aliases: [www]\n        ipv4_address: 10.213.231.5"));
        assertThat(stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease").exit()).isZero();
        Files.writeString(stack, Files.readString(stack).replace("10.213.231.", "10.213.232."));
        Path saved = dir.resolve("plan.json");
        assertThat(stackwire("plan", dir.toString(), "--out", saved.toString()).out()).contains("-/+ network." + prefix + "-front");
        // Between plan and apply, someone takes the new subnet: the daemon refuses the create after the old network is gone.
        assertThat(docker("network", "create", "--subnet", "10.213.232.0/24", prefix + "-clash")).doesNotStartWith("ERROR");

        RealCli.Run apply = stackwire("apply", saved.toString(), "--lease-name", prefix + "-lease");

        assertThat(apply.exit()).isEqualTo(1);
        assertThat(apply.out()).contains("create network " + prefix + "-front: FAILED",
                "[rollback] create network " + prefix + "-front (as it was): done",
                "[rollback] connect " + prefix + "-web -> " + prefix + "-front (its config from before the apply): done",
                "rolled back: 2 restored, 0 could not be restored");
        assertThat(apply.err()).contains("was put back");
        assertThat(docker("network", "inspect", prefix + "-front", "--format", "{{(index .IPAM.Config 0).Subnet}}"))
                .isEqualTo("10.213.231.0/24");
        String endpoint = docker("inspect", prefix + "-web", "--format",
                "{{json (index .NetworkSettings.Networks \"" + prefix + "-front\")}}");
        assertThat(endpoint).contains("\"www\"", "\"IPv4Address\":\"10.213.231.5\"");
        assertThat(docker("network", "inspect", prefix + "-front", "--format", "{{index .Labels \"io.stackwire.managed\"}}"))
                .as("still stackwire's").isEqualTo("true");
    }

    @Test
    void destroyTakesContainersOffOnlyWhatStackwireMadeAndListsEachDisconnect() throws Exception {
        // web declares Docker's bridge too (apply connects it); a bystander joins the managed network by hand.
        Files.writeString(dir.resolve("stack.yaml"), Files.readString(dir.resolve("stack.yaml")) + "      bridge: {}\n");
        assertThat(stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease").exit()).isZero();
        assertThat(docker("run", "-d", "--name", prefix + "-bystander", "--network", prefix + "-front", IMAGE, "sleep", "600"))
                .doesNotStartWith("ERROR");

        RealCli.Run destroy = stackwire("destroy", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease");

        assertThat(destroy.exit()).as(destroy.out() + destroy.err()).isZero();
        assertThat(destroy.out()).contains("- attachment." + prefix + "-bystander/" + prefix + "-front (disconnect, disruptive)",
                "- attachment." + prefix + "-web/" + prefix + "-front (disconnect, disruptive)", "2 to disconnect")
                .doesNotContain("attachment." + prefix + "-web/bridge");
        assertThat(docker("inspect", prefix + "-web", "--format", "{{json .NetworkSettings.Networks}}"))
                .as("still on Docker's bridge").contains("\"bridge\"");
        assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-front")).isEmpty();
    }

    @Test
    void destroyOfAStackNobodyHasIsAnErrorWithADidYouMean() {
        String typo = prefix.substring(0, prefix.length() - 1);

        RealCli.Run destroy = stackwire("destroy", dir.toString(), "--stack", typo, "--auto-approve", "--lease-name", prefix + "-lease");

        assertThat(destroy.exit()).isEqualTo(1);
        assertThat(destroy.out()).contains("[unknown-stack]", "did you mean '" + prefix + "'?");
    }

    @Test
    void applyWaitsForTheDaemonLeaseFailsNamingItsHolderThenAppliesOnceItIsReleased() throws Exception {
        String lease = prefix + "-lease";
        long expires = System.currentTimeMillis() / 1000 + 600;
        assertThat(docker("network", "create", "--internal", "--label", "io.stackwire.lease=true",
                "--label", "io.stackwire.lease.owner=ci-apply-7", "--label", "io.stackwire.lease.expires=" + expires,
                lease)).doesNotStartWith("ERROR");

        RealCli.Run busy = stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", lease, "--lock-timeout", "3s");

        assertThat(busy.exit()).isEqualTo(1);
        assertThat(busy.err()).contains("Waiting up to 3s for the daemon lease " + lease + ": held by ci-apply-7 until ",
                "error: the daemon lease " + lease + " is held by ci-apply-7 until ", "nothing was changed");
        assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-front")).isEmpty();

        // The holder finishes while the next apply waits for it.
        Thread holder = new Thread(() -> {
            try {
                Thread.sleep(1500); // deliberate: the apply is waiting for the lease by then
                docker("network", "rm", lease);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        holder.start();
        RealCli.Run apply = stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", lease, "--lock-timeout", "30s");
        holder.join();

        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.err()).contains("held by ci-apply-7");
        assertThat(apply.out()).contains("Apply complete:");
        assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-front")).isNotEmpty();
        assertThat(docker("network", "ls", "-q", "--filter", "name=^" + lease + "$")).as("lease released").isEmpty();
    }

    @Test
    void aReplacementKilledAfterTheNewContainerTookTheNameIsFinishedByTheNextApply() throws Exception {
        String web = prefix + "-web";
        String oldId = docker("inspect", "-f", "{{.Id}}", web);
        // What a kill -9 leaves after the renames, before the new container starts.
        assertThat(docker("stop", "-t", "1", web)).doesNotStartWith("ERROR");
        assertThat(docker("rename", web, web + "-stackwire-old")).doesNotStartWith("ERROR");
        assertThat(docker("create", "--name", web, "--network", "none", "--label", "io.stackwire.replaces=" + oldId,
                "--label", "io.stackwire.replaces.running=true", IMAGE, "sleep", "3600")).doesNotStartWith("ERROR");

        RealCli.Run plan = stackwire("plan", dir.toString(), "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.out() + plan.err()).isEqualTo(2);
        assertThat(plan.out()).contains("- container." + web + "-stackwire-old (destroy",
                "removed (its volumes stay), and the new " + web + " started");

        RealCli.Run apply = stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease");

        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(docker("inspect", "-f", "{{.State.Running}}", web)).isEqualTo("true");
        assertThat(docker("ps", "-a", "-q", "--filter", "name=^" + web + "-stackwire-old$")).isEmpty();
        RealCli.Run again = stackwire("plan", dir.toString(), "--detailed-exitcode");
        assertThat(again.exit()).as(again.out()).isZero();
    }

    @Test
    void aLeaseLeftByAKilledApplyStopsBlockingOnceItExpires() throws Exception {
        String lease = prefix + "-lease";
        // What a kill -9 leaves: the lease network, no renewals, nobody to remove it; it expires in 20 s.
        long expires = System.currentTimeMillis() / 1000 + 20;
        assertThat(docker("network", "create", "--internal", "--label", "io.stackwire.lease=true",
                "--label", "io.stackwire.lease.owner=apply:gone-4242", "--label", "io.stackwire.lease.expires=" + expires,
                lease)).doesNotStartWith("ERROR");
        long start = System.nanoTime();

        RealCli.Run apply = stackwire("apply", dir.toString(), "--auto-approve", "--lease-name", lease, "--lock-timeout", "40s");

        long waited = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.err()).contains("held by apply:gone-4242");
        assertThat(waited).as("waited for the expiry, not for the lock timeout").isBetween(15L, 35L);
        assertThat(docker("network", "ls", "-q", "--filter", "name=" + prefix + "-front")).isNotEmpty();
        assertThat(docker("network", "ls", "-q", "--filter", "name=^" + lease + "$")).as("lease released").isEmpty();
    }

    @Test
    void versionShowsTheDaemonApi() {
        RealCli.Run version = stackwire("version");

        assertThat(version.exit()).isZero();
        assertThat(version.out()).containsPattern("Docker daemon: .*API \\d+\\.\\d+");
    }
}
