package io.stackwire.controller.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;
import picocli.CommandLine;

/** Entry point of the {@code stackwire} executable. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        quietLoggingStartUp(System.getProperties());
        Charset cs = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true);
        int code = run(Env.real(Startup.of(System.getenv(), args)), out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * The Docker client's start-up thread and the main thread (JGit for a {@code --repo} source,
     * the loop) may both log while SLF4J starts; it then queues their calls, hands them to the
     * logging set-up afterwards as usual, and says on stderr that it did. That note is about SLF4J itself, not
     * about anything the user can act on, and it made stderr differ from run to run. SLF4J's own
     * errors still show; a value the user set is kept.
     */
    static void quietLoggingStartUp(java.util.Properties props) {
        props.putIfAbsent(org.slf4j.helpers.Reporter.SLF4J_INTERNAL_VERBOSITY_KEY, "ERROR");
    }

    static int run(Env env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(env, args);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The whole command tree (help, reference docs, tests). */
    static CommandLine commandLine(Env env) {
        return commandLine(env, new String[0]);
    }

    /**
     * The command tree for these arguments: when they start with a subcommand other than
     * {@code help}, only that one is built (see {@link StackwireCommand#SUBCOMMANDS}); anything
     * else (top-level options, a typo to suggest a fix for, {@code help}) gets them all.
     */
    static CommandLine commandLine(Env env, String[] argv) {
        Factory factory = new Factory(env);
        CommandLine cl = new CommandLine(new StackwireCommand(), factory);
        Class<?> only = Startup.onlySubcommand(argv);
        for (Map.Entry<String, Class<?>> e : StackwireCommand.SUBCOMMANDS.entrySet()) {
            if (only == null || only == e.getValue()) {
                cl.addSubcommand(e.getKey(), new CommandLine(e.getValue(), factory));
            }
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // Usage errors exit 1, so that 2 means only "the plan has changes" (plan --detailed-exitcode).
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.ERROR;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + Errors.oneLine(ex));
            if (env.debug()) {
                ex.printStackTrace(err);
            } else {
                err.println("run with STACKWIRE_DEBUG=1 for a stack trace");
            }
            return ExitCodes.ERROR;
        });
        return cl;
    }

    /** Gives every command the environment through its constructor. */
    private record Factory(Env env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(Env.class).newInstance(env);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
