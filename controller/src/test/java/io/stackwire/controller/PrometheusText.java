package io.stackwire.controller;

import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks a /metrics exposition with scripts/check-metrics, the Prometheus client's own text-format
 * parser (Debian's python3-prometheus-client). Without that package a test is skipped, except
 * under CI=true, where it fails: scripts/test installs it.
 */
public final class PrometheusText {

    public record Checked(int exit, String output) {}

    private PrometheusText() {}

    /** The families the parser found, one "name type samples" each; fails the test when it rejects the text. */
    public static List<String> families(String exposition) throws IOException {
        Checked c = check(exposition);
        if (c.exit() != 0) {
            fail("scripts/check-metrics rejected /metrics: " + c.output() + "\n" + exposition);
        }
        return c.output().lines().toList();
    }

    public static Checked check(String exposition) throws IOException {
        Path script = Path.of("..", "scripts", "check-metrics").toAbsolutePath().normalize();
        boolean parser = new ProcessBuilder("/usr/bin/python3", "-c", "import prometheus_client.parser")
                .redirectErrorStream(true).start().onExit().join().exitValue() == 0;
        if (!parser) {
            if ("true".equals(System.getenv("CI"))) {
                fail("the Prometheus text-format parser is missing: apt-get install python3-prometheus-client"
                        + " (scripts/test installs it)");
            }
            assumeThat(parser).as("python3-prometheus-client is not installed").isTrue();
        }
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("scripts/check-metrics did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
        return new Checked(p.exitValue(), out);
    }
}
