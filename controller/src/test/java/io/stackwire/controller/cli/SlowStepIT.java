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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step that takes seconds shows that it is still running: `apply` re-creates a container (to
 * publish a port) whose process ignores SIGTERM, so the stop waits out its 5 s stop timeout.
 */
class SlowStepIT {

    private static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");

    private final String prefix = "swtest-slow-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path dir;

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? output : "ERROR(" + p.exitValue() + "): " + output;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String c : List.of("-web", "-web-stackwire-old", "-web-stackwire-new")) {
            docker("rm", "-f", prefix + c);
        }
        for (String net : docker("network", "ls", "-q", "--filter", "name=" + prefix).split("\\s+")) {
            if (!net.isBlank()) {
                docker("network", "rm", net);
            }
        }
    }

    @Test
    void aContainerReplacementThatTakesSecondsSaysItIsStillReplacing() throws Exception {
        // `sleep` as PID 1 has no SIGTERM handler, so the kernel ignores the signal: docker stop waits 5 s.
        assertThat(docker("run", "-d", "--name", prefix + "-web", "--stop-timeout", "5", "--network", "none", IMAGE, "sleep", "3600"))
                .doesNotStartWith("ERROR");
        Files.writeString(dir.resolve("stack.yaml"), String.join("\n",
                "stack: " + prefix,
                "networks:",
                "  " + prefix + "-front:",
                "    driver: bridge",
                "containers:",
                "  " + prefix + "-web:",
                "    replace: allow",
                "    networks: [" + prefix + "-front]",
                "    ports:",
                "      - \"127.0.0.1::8080\"",
                ""));

        long t0 = System.nanoTime();
        RealCli.Run apply = RealCli.run(System.getenv(), "apply", dir.toString(), "--auto-approve", "--lease-name", prefix + "-lease");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);

        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(seconds).as("the stop timeout was waited out").isGreaterThanOrEqualTo(4);
        List<String> lines = apply.out().lines().toList();
        int still = lines.indexOf("container." + prefix + "-web: Still replacing... [3s elapsed]");
        int done = indexOfPrefix(lines, "replace container " + prefix + "-web: done");
        assertThat(still).as(apply.out()).isNotNegative();
        assertThat(done).as("the step's own line comes after").isGreaterThan(still);
        assertThat(apply.out()).doesNotContain("Still creating", "[10s elapsed]");
        assertThat(docker("port", prefix + "-web")).contains("8080/tcp -> 127.0.0.1:");
    }

    private static int indexOfPrefix(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(start)) {
                return i;
            }
        }
        return -1;
    }
}
