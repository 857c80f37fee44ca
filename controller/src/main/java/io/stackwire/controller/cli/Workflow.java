package io.stackwire.controller.cli;

import io.stackwire.controller.pass.HostCheck;
import io.stackwire.controller.pass.Loader;
import io.stackwire.controller.pass.PassRunner;
import io.stackwire.controller.pass.Planning;
import io.stackwire.controller.source.RepoIdentity;
import io.stackwire.controller.source.Snapshot;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Diagnostic;
import io.stackwire.model.yaml.LoadResult;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.docker.DockerEndpoint;
import io.stackwire.reconcile.docker.DockerJavaGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.host.HostProbe;
import io.stackwire.reconcile.plan.Fingerprint;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.plan.Planner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The flow behind the commands (load, observe, plan), kept out of the picocli classes so tests can
 * drive it with an injected loader, planner and gateway.
 */
final class Workflow {

    /** The real spec loader; the only place the CLI calls {@link SpecLoader}. */
    private static final Loader SPEC_LOADER = new Loader() {
        @Override
        public LoadResult load(Path root, String host) {
            return SpecLoader.load(root, host);
        }

        @Override
        public LoadResult validateAll(Path root) {
            // Without --host, validate for every host overlay in the repo (or once without one).
            return SpecLoader.validateAll(root);
        }
    };

    /**
     * What planning produced: the load (always), and when it had no errors, the observation and plan.
     *
     * @param observedSince the daemon's clock at the observation's start, when the gateway could
     *     tell (an apply then asks only for the events since, instead of reading the daemon again)
     */
    record Planned(LoadResult load, LiveState live, Plan plan, java.time.Instant observedSince) {
        Planned(LoadResult load, LiveState live, Plan plan) {
            this(load, live, plan, null);
        }

        boolean ok() {
            return plan != null;
        }
    }

    /** Load, plan with this machine's host facts: the same stages as the loop's. */
    private final PassRunner runner;
    private final Supplier<DockerGateway> gateways;
    private final boolean observeEarly;
    private final boolean clock;

    Workflow(Loader loader, Planning planner, Supplier<DockerGateway> gateways) {
        this(loader, planner, gateways, HostCheck.NONE, false);
    }

    /**
     * @param observeEarly read the daemon on a background thread while the spec loads (see
     *     {@link #plan(Session, Path, String, Function, boolean)}) instead of after it
     */
    Workflow(Loader loader, Planning planner, Supplier<DockerGateway> gateways, HostCheck hostFacts, boolean observeEarly) {
        this(loader, planner, gateways, hostFacts, observeEarly, true);
    }

    /**
     * @param clock ask the observation for the daemon's clock at its start (the events re-check
     *     under the lease needs it): one more round trip before the lists, which a command that
     *     changes nothing (plan, status) does not pay
     */
    private Workflow(Loader loader, Planning planner, Supplier<DockerGateway> gateways, HostCheck hostFacts,
            boolean observeEarly, boolean clock) {
        this.runner = new PassRunner(loader, planner, hostFacts);
        this.gateways = Objects.requireNonNull(gateways);
        this.observeEarly = observeEarly;
        this.clock = clock;
    }

    static Workflow real() {
        return real(Startup.PLAIN);
    }

    /** The real loader, planner and Docker, with the start-up tricks of {@code startup}. */
    static Workflow real(Startup startup) {
        // Probing this machine's ports says something only when the daemon runs on it.
        String host = DockerEndpoint.hostOfEnvironment(); // may read the docker CLI's context files: once
        HostCheck facts = HostProbe.daemonIsLocal(host) ? HostProbe::probe : HostCheck.NONE;
        java.nio.file.Path inspects = InspectCacheFile.of(System.getenv(), host);
        Supplier<DockerGateway> gateways = startup.changes()
                ? () -> {
                    DockerJavaGateway g = DockerJavaGateway.fromEnvironment().persistInspects(inspects).readyForChanges();
                    if (startup.training()) {
                        g.warmUpChangePath();
                    }
                    return g;
                }
                : () -> DockerJavaGateway.fromEnvironment().persistInspects(inspects);
        return new Workflow(SPEC_LOADER, Planner::plan, startup.gateways(gateways), facts, startup.warmUp(), !startup.readsOnly());
    }

    /**
     * Under {@code --deny-public-ports}: ports published on every interface, a warning of the
     * loader, become errors (as {@code deny_public_ports: true} in stackwire.yaml makes them).
     */
    static LoadResult denyPublicPorts(LoadResult r) {
        List<Diagnostic> out = new ArrayList<>();
        boolean upgraded = false;
        for (Diagnostic d : r.diagnostics()) {
            if (!d.isError() && PUBLIC_PORT.equals(d.code())) {
                out.add(Diagnostic.error(d.code(), d.source(), d.message(), d.hint() + "; --deny-public-ports makes this an error"));
                upgraded = true;
            } else {
                out.add(d);
            }
        }
        return upgraded ? new LoadResult(null, out, r.skipped()) : r;
    }

    /** The loader's code for a port published on every interface. */
    static final String PUBLIC_PORT = "public-port";

    /** A gateway opened on first use only, so a command that fails before it needs Docker never connects. */
    Session session() {
        return new Session(gateways);
    }

    static final class Session implements AutoCloseable {
        private final Supplier<DockerGateway> factory;
        private DockerGateway gateway;

        private Session(Supplier<DockerGateway> factory) {
            this.factory = factory;
        }

        // Synchronized: an early observation opens it from a background thread.
        synchronized DockerGateway gateway() {
            if (gateway == null) {
                gateway = factory.get();
            }
            return gateway;
        }

        /** For error messages: where the daemon is, as far as we know. */
        synchronized String describe() {
            if (gateway != null) {
                return gateway.describe();
            }
            String host = DockerEndpoint.hostOfEnvironment();
            return host == null || host.isEmpty() ? "unix:///var/run/docker.sock" : host;
        }

        @Override
        public synchronized void close() {
            if (gateway != null) {
                // For benchmarks (docs/benchmarks.md): how many Docker API calls this command made.
                if (STATS && gateway instanceof DockerJavaGateway g) {
                    System.err.println("stackwire: " + g.apiCalls() + " Docker API calls");
                }
                gateway.close();
            }
        }
    }

    /** For {@code validate}: one host's view with {@code --host}, else every host overlay. */
    LoadResult validate(Path root, String host) {
        return host == null ? runner.validateAll(root) : runner.load(root, host);
    }

    LoadResult validate(Path root, String host, boolean denyPublicPorts) {
        LoadResult r = validate(root, host);
        return denyPublicPorts ? denyPublicPorts(r) : r;
    }

    LoadResult load(Path root, String host) {
        return runner.load(root, host);
    }

    /** {@link #validate(Path, String, boolean)} on a snapshot's files, reporting the snapshot's revision. */
    LoadResult validate(Snapshot snapshot, String host, boolean denyPublicPorts) {
        return stamped(validate(snapshot.root(), host, denyPublicPorts), snapshot);
    }

    /**
     * A Git snapshot's commit replaces the folder the loader saw as the revision (a local folder
     * keeps its path), and the spec acts for its owner: the declared one, else the source's default.
     * Diagnostics name their files as the user can open them ({@link ShownPaths}).
     */
    static LoadResult stamped(LoadResult load, Snapshot snapshot) {
        load = ShownPaths.of(load, snapshot);
        DesiredState s = load.state();
        if (s == null) {
            return load;
        }
        DesiredState out = snapshot.isLocal() ? s : s.withRevision(snapshot.revision());
        out = out.withOwner(RepoIdentity.resolve(s.policy(), snapshot));
        return new LoadResult(out, load.diagnostics(), load.skipped());
    }

    /**
     * Loads the spec and, only when it has no errors, plans it against the daemon's live state. A
     * spec with errors is reported and nothing is changed; see {@link #plan(Session, Path, String,
     * Function, boolean)} for when the daemon is read.
     */
    Planned plan(Session session, Path root, String host, Function<DesiredState, PlanPolicy> policy)
            throws GatewayException {
        return plan(session, root, host, policy, false);
    }

    /**
     * As {@link #plan(Session, Path, String, Function)}, optionally under {@code --deny-public-ports}.
     *
     * <p>With early observation (the real CLI), the daemon is read on a background thread while
     * the spec loads: on a big spec each takes about half a second, and a no-op plan has a
     * 1.5 s budget (docs/benchmarks.md). The reads change nothing. When the spec has errors, they
     * are what is reported, whatever the daemon answered or however long it takes to answer.
     */
    Planned plan(Session session, Path root, String host, Function<DesiredState, PlanPolicy> policy, boolean denyPublicPorts)
            throws GatewayException {
        Observation live = observation(session);
        Path abs = root.toAbsolutePath().normalize();
        return plan(stamped(runner.load(root, host), new Snapshot("local:" + abs, abs)), policy, denyPublicPorts, live, runner);
    }

    /** On a snapshot's files; the plan carries the snapshot's revision (for Git, the commit). */
    Planned plan(Session session, Snapshot snapshot, String host, Function<DesiredState, PlanPolicy> policy, boolean denyPublicPorts)
            throws GatewayException {
        Observation live = observation(session);
        return plan(stamped(runner.load(snapshot.root(), host), snapshot), policy, denyPublicPorts, live, runner);
    }

    /**
     * The session's daemon, read now on a background thread with early observation, else when
     * asked. Either way only what the spec needs is read in full ({@link ObserveScope}): the
     * observation lists the daemon while the spec loads, then waits for the spec to say which
     * containers to inspect.
     */
    private Observation observation(Session session) {
        CompletableFuture<ObserveScope> scope = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> since = new java.util.concurrent.atomic.AtomicReference<>();
        Observation direct = new Observation() {
            @Override
            public LiveState observe() throws GatewayException {
                return clock ? session.gateway().observe(scope::join, since::set) : session.gateway().observe(scope::join);
            }

            @Override
            public java.time.Instant startedAt() {
                return since.get();
            }

            @Override
            public void scope(ObserveScope s) {
                scope.complete(s);
            }
        };
        return observeEarly ? Startup.observedEarly(direct) : direct;
    }

    /** Where the live state comes from: the daemon, or a snapshot file ({@code plan --live-state}). */
    interface Observation {
        LiveState observe() throws GatewayException;

        /** What the spec needs read in full, once it is loaded; an observation may be waiting for it. */
        default void scope(ObserveScope scope) {}

        /** The daemon's clock at the start of {@link #observe()}, once it returned; null when unknown. */
        default java.time.Instant startedAt() {
            return null;
        }
    }

    /**
     * Plans a spec snapshot against a live-state snapshot ({@code plan --live-state}); never contacts
     * a daemon. This machine's ports say nothing about the snapshot's host, so host facts are unknown.
     */
    Planned plan(Snapshot spec, String host, Function<DesiredState, PlanPolicy> policy, boolean denyPublicPorts, LiveState live)
            throws GatewayException {
        return plan(stamped(runner.load(spec.root(), host), spec), policy, denyPublicPorts, () -> live, runner.withoutHostCheck());
    }

    private static final boolean STATS = "1".equals(System.getenv("STACKWIRE_STATS"));

    private static long uptimeMillis() {
        return STATS ? java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() : 0;
    }

    private Planned plan(LoadResult load, Function<DesiredState, PlanPolicy> policy, boolean denyPublicPorts,
            Observation observation, PassRunner stages)
            throws GatewayException {
        if (denyPublicPorts) {
            load = denyPublicPorts(load);
        }
        if (load.hasErrors() || load.state() == null) {
            observation.scope(ObserveScope.ALL); // nobody waits for it; lets a started observation end
            return new Planned(load, null, null);
        }
        observation.scope(ObserveScope.of(load.state()));
        long loaded = uptimeMillis();
        LiveState live = observation.observe();
        long observed = uptimeMillis();
        Plan plan = plan(load.state(), policy, live, stages);
        if (STATS) {
            // For docs/benchmarks.md: where a short command's time goes, in JVM uptime.
            System.err.println("stackwire: spec loaded at " + loaded + " ms, observed at " + observed
                    + " ms, planned at " + uptimeMillis() + " ms (JVM uptime)");
        }
        return new Planned(load, live, plan, observation.startedAt());
    }

    /**
     * The same spec planned again against a newer observation: when something a confirmed plan
     * depends on changed before it could be applied (see ApplyFlow).
     */
    Plan replan(Planned planned, Function<DesiredState, PlanPolicy> policy, LiveState now) {
        return plan(planned.load().state(), policy, now, runner);
    }

    private static Plan plan(DesiredState desired, Function<DesiredState, PlanPolicy> policy, LiveState live, PassRunner stages) {
        Plan plan = stages.plan(desired, live, stages.checkHost(desired, live, policy.apply(desired)));
        if (plan.liveFingerprint().isEmpty()) {
            // A saved plan must carry what it was computed from, or it can never be checked for staleness.
            plan = new Plan(plan.formatVersion(), plan.host(), plan.revision(), Fingerprint.of(live),
                    plan.changes(), plan.steps(), plan.notices());
        }
        return plan;
    }
}
