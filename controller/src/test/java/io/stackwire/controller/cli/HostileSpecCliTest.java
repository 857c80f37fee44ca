package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate and plan read a spec through the same loader as the loop (Workflow.real), so its cost
 * bounds hold for them too: a hostile spec is one file:line:col error, never an internal error.
 */
class HostileSpecCliTest {

    @TempDir
    Path dir;

    private static RealCli.Run stackwire(String... args) {
        return RealCli.run(Map.of(), args);
    }

    @Test
    void aScalarAliasedTenThousandTimesIsOneErrorInValidateAndPlan() throws IOException {
        Files.writeString(dir.resolve("stack.yaml"),
                "stack: s\nbig: &big " + "x".repeat(100_000) + "\nlist: [" + "*big, ".repeat(9_999) + "*big]\n");
        String error = "stack.yaml:3:248: error: alias *big takes the file over 4 Mi characters once aliases are expanded";

        for (String command : new String[] {"validate", "plan"}) {
            RealCli.Run r = stackwire(command, dir.toString(), "--host", "h");
            assertThat(r.exit()).as(command).isEqualTo(1);
            assertThat(r.out() + r.err()).as(command).contains(error).doesNotContain("internal", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
            assertThat((r.out() + r.err()).length()).as(command).isLessThan(2_000);
        }
    }

    @Test
    void aFiftyMegabyteFileIsRefusedFromItsSizeInValidateAndPlan() throws IOException {
        Path big = dir.resolve("stack.yaml");
        Files.writeString(big, "stack: s\n");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(50L << 20); // sparse: large by its size, nothing on disk
        }
        for (String command : new String[] {"validate", "plan"}) {
            RealCli.Run r = stackwire(command, dir.toString(), "--host", "h");
            assertThat(r.exit()).as(command).isEqualTo(1);
            assertThat(r.out() + r.err()).as(command).contains("stack.yaml:1:1: error: file is larger than 1024 KiB");
        }
    }
}
