package io.stackwire.controller.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * The CLI in-process with no terminal to ask on, capturing out, err and the exit code: by default
 * the real loader, planner and the daemon the environment names; what the CLI tests share.
 */
final class RealCli {

    record Run(int exit, String out, String err) {}

    private RealCli() {}

    static Run run(String... args) {
        return run(System.getenv(), args);
    }

    static Run run(Map<String, String> environment, String... args) {
        return run(Workflow.real(), environment, args);
    }

    /** No one at a terminal: every question is answered "no". */
    static final Env.Prompter NO_TERMINAL = new Env.Prompter() {
        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public String readLine() {
            return null;
        }
    };

    /** The real CLI's environment, without a terminal: for tests that launch {@code run} in-process. */
    static Env env(Map<String, String> environment) {
        return new Env(Workflow.real(), NO_TERMINAL, environment, false);
    }

    /** The CLI with this workflow (a loader, planner or daemon of the test's choosing). */
    static Run run(Workflow workflow, Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new Env(workflow, NO_TERMINAL, environment, false),
                new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }
}
