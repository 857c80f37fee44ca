package io.stackwire.reconcile.plan;

import io.stackwire.model.Severity;
import java.util.Objects;

/**
 * Something the plan reports without changing it: a conflict with an unmanaged network, a pending
 * container, drift left alone by policy, a skipped prune, an overlay that needs swarm mode.
 *
 * @param code stable identifier, e.g. {@code conflict-unmanaged-network}, {@code pending-container}
 * @param subject the resource concerned, or null
 */
public record Notice(Severity severity, String code, ResourceKey subject, String stack, String message, String hint) {

    public Notice {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        stack = stack == null ? "" : stack;
        hint = hint == null ? "" : hint;
    }
}
