package io.stackwire.reconcile;

import java.util.Objects;

/**
 * This daemon's place in a swarm. Overlays need one; only the swarm's leader changes them, so two
 * managers running stackwire never race to create, replace or remove the same overlay.
 *
 * @param leader true on the manager that is the raft leader; a lone manager always is
 */
public record SwarmInfo(Role role, String nodeId, boolean leader) {

    public enum Role { NONE, WORKER, MANAGER }

    public static final SwarmInfo NONE = new SwarmInfo(Role.NONE, "", false);

    public SwarmInfo {
        Objects.requireNonNull(role, "role");
        nodeId = nodeId == null ? "" : nodeId;
        leader = leader && role == Role.MANAGER;
    }

    /** A manager taken to be the leader: the common single-manager swarm. */
    public SwarmInfo(Role role, String nodeId) {
        this(role, nodeId, role == Role.MANAGER);
    }

    /** Whether stackwire on this daemon may create, replace and remove swarm-scoped networks. */
    public boolean ownsOverlays() {
        return leader;
    }
}
