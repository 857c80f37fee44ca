package io.stackwire.reconcile.plan;

import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.NetworkCreate;
import java.util.List;
import java.util.Objects;

/**
 * One executable operation. Steps are listed in a valid order; {@code dependsOn} lets the executor
 * run independent steps in parallel and skip the dependants of a failed step.
 *
 * @param id position in {@link Plan#steps()}, starting at 0
 * @param network network name the step works on
 * @param networkId for REMOVE_NETWORK: the exact ID observed (never remove by name)
 * @param container container name for CONNECT/DISCONNECT/REPLACE_CONTAINER/REPAIR_REPLACEMENT, else null
 * @param create for CREATE_NETWORK, else null
 * @param endpoint for CONNECT: the full endpoint config, else null
 * @param change index into {@link Plan#changes()} of the change this step belongs to
 * @param replace for REPLACE_CONTAINER: the observed container and its new port bindings, else null
 */
public record Step(
        int id,
        StepOp op,
        String network,
        String networkId,
        String container,
        NetworkCreate create,
        EndpointConfig endpoint,
        List<Integer> dependsOn,
        int change,
        ContainerReplace replace) {

    public Step {
        Objects.requireNonNull(op, "op");
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        if ((op == StepOp.REPLACE_CONTAINER) != (replace != null)) {
            throw new IllegalArgumentException("a replace payload goes with REPLACE_CONTAINER steps only");
        }
    }

    /** A network step (every op but REPLACE_CONTAINER); the form from before container replacement. */
    public Step(int id, StepOp op, String network, String networkId, String container, NetworkCreate create,
            EndpointConfig endpoint, List<Integer> dependsOn, int change) {
        this(id, op, network, networkId, container, create, endpoint, dependsOn, change, null);
    }

    /** {@code connect web -> front}, for progress output. */
    public String describe() {
        return switch (op) {
            case CREATE_NETWORK -> "create network " + network;
            case REMOVE_NETWORK -> "remove network " + network;
            case CONNECT -> "connect " + container + " -> " + network;
            case DISCONNECT -> "disconnect " + container + " -x " + network;
            case REPLACE_CONTAINER -> "replace container " + container;
            case REPAIR_REPLACEMENT -> "repair the interrupted replacement of " + container;
        };
    }
}
