package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script and man pages picocli generates from the command model work in bash and man. */
class CompletionAndManTest {

    @TempDir
    Path dir;

    private static String sh(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** What bash completes for this command line (the cursor at its end). */
    private String complete(Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        return sh(List.of("bash", "-c", "source " + script + " && COMP_LINE='" + line + "' && COMP_POINT=${#COMP_LINE}"
                + " && COMP_WORDS=(" + words + ") && COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))"
                + " && { _complete_stackwire 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"; }")).strip();
    }

    @Test
    void bashCompletesCommandsOptionsAndEnumValues() throws Exception {
        RealCli.Run r = RealCli.run("completion", "bash");
        assertThat(r.exit()).as(r.err()).isZero();
        Path script = dir.resolve("stackwire.bash");
        Files.writeString(script, r.out());

        assertThat(complete(script, "stackwire pl").lines()).containsExactly("plan");
        assertThat(complete(script, "stackwire ").lines()).contains("validate", "plan", "apply", "run", "completion");
        assertThat(complete(script, "stackwire plan --form").lines()).containsExactly("--format");
        assertThat(complete(script, "stackwire plan --format ").lines()).containsExactlyInAnyOrder("text", "json", "markdown");
    }

    @Test
    void zshScriptLoadsBashCompletionSupportFirst() {
        RealCli.Run r = RealCli.run("completion", "zsh");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("# stackwire completion for zsh").contains("bashcompinit", "_complete_stackwire");
        assertThat(RealCli.run("completion", "fish").exit()).isEqualTo(ExitCodes.ERROR);
    }

    @Test
    void manPageSourcesAreGeneratedForEveryCommand() throws Exception {
        RealCli.Run r = RealCli.run("generate-man", "--dir", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> pages;
        try (Stream<Path> s = Files.list(dir)) {
            pages = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        // AsciiDoc (picocli's generator); scripts/release turns them into man pages with asciidoctor
        // and scripts/test-recipes renders those with man -l.
        assertThat(pages).contains("stackwire.adoc", "stackwire-plan.adoc", "stackwire-run.adoc", "stackwire-completion.adoc");
        String plan = Files.readString(dir.resolve("stackwire-plan.adoc"));
        assertThat(plan).contains(":doctype: manpage", "--format", "--detailed-exitcode");
    }
}
