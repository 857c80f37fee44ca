package io.stackwire.controller.cli;

import io.stackwire.model.DesiredState;
import io.stackwire.model.yaml.LoadResult;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.docker.DockerGateway;
import io.stackwire.reconcile.docker.DockerJavaGateway;
import io.stackwire.reconcile.docker.GatewayException;
import io.stackwire.reconcile.plan.Fingerprint;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.plan.Planner;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The flow behind the commands (load, observe, plan), kept out of the picocli classes so tests can
 * drive it with an injected loader, planner and gateway.
 */
final class Workflow {

    interface Loader {
        LoadResult load(Path root, String host);

        /** Validation across every host overlay, for {@code validate} without {@code --host}. */
        default LoadResult validateAll(Path root) {
            return load(root, null);
        }
    }

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

    interface PlanFunction {
        Plan plan(DesiredState desired, LiveState live, PlanPolicy policy);
    }

    /** What planning produced: the load (always), and when it had no errors, the observation and plan. */
    record Planned(LoadResult load, LiveState live, Plan plan) {
        boolean ok() {
            return plan != null;
        }
    }

    private final Loader loader;
    private final PlanFunction planner;
    private final Supplier<DockerGateway> gateways;

    Workflow(Loader loader, PlanFunction planner, Supplier<DockerGateway> gateways) {
        this.loader = Objects.requireNonNull(loader);
        this.planner = Objects.requireNonNull(planner);
        this.gateways = Objects.requireNonNull(gateways);
    }

    static Workflow real() {
        return new Workflow(SPEC_LOADER, Planner::plan, DockerJavaGateway::fromEnvironment);
    }

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

        DockerGateway gateway() {
            if (gateway == null) {
                gateway = factory.get();
            }
            return gateway;
        }

        /** For error messages: where the daemon is, as far as we know. */
        String describe() {
            if (gateway != null) {
                return gateway.describe();
            }
            String host = System.getenv("DOCKER_HOST");
            return host == null || host.isEmpty() ? "unix:///var/run/docker.sock" : host;
        }

        @Override
        public void close() {
            if (gateway != null) {
                // For benchmarks (docs/benchmarks.md): how many Docker API calls this command made.
                if ("1".equals(System.getenv("STACKWIRE_STATS")) && gateway instanceof DockerJavaGateway g) {
                    System.err.println("stackwire: " + g.apiCalls() + " Docker API calls");
                }
                gateway.close();
            }
        }
    }

    /** For {@code validate}: one host's view with {@code --host}, else every host overlay. */
    LoadResult validate(Path root, String host) {
        return host == null ? loader.validateAll(root) : loader.load(root, host);
    }

    LoadResult load(Path root, String host) {
        return loader.load(root, host);
    }

    /**
     * Loads the spec and, only when it has no errors, observes the daemon and plans. A spec with
     * errors never reaches the daemon.
     */
    Planned plan(Session session, Path root, String host, Function<DesiredState, PlanPolicy> policy)
            throws GatewayException {
        return plan(root, host, policy, () -> session.gateway().observe());
    }

    /** Where the live state comes from: the daemon, or a snapshot file ({@code plan --live-state}). */
    interface Observation {
        LiveState observe() throws GatewayException;
    }

    Planned plan(Path root, String host, Function<DesiredState, PlanPolicy> policy, Observation observation)
            throws GatewayException {
        LoadResult load = loader.load(root, host);
        if (load.hasErrors() || load.state() == null) {
            return new Planned(load, null, null);
        }
        LiveState live = observation.observe();
        Plan plan = planner.plan(load.state(), live, policy.apply(load.state()));
        if (plan.liveFingerprint().isEmpty()) {
            // A saved plan must carry what it was computed from, or it can never be checked for staleness.
            plan = new Plan(plan.formatVersion(), plan.host(), plan.revision(), Fingerprint.of(live),
                    plan.changes(), plan.steps(), plan.notices());
        }
        return new Planned(load, live, plan);
    }
}
