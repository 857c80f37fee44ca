package io.stackwire.controller.cli;

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
        subcommands = {
            ValidateCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            DestroyCommand.class,
            RunCommand.class,
            StatusCommand.class,
            ExportStateCommand.class,
            VersionCommand.class,
            HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success (plan: no changes)",
            "  1  error: bad spec or arguments, no daemon, apply refused or incomplete",
            "  2  plan --detailed-exitcode: the plan has changes"
        })
final class StackwireCommand implements Runnable {

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
