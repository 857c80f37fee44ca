package io.stackwire.controller.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} for subcommands (the version flag lives on the top command only). */
final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
