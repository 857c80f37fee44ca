package io.stackwire.controller.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "stackwire",
        mixinStandardHelpOptions = true,
        versionProvider = StackwireCommand.Version.class,
        description = "GitOps for Docker networking: plan and apply the networks, attachments and aliases your spec describes.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success (plan: no changes)",
            "  1  error: bad spec or arguments, no daemon, apply refused or incomplete",
            "  2  plan --detailed-exitcode: the plan has changes"
        })
final class StackwireCommand implements Runnable {

    /**
     * The subcommands, in help order. Main adds them (not the annotation) so that a command line
     * naming one builds only that one: picocli reads every command's annotations when it is added,
     * a tenth of a second of a short command's start-up for all of them.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
            "validate", ValidateCommand.class,
            "plan", PlanCommand.class,
            "apply", ApplyCommand.class,
            "destroy", DestroyCommand.class,
            "run", RunCommand.class,
            "status", StatusCommand.class,
            "export-state", ExportStateCommand.class,
            "version", VersionCommand.class,
            "completion", CompletionCommand.class,
            "generate-man", GenerateManCommand.class,
            "help", HelpCommand.class);

    // Names written out rather than read from each @Command: reading them all is what this avoids.
    private static Map<String, Class<?>> subcommands(Object... nameThenClass) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (int i = 0; i < nameThenClass.length; i += 2) {
            byName.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
        }
        return Collections.unmodifiableMap(byName);
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: use one of validate, plan, apply, destroy, run, status, export-state, version");
    }

    /** The version the shaded jar's manifest carries; "dev" when run from classes. */
    static String version() {
        String v = StackwireCommand.class.getPackage().getImplementationVersion();
        return v == null || v.isEmpty() ? "dev" : v;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"stackwire " + version()};
        }
    }
}
