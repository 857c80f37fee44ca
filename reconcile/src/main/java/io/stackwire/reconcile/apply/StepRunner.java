package io.stackwire.reconcile.apply;

import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.apply.StepResult.Status;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.plan.Step;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Performs one step against the daemon and says how it went; the {@link Executor} decides which
 * steps run, in what order, and what is rolled back.
 */
final class StepRunner {

    private final DockerGateway gateway;

    StepRunner(DockerGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Runs one step; a daemon error or a bug becomes a failed result, never an exception.
     *
     * @param observed the plan's observation, or null to check a container before connecting it
     */
    StepResult run(Step step, LiveState observed) {
        long start = System.nanoTime();
        Status status;
        String message;
        try {
            Outcome o = perform(step, observed);
            status = o.status;
            message = o.message;
        } catch (GatewayException e) {
            status = Status.FAILED;
            message = e.getMessage() == null ? e.kind().name() : e.getMessage();
        } catch (RuntimeException e) {
            // A bug or an unexpected client error must not hang the apply: report it on the step.
            status = Status.FAILED;
            message = "unexpected error: " + e;
        }
        return new StepResult(step, status, message, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private record Outcome(Status status, String message) {
        static final Outcome APPLIED = new Outcome(Status.APPLIED, "");
    }

    private Outcome perform(Step step, LiveState observed) throws GatewayException {
        if (step instanceof Step.CreateNetwork s) {
            NetworkCreate create = Objects.requireNonNull(s.create(), "create network step without a request");
            try {
                String id = gateway.createNetwork(create);
                return new Outcome(Status.APPLIED, "id " + shortId(id));
            } catch (GatewayException e) {
                if (e.kind() != GatewayException.Kind.CONFLICT && e.kind() != GatewayException.Kind.ALREADY) {
                    throw e;
                }
                return createRace(create, e);
            }
        }
        if (step instanceof Step.RemoveNetwork s) {
            String target = s.networkId() == null || s.networkId().isEmpty() ? null : s.networkId();
            if (target == null) {
                return new Outcome(Status.FAILED, "no network ID recorded; stackwire never removes a network by name");
            }
            try {
                gateway.removeNetwork(target);
                return Outcome.APPLIED;
            } catch (GatewayException e) {
                return goneOrRethrow(e, "network already removed");
            }
        }
        if (step instanceof Step.Connect s) {
            try {
                LiveContainer seen = observed == null ? null : observed.container(s.container());
                if (seen != null && seen.running()) {
                    gateway.connectRunning(s.container(), s.network(), s.endpoint());
                } else {
                    gateway.connect(s.container(), s.network(), s.endpoint());
                }
                return Outcome.APPLIED;
            } catch (GatewayException e) {
                if (e.kind() == GatewayException.Kind.ALREADY) {
                    // Counted as done; if its settings differ, the next plan shows a reconnect.
                    return new Outcome(Status.ALREADY, "already connected (" + e.getMessage() + ")");
                }
                throw e;
            }
        }
        if (step instanceof Step.Disconnect s) {
            try {
                gateway.disconnect(s.container(), s.network(), false);
                return Outcome.APPLIED;
            } catch (GatewayException e) {
                return goneOrRethrow(e, "already disconnected");
            }
        }
        if (step instanceof Step.ReplaceContainer s) {
            // Not an ALREADY on NOT_FOUND: a container that is gone does not publish the wanted ports.
            String id = gateway.replaceContainer(s.container(), s.replace());
            return new Outcome(Status.APPLIED, "new id " + shortId(id));
        }
        if (step instanceof Step.RepairReplacement s) {
            return new Outcome(Status.APPLIED, gateway.repairReplacement(s.container()));
        }
        throw new IllegalStateException("unknown step " + step.op());
    }

    private static Outcome goneOrRethrow(GatewayException e, String note) throws GatewayException {
        if (e.kind() == GatewayException.Kind.NOT_FOUND || e.kind() == GatewayException.Kind.ALREADY) {
            return new Outcome(Status.ALREADY, note);
        }
        throw e;
    }

    /**
     * Somebody created a network of this name between plan and apply. If it carries exactly our
     * ownership labels (another stackwire run of the same spec), the wanted state is there.
     */
    private Outcome createRace(NetworkCreate create, GatewayException cause) throws GatewayException {
        LiveState live = gateway.observe();
        LiveNetwork existing = live.network(create.name());
        if (existing == null) {
            throw cause;
        }
        for (Map.Entry<String, String> own : create.labels().entrySet()) {
            if (Labels.isOwn(own.getKey()) && !own.getValue().equals(existing.labels().get(own.getKey()))) {
                return new Outcome(Status.FAILED, "network " + create.name() + " was created by someone else meanwhile"
                        + " (label " + own.getKey() + " is " + existing.labels().get(own.getKey())
                        + ", wanted " + own.getValue() + "); run plan again");
            }
        }
        return new Outcome(Status.ALREADY, "already exists with our labels (id " + shortId(existing.id()) + ")");
    }

    private static String shortId(String id) {
        return id == null ? "" : id.length() > 12 ? id.substring(0, 12) : id;
    }
}
