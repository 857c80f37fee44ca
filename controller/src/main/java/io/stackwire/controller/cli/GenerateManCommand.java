package io.stackwire.controller.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * For packagers (scripts/release): the man pages' sources, by picocli's generator, from the command
 * model. picocli writes AsciiDoc; {@code asciidoctor -b manpage} turns it into man pages.
 */
@Command(name = "generate-man", hidden = true,
        description = "Write man page sources (AsciiDoc: stackwire.adoc, stackwire-plan.adoc, ...) generated from the"
                + " command model into DIR; convert them with: asciidoctor -b manpage DIR/*.adoc")
final class GenerateManCommand extends Subcommand {

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "Where to write the pages.")
    Path dir;

    GenerateManCommand(Env env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        CommandLine whole = Main.commandLine(env);
        CommandSpec root = whole.getCommandSpec();
        root.version("stackwire " + StackwireCommand.version());
        int rc = ManPageGenerator.generateManPage(dir.toFile(), null, new boolean[0], true, root);
        if (rc != 0) {
            spec.commandLine().getErr().println("error: the man page generator failed (" + rc + ")");
            return ExitCodes.ERROR;
        }
        spec.commandLine().getOut().println("Man page sources written to " + dir);
        return ExitCodes.OK;
    }
}
