package io.stackwire.controller.cli;

import java.io.Console;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands need from the outside world besides picocli's out/err writers: the workflow,
 * a way to ask the user, and the environment. Tests build their own.
 */
record Env(Workflow workflow, Prompter prompter, Map<String, String> environment, boolean stdoutIsTerminal) {

    /** Asks for confirmation; only a terminal may answer. */
    interface Prompter {
        boolean interactive();

        /** The next line typed (the caller has printed the question), or null at end of input. */
        String readLine();
    }

    Env {
        Objects.requireNonNull(workflow);
        Objects.requireNonNull(prompter);
        environment = Map.copyOf(environment);
    }

    /** The real world, with the start-up tricks for the command line ({@link Startup}). */
    static Env real(Startup startup) {
        Console console = System.console();
        return new Env(Workflow.real(startup), new ConsolePrompter(console), System.getenv(), console != null);
    }

    boolean colour() {
        return stdoutIsTerminal && !environment.containsKey("NO_COLOR");
    }

    boolean debug() {
        String v = environment.get("STACKWIRE_DEBUG");
        return v != null && !v.isEmpty() && !"0".equals(v);
    }

    private record ConsolePrompter(Console console) implements Prompter {
        @Override
        public boolean interactive() {
            return console != null;
        }

        @Override
        public String readLine() {
            return console == null ? null : console.readLine();
        }
    }
}
