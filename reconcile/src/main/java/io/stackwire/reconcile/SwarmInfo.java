package io.stackwire.reconcile;

import java.util.Objects;

/** This daemon's place in a swarm; overlays need one, and only managers create them. */
public record SwarmInfo(Role role, String nodeId) {

    public enum Role { NONE, WORKER, MANAGER }

    public static final SwarmInfo NONE = new SwarmInfo(Role.NONE, "");

    public SwarmInfo {
        Objects.requireNonNull(role, "role");
        nodeId = nodeId == null ? "" : nodeId;
    }
}
