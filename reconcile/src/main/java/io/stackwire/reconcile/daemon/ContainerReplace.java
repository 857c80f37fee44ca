package io.stackwire.reconcile.daemon;

import io.stackwire.model.PortBinding;
import java.util.List;
import java.util.Objects;

/**
 * What re-creating a container with new port bindings needs: the exact container observed (so a
 * container that was itself re-created meanwhile is not replaced blindly) and the bindings wanted.
 * Everything else is copied from the container at the time of the replace.
 *
 * @param containerId the ID observed when planning
 * @param ports the complete list of bindings the new container publishes (may be empty)
 * @param needsApproval planned under {@code replace: plan-only}: only an explicit, confirmed
 *     {@code apply} may perform it, never an unattended run
 */
public record ContainerReplace(String containerId, List<PortBinding> ports, boolean needsApproval) {

    public ContainerReplace {
        Objects.requireNonNull(containerId, "containerId");
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
