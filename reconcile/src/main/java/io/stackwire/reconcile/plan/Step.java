package io.stackwire.reconcile.plan;

import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.NetworkCreate;
import java.util.List;

/**
 * One executable operation, one record per kind carrying only what that kind needs. Steps are
 * listed in a valid order; {@code dependsOn} lets the executor run independent steps in parallel
 * and skip the dependants of a failed step.
 *
 * <p>Common to all: {@code id}, the position in {@link Plan#steps()} starting at 0;
 * {@code dependsOn}, the ids of earlier steps it waits for; {@code change}, the index into
 * {@link Plan#changes()} of the change this step belongs to.
 */
public sealed interface Step permits Step.OnNetwork, Step.OnContainer {

    int id();

    List<Integer> dependsOn();

    int change();

    /** The kind: the phase of the step order, and the {@code op} of the JSON plan. */
    StepOp op();

    /** {@code connect web -> front}, for progress output. */
    String describe();

    /**
     * The step of kind {@code op} from the flat form that the planner's drafts and the JSON plan
     * have: the fields its kind lacks are dropped.
     *
     * @throws IllegalArgumentException for a {@code replace} payload on any kind but
     *     {@link StepOp#REPLACE_CONTAINER}, or none on that kind
     */
    static Step of(int id, StepOp op, String network, String networkId, String container, NetworkCreate create,
            EndpointConfig endpoint, ContainerReplace replace, List<Integer> dependsOn, int change) {
        if (replace != null && op != StepOp.REPLACE_CONTAINER) {
            throw new IllegalArgumentException("a replace payload goes with REPLACE_CONTAINER steps only");
        }
        return switch (java.util.Objects.requireNonNull(op, "op")) {
            case CREATE_NETWORK -> new CreateNetwork(id, network, create, dependsOn, change);
            case REMOVE_NETWORK -> new RemoveNetwork(id, network, networkId, create, dependsOn, change);
            case CONNECT -> new Connect(id, network, container, endpoint, dependsOn, change);
            case DISCONNECT -> new Disconnect(id, network, container, endpoint, dependsOn, change);
            case REPLACE_CONTAINER -> new ReplaceContainer(id, container, replace, dependsOn, change);
            case REPAIR_REPLACEMENT -> new RepairReplacement(id, container, dependsOn, change);
        };
    }

    /** A step on one network: every kind but the container replacements. */
    sealed interface OnNetwork extends Step permits CreateNetwork, RemoveNetwork, Connect, Disconnect {
        String network();
    }

    /** A step on one container, named: attachments and container replacements. */
    sealed interface OnContainer extends Step permits Connect, Disconnect, ReplaceContainer, RepairReplacement {
        String container();
    }

    /** Creates a network; {@code create} is the full request. */
    record CreateNetwork(int id, String network, NetworkCreate create, List<Integer> dependsOn, int change)
            implements OnNetwork {

        public CreateNetwork {
            dependsOn = copy(dependsOn);
        }

        /** The same step with another request (the loop stamps its labels on it). */
        public CreateNetwork withCreate(NetworkCreate request) {
            return new CreateNetwork(id, network, request, dependsOn, change);
        }

        @Override
        public StepOp op() {
            return StepOp.CREATE_NETWORK;
        }

        @Override
        public String describe() {
            return "create network " + network;
        }
    }

    /**
     * Removes a network by the exact ID observed ({@code networkId}; never by name). {@code create}
     * is how to create it again when its successor cannot be (rollback), or null.
     */
    record RemoveNetwork(int id, String network, String networkId, NetworkCreate create, List<Integer> dependsOn,
            int change) implements OnNetwork {

        public RemoveNetwork {
            dependsOn = copy(dependsOn);
        }

        @Override
        public StepOp op() {
            return StepOp.REMOVE_NETWORK;
        }

        @Override
        public String describe() {
            return "remove network " + network;
        }
    }

    /** Connects {@code container} to {@code network} with the full endpoint config. */
    record Connect(int id, String network, String container, EndpointConfig endpoint, List<Integer> dependsOn,
            int change) implements OnNetwork, OnContainer {

        public Connect {
            dependsOn = copy(dependsOn);
        }

        /** The same step with another endpoint config (the loop stamps its driver options on it). */
        public Connect withEndpoint(EndpointConfig config) {
            return new Connect(id, network, container, config, dependsOn, change);
        }

        @Override
        public StepOp op() {
            return StepOp.CONNECT;
        }

        @Override
        public String describe() {
            return "connect " + container + " -> " + network;
        }
    }

    /**
     * Disconnects {@code container} from {@code network}; {@code endpoint} is the config it had,
     * to connect it again with if the change it belongs to fails half-way (rollback), or null.
     */
    record Disconnect(int id, String network, String container, EndpointConfig endpoint, List<Integer> dependsOn,
            int change) implements OnNetwork, OnContainer {

        public Disconnect {
            dependsOn = copy(dependsOn);
        }

        @Override
        public StepOp op() {
            return StepOp.DISCONNECT;
        }

        @Override
        public String describe() {
            return "disconnect " + container + " -x " + network;
        }
    }

    /** Re-creates a container with new port bindings; {@code replace} names the observed container. */
    record ReplaceContainer(int id, String container, ContainerReplace replace, List<Integer> dependsOn, int change)
            implements OnContainer {

        public ReplaceContainer {
            if (replace == null) {
                throw new IllegalArgumentException("a replace payload goes with REPLACE_CONTAINER steps only");
            }
            dependsOn = copy(dependsOn);
        }

        @Override
        public StepOp op() {
            return StepOp.REPLACE_CONTAINER;
        }

        @Override
        public String describe() {
            return "replace container " + container;
        }
    }

    /** Finishes or undoes a replacement of {@code container} that a killed apply left half done. */
    record RepairReplacement(int id, String container, List<Integer> dependsOn, int change) implements OnContainer {

        public RepairReplacement {
            dependsOn = copy(dependsOn);
        }

        @Override
        public StepOp op() {
            return StepOp.REPAIR_REPLACEMENT;
        }

        @Override
        public String describe() {
            return "repair the interrupted replacement of " + container;
        }
    }

    private static List<Integer> copy(List<Integer> dependsOn) {
        return dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }
}
