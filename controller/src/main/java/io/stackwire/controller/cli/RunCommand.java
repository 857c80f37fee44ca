package io.stackwire.controller.cli;

import io.stackwire.controller.pass.HostCheck;
import io.stackwire.controller.http.StatusServer;
import io.stackwire.controller.http.WebhookAuth;
import io.stackwire.controller.loop.LoopConfig;
import io.stackwire.controller.loop.ReconcileLoop;
import io.stackwire.controller.source.SourceException;
import io.stackwire.controller.source.SpecSource;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.docker.DockerEndpoint;
import io.stackwire.reconcile.docker.DockerJavaGateway;
import io.stackwire.reconcile.host.HostProbe;
import io.stackwire.reconcile.plan.Planner;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = {
            "Run as a controller: fetch the spec every --interval, react to Docker events, apply what changed,"
                    + " verify it, and serve /healthz, /readyz, /status, /metrics and POST /webhook.",
            "Stops cleanly on SIGTERM or Ctrl-C after the step in progress."
        })
final class RunCommand extends Subcommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Spec folder (default: the current directory; or use --repo); re-read on every fetch.")
    Path path;

    @ArgGroup(validate = false, heading = SourceOptions.HEADING, order = 1)
    SourceOptions gitSource = new SourceOptions();

    @Mixin
    LogOptions logging;

    @Option(names = "--host", paramLabel = "NAME", converter = HostName.class, description = "Host overlay (default: this machine's hostname).")
    String host;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "Fetch the spec this often (default: ${DEFAULT-VALUE}); e.g. 500ms, 30s, 5m.")
    Duration interval;

    @Option(names = "--resync", paramLabel = "DURATION", defaultValue = "5m", converter = Durations.class,
            description = "Read the whole daemon again this often even when no event arrived (default: ${DEFAULT-VALUE}).")
    Duration resync;

    @Option(names = "--listen", paramLabel = "ADDR", defaultValue = "127.0.0.1:9090", converter = ListenAddress.class,
            description = "Serve health, status, metrics and the webhook here (default: ${DEFAULT-VALUE}; port 0 picks one).")
    InetSocketAddress listen;

    @Option(names = "--dry-run", description = "Plan and report on /status, never change anything.")
    boolean dryRun;

    @Option(names = "--self-heal", description = "Also disconnect containers attached by hand to managed networks"
            + " (default: the repo's stackwire.yaml policy). Missing attachments are always restored.")
    boolean selfHeal;

    @Option(names = "--max-delete-ratio", paramLabel = "R", defaultValue = "0.5",
            description = "Hold back plans that remove more than this share of the managed networks (default: ${DEFAULT-VALUE}).")
    double maxDeleteRatio;

    @Option(names = "--allow-mass-delete", description = "Apply plans over --max-delete-ratio anyway (a commit trailer"
            + " 'Stackwire-Allow-Mass-Delete: yes' confirms one revision instead).")
    boolean allowMassDelete;

    @Option(names = "--webhook-secret-file", paramLabel = "FILE",
            description = "Shared secret for POST /webhook (GitHub X-Hub-Signature-256 or GitLab X-Gitlab-Token);"
                    + " without it the webhook is off.")
    Path webhookSecretFile;

    /** For tests that run two controllers side by side without touching the real lease. */
    @Option(names = "--lease-name", hidden = true, defaultValue = "stackwire-lease")
    String leaseName;

    /** For tests of two disagreeing controllers: the quiet period, instead of max(10 min, 2 × interval). */
    @Option(names = "--peer-quiet", hidden = true, converter = Durations.class)
    Duration peerQuiet;

    RunCommand(Env env) {
        super(env);
    }

    /** What a started controller holds; closing it stops everything in order. */
    record Running(ReconcileLoop loop, StatusServer server, SpecSource source, DockerGateway gateway) implements AutoCloseable {
        @Override
        public void close() {
            loop.close();
            server.close();
            source.close();
            gateway.close();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Running running;
        try {
            running = launch();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.ERROR;
        } catch (IOException e) {
            err.println("error: cannot listen on " + ListenAddress.format(listen) + ": " + Errors.oneLine(e)
                    + "; pick another address with --listen");
            return ExitCodes.ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            // SIGTERM/Ctrl-C: the pass in progress finishes its steps, then everything stops. Once:
            // the signal handler and the shutdown hook may both get here.
            if (stopping.compareAndSet(false, true)) {
                running.close();
                err.println("stackwire run: stopped cleanly");
                err.flush();
                stopped.countDown();
            }
        };
        Thread hook = new Thread(stop, "stackwire-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // On SIGTERM/SIGINT the stop runs before the JVM shuts down, so a clean stop exits 0, not 143/130.
        StopSignals.install(stop);
        String why = supervise(running.loop(), stopped, WATCHDOG);
        if (why == null) {
            return ExitCodes.OK;
        }
        // The loop cannot go on: exit non-zero so that the supervisor (systemd, Docker, Kubernetes)
        // restarts the process, rather than serve answers with nothing behind them.
        err.println("error: stackwire run: " + why + "; exiting so that the supervisor restarts it");
        err.flush();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return ExitCodes.ERROR; // already shutting down: the hook closes everything
        }
        if (stopping.compareAndSet(false, true)) {
            running.close(); // else a signal's stop is closing it
        }
        return ExitCodes.ERROR;
    }

    /** How often the watchdog asks whether the loop can go on. */
    static final Duration WATCHDOG = Duration.ofSeconds(1);

    /**
     * Waits until {@code stopped} (SIGTERM/Ctrl-C: null) or until the loop says it cannot go on
     * (its reason), asking every {@code every}.
     */
    static String supervise(ReconcileLoop loop, CountDownLatch stopped, Duration every) throws InterruptedException {
        while (!stopped.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
            String why = loop.failure();
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /** Validates the options, wires source, daemon, loop and HTTP, and starts them. */
    Running launch() throws Exception {
        logging.apply(env.environment());
        PrintWriter out = spec.commandLine().getOut();
        String usage = gitSource.usageError(path, "PATH");
        if (usage != null) {
            throw new IllegalArgumentException(usage);
        }
        if (!gitSource.git() && !Files.exists(specPath())) {
            throw new IllegalArgumentException(specPath() + ": no such file or directory");
        }
        String secret = null;
        if (webhookSecretFile != null) {
            try {
                secret = Files.readString(webhookSecretFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --webhook-secret-file " + webhookSecretFile + ": " + Errors.oneLine(e));
            }
            if (secret.isEmpty()) {
                throw new IllegalArgumentException("--webhook-secret-file " + webhookSecretFile + " is empty");
            }
        }
        LoopConfig config = new LoopConfig(host, interval, resync, null, null, null, dryRun, selfHeal,
                maxDeleteRatio, allowMassDelete, instanceId(), leaseName, null, 8);
        SpecSource source = source();
        DockerJavaGateway gateway = DockerJavaGateway.fromEnvironment(env.environment());
        LongSupplier apiCalls = gateway::apiCalls;
        // Probing this machine's ports says something only when the daemon runs on it.
        HostCheck hostCheck = HostProbe.daemonIsLocal(DockerEndpoint.hostOf(env.environment()))
                ? HostProbe::probe : HostCheck.NONE;
        ReconcileLoop loop = new ReconcileLoop(config, source, SpecLoader::load, Planner::plan, hostCheck, gateway, apiCalls,
                Clock.systemUTC(), new Random());
        if (peerQuiet != null) {
            loop.overridePeerQuiet(peerQuiet);
        }
        StatusServer server;
        try {
            server = StatusServer.start(listen, loop, new WebhookAuth(secret));
        } catch (IOException e) {
            source.close();
            gateway.close();
            throw e;
        }
        loop.start();
        out.println("stackwire run: " + source.describe() + " for host "
                + (host == null ? SpecLoader.localHostName() : host) + " on " + gateway.describe()
                + "; http://" + ListenAddress.format(server.address()) + "/status; instance " + config.instanceId()
                + (dryRun ? "; DRY RUN" : ""));
        out.flush();
        return new Running(loop, server, source, gateway);
    }

    /**
     * The spec source for the options given: a Git repository at a ref (--repo/--ref/--path), fetched
     * on every interval, or a local folder read as it is on every fetch.
     */
    SpecSource source() {
        try {
            return gitSource.open(specPath(), env.environment());
        } catch (SourceException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private Path specPath() {
        return path == null ? Path.of(".") : path;
    }

    /** Who this process is on the daemon (lease owner, network stamp): host, PID and a random suffix. */
    static String instanceId() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return SpecLoader.localHostName() + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(b);
    }
}
