package io.stackwire.controller.cli;

import picocli.CommandLine.ArgGroup;

/** A subcommand that reads a spec: from a folder argument, or from Git with the source options. */
abstract class SpecSubcommand extends Subcommand {

    @ArgGroup(validate = false, heading = SourceOptions.HEADING, order = 1)
    SourceOptions source = new SourceOptions();

    SpecSubcommand(Env env) {
        super(env);
    }
}
