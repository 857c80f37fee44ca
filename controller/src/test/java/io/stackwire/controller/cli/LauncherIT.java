package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's launcher ({@code ./stackwire}) as users run it, on the jar this build packaged:
 * it makes the class-data archive once, maps it afterwards, and keeps stdout a clean plan.
 */
class LauncherIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path LAUNCHER = ROOT.resolve("stackwire");
    private static final Path JAR = ROOT.resolve("controller/target/stackwire.jar");
    private static final Path ARCHIVE = ROOT.resolve("controller/target/stackwire.jsa");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run launch(Path classLog, String... args) throws IOException, InterruptedException {
        return launch(null, classLog, args);
    }

    private Run launch(Path javaHome, Path classLog, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("STACKWIRE_CDS");
        pb.environment().put("STACKWIRE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
        if (javaHome != null) {
            pb.environment().put("JAVA_HOME", javaHome.toString());
        }
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void makesTheClassDataArchiveOnceMapsItAfterwardsAndKeepsStdoutAPlan() throws Exception {
        assertThat(JAR).as("packaged before the integration tests").exists();
        Files.deleteIfExists(ARCHIVE);
        Files.writeString(dir.resolve("stack.yaml"), "stack: swtest-launcher\nnetworks:\n  swtest-launcher-net: {}\n");

        Run first = launch(dir.resolve("first.log"), "plan", dir.toString(), "--format", "json");

        assertThat(first.err()).as("the jar is current: no rebuild from a test").doesNotContain("building");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(ARCHIVE).as("made by the training run").exists();
        JsonNode plan = new ObjectMapper().readTree(first.out());
        assertThat(plan.path("format_version").asInt()).isEqualTo(1);

        Run second = launch(dir.resolve("second.log"), "plan", dir.toString(), "--format", "json");

        assertThat(second.exit()).as(second.err()).isZero();
        assertSamePlan(second.out(), plan);
        // Our own classes come from the archive, not from the jar.
        List<String> loads = Files.readAllLines(dir.resolve("second.log"));
        assertThat(loads).anyMatch(l -> l.contains("io.stackwire.model.yaml.SpecLoader source: shared objects file"));
        assertThat(loads).noneMatch(l -> l.contains("io.stackwire.model.yaml.SpecLoader source: file:"));
        // picocli's classes are compiled for Java 5, which only a static archive keeps on Java 17.
        assertThat(loads).anyMatch(l -> l.contains("picocli.CommandLine source: shared objects file"));

        // A command that changes the daemon finds docker-java's transport there too (the training
        // run sent read-only requests through it). Nothing of this stack is on the daemon: a no-op.
        Run destroy = launch(dir.resolve("destroy.log"), "destroy", dir.toString(), "--auto-approve");
        assertThat(destroy.exit()).as(destroy.err()).isZero();
        List<String> destroyLoads = Files.readAllLines(dir.resolve("destroy.log"));
        assertThat(destroyLoads).anyMatch(l -> l.contains("com.github.dockerjava.zerodep.ApacheDockerHttpClientImpl source: shared objects file"));
        assertThat(destroyLoads).anyMatch(l -> l.contains("com.github.dockerjava.core.DockerClientImpl source: shared objects file"));
    }

    /**
     * The same changes and steps: the notices may differ, since other tests on the shared daemon
     * add and remove other repositories' networks between the two runs ("left alone" notices).
     */
    private static void assertSamePlan(String out, JsonNode plan) throws IOException {
        JsonNode again = new ObjectMapper().readTree(out);
        assertThat(again.path("changes")).isEqualTo(plan.path("changes"));
        assertThat(again.path("steps")).isEqualTo(plan.path("steps"));
    }

    /** A JDK 24+ next to the default one (this machine kind has Temurin's), or null. */
    private static Path newerJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (var homes = Files.list(jvms)) {
            for (Path home : homes.sorted().toList()) {
                Path release = home.resolve("release");
                if (Files.isRegularFile(release) && Files.isExecutable(home.resolve("bin/java"))) {
                    var m = java.util.regex.Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                    if (m.find() && Integer.parseInt(m.group(1)) >= 24) {
                        return home;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void onJava24OrLaterItMakesAndUsesAnAotCacheInstead() throws Exception {
        Path jdk = newerJdk();
        if (jdk == null) {
            assertThat(System.getenv("CI")).as("no JDK 24+ under /usr/lib/jvm to test the AOT cache with").isNotEqualTo("true");
            org.junit.jupiter.api.Assumptions.abort("no JDK 24+ under /usr/lib/jvm");
        }
        String feature = Files.readString(jdk.resolve("release")).replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1");
        Path cache = ROOT.resolve("controller/target/stackwire-java" + feature + ".aot");
        Files.deleteIfExists(cache);
        Files.writeString(dir.resolve("stack.yaml"), "stack: swtest-launcher\nnetworks:\n  swtest-launcher-net: {}\n");

        Run first = launch(jdk, dir.resolve("first.log"), "plan", dir.toString(), "--format", "json");

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).as("no JVM chatter about the cache").doesNotContain("AOT", "aot");
        assertThat(cache).as("made by the training run").exists();
        JsonNode plan = new ObjectMapper().readTree(first.out());

        Run second = launch(jdk, dir.resolve("second.log"), "plan", dir.toString(), "--format", "json");

        assertThat(second.exit()).as(second.err()).isZero();
        assertSamePlan(second.out(), plan);
        List<String> loads = Files.readAllLines(dir.resolve("second.log"));
        assertThat(loads).anyMatch(l -> l.contains("io.stackwire.model.yaml.SpecLoader source: shared objects file"));
        assertThat(loads).noneMatch(l -> l.contains("io.stackwire.model.yaml.SpecLoader source: file:"));
    }

    @Test
    void turnedOffItLoadsFromTheJar() throws Exception {
        Files.writeString(dir.resolve("stack.yaml"), "stack: swtest-launcher\nnetworks:\n  swtest-launcher-net: {}\n");
        List<String> cmd = List.of(LAUNCHER.toString(), "validate", dir.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("STACKWIRE_CDS", "0");
        pb.environment().put("STACKWIRE_JAVA_OPTS", "-Xlog:class+load=info:file=" + dir.resolve("off.log"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(Files.readAllLines(dir.resolve("off.log")))
                .anyMatch(l -> l.contains("io.stackwire.model.yaml.SpecLoader source: file:"));
    }

    /** Runs a command in a folder, output to files in {@link #dir} named after {@code tag}. */
    private Run sh(Path cwd, String tag, List<String> cmd) throws IOException, InterruptedException {
        Process p = start(cwd, tag, cmd);
        assertThat(p.waitFor(20, TimeUnit.MINUTES)).as("%s finished", cmd).isTrue();
        return result(p, tag);
    }

    private Process start(Path cwd, String tag, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectOutput(dir.resolve(tag + ".out").toFile()).redirectError(dir.resolve(tag + ".err").toFile());
        pb.environment().remove("STACKWIRE_CDS");
        pb.environment().remove("STACKWIRE_JAVA_OPTS");
        return pb.start();
    }

    private Run result(Process p, String tag) throws IOException {
        return new Run(p.exitValue(), Files.readString(dir.resolve(tag + ".out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve(tag + ".err"), StandardCharsets.UTF_8));
    }

    @Test
    void twoFirstRunsAtOnceBuildOnceAndAMovedCheckoutRunsWithoutWarnings() throws Exception {
        // A fresh checkout: the sources without any build output.
        Path copy = dir.resolve("checkout");
        Files.createDirectories(copy);
        Run tar = sh(dir, "tar", List.of("sh", "-c", "tar -C \"$0\" --exclude=./.git --exclude=target -cf - . | tar -C \"$1\" -xf -",
                ROOT.toString(), copy.toString()));
        assertThat(tar.exit()).as(tar.err()).isZero();
        assertThat(copy.resolve("controller/target")).doesNotExist();

        Process a = start(dir, "a", List.of(copy.resolve("stackwire").toString(), "--version"));
        Process b = start(dir, "b", List.of(copy.resolve("stackwire").toString(), "--version"));
        assertThat(a.waitFor(20, TimeUnit.MINUTES) && b.waitFor(20, TimeUnit.MINUTES)).as("both finished").isTrue();
        Run ra = result(a, "a");
        Run rb = result(b, "b");

        assertThat(ra.exit()).as(ra.err()).isZero();
        assertThat(rb.exit()).as(rb.err()).isZero();
        assertThat(ra.out()).startsWith("stackwire ");
        assertThat(rb.out()).isEqualTo(ra.out());
        // One of them built; the other waited for it and found the jar current.
        assertThat((ra.err() + rb.err()).split("stackwire: building", -1)).hasSize(2);

        // The archive made for the old path must not produce a warning on every command after a move.
        Path moved = dir.resolve("moved");
        Files.move(copy, moved);
        for (String tag : List.of("moved1", "moved2")) {
            Run r = sh(dir, tag, List.of(moved.resolve("stackwire").toString(), "validate", moved.resolve("examples/walkthrough").toString()));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).as(tag).isEmpty();
        }
        assertThat(Files.readString(moved.resolve("controller/target/stackwire.jsa.jar")).strip())
                .isEqualTo(moved.resolve("controller/target/stackwire.jar").toString());
    }
}
