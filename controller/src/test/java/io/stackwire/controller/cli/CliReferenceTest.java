package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/cli.md in step with the commands: the usage blocks between its markers must be what
 * {@code --help} prints. Rewrite them with {@code -Dstackwire.golden.update=true}.
 */
class CliReferenceTest {

    private static final Path DOC = Path.of("..", "docs", "cli.md");
    private static final String BEGIN = "<!-- BEGIN GENERATED USAGE (CliReferenceTest) -->\n";
    private static final String END = "<!-- END GENERATED USAGE -->\n";

    @Test
    void docsShowTheCurrentUsageOfEveryCommand() throws Exception {
        CommandLine top = Main.commandLine(new CliHarness().env());
        StringBuilder usage = new StringBuilder();
        usage.append("### stackwire\n\n```text\n").append(top.getUsageMessage(CommandLine.Help.Ansi.OFF)).append("```\n");
        for (Map.Entry<String, CommandLine> sub : top.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) {
                continue;
            }
            usage.append("\n### stackwire ").append(sub.getKey()).append("\n\n```text\n")
                    .append(sub.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF)).append("```\n");
        }
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("markers in %s", DOC).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String expected = doc.substring(0, begin + BEGIN.length()) + usage + doc.substring(end);
        if (Boolean.getBoolean("stackwire.golden.update")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
            doc = expected;
        }
        assertThat(doc).isEqualTo(expected);
    }
}
