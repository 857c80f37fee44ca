package io.stackwire.controller.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand has: the process environment, its picocli model (for out/err) and -h/--help. */
abstract class Subcommand implements Callable<Integer> {

    final Env env;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    Subcommand(Env env) {
        this.env = env;
    }
}
