package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
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

    record Run(int exit, String out, String err) {}

    private Run stackwire(String... args) {
        Env.Prompter none = new Env.Prompter() {
            @Override
            public boolean interactive() {
                return false;
            }

            @Override
            public String readLine() {
                return null;
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new Env(Workflow.real(), none, Map.of(), false), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aScalarAliasedTenThousandTimesIsOneErrorInValidateAndPlan() throws IOException {
        Files.writeString(dir.resolve("stack.yaml"),
                "stack: s\nbig: &big " + "x".repeat(100_000) + "\nlist: [" + "*big, ".repeat(9_999) + "*big]\n");
        String error = "stack.yaml:3:248: error: alias *big takes the file over 4 Mi characters once aliases are expanded";

        for (String command : new String[] {"validate", "plan"}) {
            Run r = stackwire(command, dir.toString(), "--host", "h");
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
            Run r = stackwire(command, dir.toString(), "--host", "h");
            assertThat(r.exit()).as(command).isEqualTo(1);
            assertThat(r.out() + r.err()).as(command).contains("stack.yaml:1:1: error: file is larger than 1024 KiB");
        }
    }
}
