package io.stackwire.reconcile.docker;

import java.time.Instant;
import java.util.Objects;

/**
 * One container or network event from the daemon's event stream. The loop treats it only as "look
 * again" (level-triggered), so it carries just enough to decide whether a spec'd name is concerned.
 *
 * @param type container or network
 * @param action the daemon's action, e.g. {@code start}, {@code connect}, {@code destroy}
 * @param actorId container ID for container events; network ID for network events
 * @param actorName container name (no slash) or network name; empty when the daemon did not say
 * @param network the network name for network events, else null
 * @param container for network connect/disconnect: the container's ID, else null
 * @param time when the daemon says it happened
 */
public record DockerEvent(Type type, String action, String actorId, String actorName, String network,
        String container, Instant time) {

    public enum Type { CONTAINER, NETWORK }

    public DockerEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        actorId = actorId == null ? "" : actorId;
        actorName = actorName == null ? "" : actorName;
        time = time == null ? Instant.EPOCH : time;
    }

    /** The actions stackwire subscribes to; others cannot change networking. */
    public static final java.util.List<String> ACTIONS = java.util.List.of(
            "create", "start", "rename", "destroy", "die", "connect", "disconnect");
}
