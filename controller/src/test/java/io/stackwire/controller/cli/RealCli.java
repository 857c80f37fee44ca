package io.stackwire.controller.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * The real CLI in-process (real loader, planner, and the daemon the environment names), with no
 * terminal to ask on, capturing out, err and the exit code: what the CLI tests against a real
 * daemon share.
 */
final class RealCli {

    record Run(int exit, String out, String err) {}

    private RealCli() {}

    static Run run(String... args) {
        return run(System.getenv(), args);
    }

    static Run run(Map<String, String> environment, String... args) {
        Env.Prompter noTerminal = new Env.Prompter() {
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
        int exit = Main.run(new Env(Workflow.real(), noTerminal, environment, false),
                new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }
}
