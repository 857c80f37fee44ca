package io.stackwire.reconcile.daemon;

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
 * @param attributes the actor's attributes: for a container event its labels (plus {@code name},
 *     {@code image} and the like), which is what lets the loop match {@code select:} entries
 *     without asking the daemon; empty when the daemon did not say
 */
public record DockerEvent(Type type, String action, String actorId, String actorName, String network,
        String container, Instant time, java.util.Map<String, String> attributes) {

    public enum Type { CONTAINER, NETWORK }

    public DockerEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        actorId = actorId == null ? "" : actorId;
        actorName = actorName == null ? "" : actorName;
        time = time == null ? Instant.EPOCH : time;
        attributes = attributes == null ? java.util.Map.of() : java.util.Map.copyOf(attributes);
    }

    /** Without attributes. */
    public DockerEvent(Type type, String action, String actorId, String actorName, String network, String container,
            Instant time) {
        this(type, action, actorId, actorName, network, container, time, null);
    }

    /** The actions stackwire subscribes to; others cannot change networking. */
    public static final java.util.List<String> ACTIONS = java.util.List.of(
            "create", "start", "rename", "destroy", "die", "connect", "disconnect");
}
