package io.stackwire.controller.cli;

import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.ObserveScope;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The start-up tricks of a short CLI command, in one place; none changes what a command does,
 * only how soon (docs/benchmarks.md). From the command line's first word, before picocli has
 * parsed anything: a command that will read the daemon gets its Docker client built on a
 * background thread while arguments are parsed and the spec loads ({@link #firstBuiltAhead}), and
 * reads the daemon while the spec loads ({@link #observedEarly}); one that usually changes it
 * gets the client built in full. Only the subcommand named is built ({@link #onlySubcommand}).
 *
 * @param warmUp build the first gateway ahead and observe the daemon early
 * @param changes the command usually changes the daemon: its gateways come with docker-java's
 *     client built, since reads alone do not need it and the first change would otherwise wait
 * @param training the launcher's class-data training run ({@link #TRAINING}): a {@code plan} that
 *     also loads what a change loads, by read-only requests through docker-java
 */
record Startup(boolean warmUp, boolean changes, boolean training) {

    /** No tricks: what tests and the reference docs use. */
    static final Startup PLAIN = new Startup(false, false, false);

    /**
     * Set to 1 by the launcher (./stackwire) for the run whose loaded classes make its class-data
     * archive; only a {@code plan} heeds it, so it can never make a command change anything.
     */
    static final String TRAINING = "STACKWIRE_CDS_TRAINING";

    /** Commands that always read the daemon once their input is valid: worth building its client early. */
    private static final Set<String> PLANNING_COMMANDS = Set.of("plan", "apply", "destroy", "status");

    /** Of those, the ones that usually change it: their Docker client is built ahead in full. */
    private static final Set<String> CHANGING_COMMANDS = Set.of("apply", "destroy");

    /** A command known to only read the daemon (plan, status): it needs no daemon clock for a re-check. */
    boolean readsOnly() {
        return warmUp && !changes;
    }

    /** The tricks for a command line, by its first word. */
    static Startup of(String... args) {
        return of(Map.of(), args);
    }

    /** As {@link #of(String...)}, in the environment {@code env} ({@link #TRAINING}). */
    static Startup of(Map<String, String> env, String... args) {
        String command = args.length > 0 ? args[0] : "";
        boolean training = "plan".equals(command) && "1".equals(env.get(TRAINING));
        return new Startup(PLANNING_COMMANDS.contains(command), CHANGING_COMMANDS.contains(command) || training, training);
    }

    /**
     * The one subcommand to build for these arguments (see {@link StackwireCommand#SUBCOMMANDS}),
     * or null to build them all: top-level options, a typo to suggest a fix for, {@code help}.
     */
    static Class<?> onlySubcommand(String... argv) {
        return argv.length > 0 && !"help".equals(argv[0]) ? StackwireCommand.SUBCOMMANDS.get(argv[0]) : null;
    }

    /** The gateways a command opens: with {@link #warmUp}, the first one built ahead. */
    Supplier<DockerGateway> gateways(Supplier<DockerGateway> factory) {
        return warmUp ? firstBuiltAhead(factory) : factory;
    }

    /** The first {@code get()} returns a gateway built on a background thread; later ones build their own. */
    static Supplier<DockerGateway> firstBuiltAhead(Supplier<DockerGateway> factory) {
        FutureTask<DockerGateway> first = new FutureTask<>(factory::get);
        Thread t = new Thread(first, "stackwire-docker-init");
        t.setDaemon(true); // never holds the JVM open, e.g. after a spec error
        t.start();
        AtomicBoolean taken = new AtomicBoolean();
        return () -> {
            if (!taken.compareAndSet(false, true)) {
                return factory.get();
            }
            try {
                return first.get();
            } catch (ExecutionException e) {
                // The same exception as building it here would throw (a bad DOCKER_HOST).
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return factory.get();
            }
        };
    }

    /**
     * Runs {@code o} on a daemon thread now; the result (or its failure) is handed over when asked.
     * The reads change nothing; when the spec has errors, they are what is reported, whatever the
     * daemon answered or however long it takes to answer.
     */
    static Workflow.Observation observedEarly(Workflow.Observation o) {
        FutureTask<LiveState> task = new FutureTask<>(o::observe);
        Thread t = new Thread(task, "stackwire-observe");
        t.setDaemon(true); // never holds the JVM open when the spec had errors
        t.start();
        return new Workflow.Observation() {
            @Override
            public LiveState observe() throws GatewayException {
                try {
                    return task.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof GatewayException g) {
                        throw g;
                    }
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GatewayException(GatewayException.Kind.UNAVAILABLE, "interrupted while reading the daemon", e);
                }
            }

            @Override
            public void scope(ObserveScope s) {
                o.scope(s);
            }

            @Override
            public java.time.Instant startedAt() {
                return o.startedAt(); // read after observe(), which waited for the task
            }
        };
    }
}
