package io.stackwire.model.bench;

import io.stackwire.model.yaml.LoadResult;
import io.stackwire.model.yaml.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loads and validates a generated repo of 100 stack files with 1,000 networks (each with a subnet)
 * and 1,000 containers holding 5,000 attachments (static address and alias each) and 5,000 port
 * bindings on distinct addresses. Target: under 1 s per load on a 2-core machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpecLoadBenchmark {

    static final int STACKS = 100;
    static final int NETWORKS_PER_STACK = 10;
    static final int CONTAINERS_PER_STACK = 10;
    static final int ATTACHMENTS_PER_CONTAINER = 5;

    Path root;

    @Setup(Level.Trial)
    public void generate() throws IOException {
        root = Files.createTempDirectory("stackwire-bench");
        generate(root);
        LoadResult check = SpecLoader.load(root, "bench");
        if (check.hasErrors() || check.state().networks().size() != STACKS * NETWORKS_PER_STACK) {
            throw new IllegalStateException("generated spec is invalid: " + check.diagnostics().subList(0, 3));
        }
    }

    static void generate(Path root) throws IOException {
        for (int s = 0; s < STACKS; s++) {
            StringBuilder b = new StringBuilder("stack: s" + s + "\nnetworks:\n");
            for (int n = 0; n < NETWORKS_PER_STACK; n++) {
                int id = s * NETWORKS_PER_STACK + n; // 0..999 -> subnet 10.(id/250).(id%250).0/24
                b.append("  net").append(id).append(":\n    ipam:\n      config:\n        - subnet: 10.")
                        .append(id / 250).append('.').append(id % 250).append(".0/24\n");
            }
            b.append("containers:\n");
            for (int c = 0; c < CONTAINERS_PER_STACK; c++) {
                int cid = s * CONTAINERS_PER_STACK + c;
                b.append("  c").append(cid).append(":\n    networks:\n");
                for (int a = 0; a < ATTACHMENTS_PER_CONTAINER; a++) {
                    int id = s * NETWORKS_PER_STACK + (c + a) % NETWORKS_PER_STACK;
                    b.append("      net").append(id).append(":\n        aliases: [c").append(cid).append("-a").append(a)
                            .append("]\n        ipv4_address: 10.").append(id / 250).append('.').append(id % 250).append('.')
                            .append(10 + c).append('\n');
                }
                b.append("    ports:\n");
                for (int p = 0; p < ATTACHMENTS_PER_CONTAINER; p++) {
                    b.append("      - \"127.0.").append(cid / 250).append('.').append(1 + cid % 250).append(':')
                            .append(8000 + p).append(":80").append(p).append("\"\n");
                }
            }
            Files.writeString(root.resolve("stack-" + s + ".yaml"), b);
        }
    }

    @Benchmark
    public LoadResult loadAndValidate() {
        return SpecLoader.load(root, "bench");
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
