package io.stackwire.reconcile.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.GatewayException.Kind;
import io.stackwire.reconcile.daemon.ReplaceRepair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Re-creates a container with new port bindings, everything else copied from the daemon's own
 * inspect JSON ({@link ReplacementBody}); rolls back when a step fails and repairs a replacement
 * that was killed half-way ({@link ReplaceRepair}). The old container's inspect stays a JSON tree:
 * its {@code Config} and {@code HostConfig} are sent back whole, including what no record models.
 */
final class ContainerReplacer {

    private static final System.Logger LOG = System.getLogger(DockerJavaGateway.class.getName());

    private final DaemonHttp http;
    private final NetworkOps networks;

    ContainerReplacer(DaemonHttp http, NetworkOps networks) {
        this.http = http;
        this.networks = networks;
    }

    /**
     * The order never leaves the name without a container for longer than two renames, and never
     * loses the old one before the new one runs:
     * <ol>
     *   <li>create {@code <name>-stackwire-new} (first network with its endpoint settings), connect
     *       it to the other networks with their aliases and static addresses;
     *   <li>stop the old container, rename it {@code <name>-stackwire-old}, rename the new one
     *       {@code <name>}, start it (only if the old one was running: a stopped container is
     *       re-created stopped);
     *   <li>remove the old container, keeping its volumes.
     * </ol>
     * If anything fails after the old container was touched, the new one is removed, the old one
     * gets its name back and is started again if it was running; the exception says so.
     */
    String replace(String name, ContainerReplace request) throws GatewayException {
        String action = "replace container " + name;
        JsonNode old = http.request("GET", "/containers/" + name + "/json", null, action);
        String oldId = old.path("Id").asText("");
        if (!oldId.equals(request.containerId())) {
            throw new GatewayException(Kind.CONFLICT, action + ": it was re-created since the plan was made (ID "
                    + shortId(oldId) + ", planned " + shortId(request.containerId()) + "); plan again");
        }
        if (old.path("HostConfig").path("AutoRemove").asBoolean(false)) {
            throw new GatewayException(Kind.REFUSED, action + ": it was started with --rm, so stopping it would delete it"
                    + " and leave nothing to roll back to; re-create it without --rm first");
        }
        boolean running = old.path("State").path("Running").asBoolean(false);
        int stopTimeout = ReplacementBody.stopTimeout(old);
        String tmpNew = name + "-stackwire-new";
        String tmpOld = name + "-stackwire-old";
        removeLeftover(tmpNew, action);
        if (inspectOrNull(tmpOld, action) != null) {
            throw new GatewayException(Kind.CONFLICT, action + ": a container named " + tmpOld
                    + " exists (left by an earlier replacement?); check it, remove or rename it, and plan again");
        }
        Map<String, ObjectNode> endpoints = ReplacementBody.endpoints(old);
        String primary = ReplacementBody.primaryNetwork(old);
        ObjectNode body = ReplacementBody.createBody(old, request.ports(), image(old, action), endpoints.get(primary));
        String newId = http.request("POST", "/containers/create?name=" + tmpNew, body, action + ": create " + tmpNew)
                .path("Id").asText("");
        try {
            // A --network none container may have left none for other networks (its ports are published
            // there); the replacement must leave it too, or Docker refuses to connect it anywhere else.
            boolean ownNetworkStack = !primary.equals("host") && !primary.startsWith("container:");
            if (ownNetworkStack && !endpoints.containsKey(primary)) {
                // It had left the network it was created on; so does its replacement.
                networks.disconnect(action, newId, primary, true);
            }
            for (Map.Entry<String, ObjectNode> e : endpoints.entrySet()) {
                if (e.getKey().equals(primary)) {
                    continue;
                }
                ObjectNode connect = http.json().createObjectNode();
                connect.put("Container", newId);
                connect.set("EndpointConfig", e.getValue());
                http.request("POST", "/networks/" + e.getKey() + "/connect", connect, action + ": connect the new container to " + e.getKey());
            }
        } catch (GatewayException e) {
            removeQuietly(newId, e);
            throw new GatewayException(e.kind(), e.getMessage() + "; nothing changed: " + name + " was not touched", e);
        }
        FaultPause.at("before-stop", name);
        try {
            if (running) {
                http.docker(action + ": stop the old container", () -> {
                    http.client().stopContainerCmd(oldId).withTimeout(stopTimeout).exec();
                    return null;
                });
            }
        } catch (GatewayException e) {
            removeQuietly(newId, e);
            throw new GatewayException(e.kind(), e.getMessage() + "; " + name + " was left as it was", e);
        }
        FaultPause.at("after-stop", name);
        boolean oldRenamed = false;
        try {
            rename(oldId, tmpOld, action);
            oldRenamed = true;
            FaultPause.at("between-renames", name);
            rename(newId, name, action);
            FaultPause.at("before-start", name);
            if (running) {
                start(newId, action + ": start the new container");
            }
        } catch (GatewayException e) {
            throw rollback(action, name, oldId, newId, oldRenamed, running, e);
        }
        FaultPause.at("before-remove-old", name);
        try {
            http.docker(action + ": remove the old container", () -> {
                http.client().removeContainerCmd(oldId).withRemoveVolumes(false).withForce(false).exec();
                return null;
            });
        } catch (GatewayException e) {
            // The replacement is done; the plan reports the leftover until someone removes it.
            LOG.log(System.Logger.Level.WARNING, action + ": the new container runs, but " + tmpOld
                    + " could not be removed: " + e.getMessage());
        }
        return newId;
    }

    /**
     * Finishes or undoes an interrupted replacement as {@link ReplaceRepair} decides from the three
     * names now. Every step is one Docker call that is safe to repeat after another kill: the
     * next plan sees the state it left and picks up from there.
     */
    String repair(String name) throws GatewayException {
        String action = "repair the replacement of " + name;
        JsonNode base = inspectOrNull(name, action);
        JsonNode neu = inspectOrNull(name + "-stackwire-new", action);
        JsonNode old = inspectOrNull(name + "-stackwire-old", action);
        ReplaceRepair repair = ReplaceRepair.of(slot(base), slot(neu), slot(old));
        if (repair == null) {
            throw new GatewayException(Kind.CONFLICT, action + ": the containers changed since the plan and stackwire"
                    + " no longer knows how to repair them; plan again");
        }
        boolean start = ReplaceRepair.startAfter(repair, slot(base), slot(neu));
        String started = start ? ", started it" : "";
        switch (repair) {
            case REMOVE_NEW -> {
                remove(neu.path("Id").asText(), action + ": remove " + shortId(neu.path("Id").asText()));
                if (start) {
                    start(base.path("Id").asText(), action + ": start " + shortId(base.path("Id").asText()));
                }
                return "removed " + name + "-stackwire-new" + (start ? ", started the old " + name + " again" : "");
            }
            case FINISH -> {
                String id = neu.path("Id").asText();
                rename(id, name, action);
                startOrRollBack(action, name, old, id, start);
                remove(old.path("Id").asText(), action + ": remove " + shortId(old.path("Id").asText()));
                return "renamed " + name + "-stackwire-new to " + name + started + ", removed " + name + "-stackwire-old";
            }
            case REMOVE_OLD -> {
                startOrRollBack(action, name, old, base.path("Id").asText(), start);
                remove(old.path("Id").asText(), action + ": remove " + shortId(old.path("Id").asText()));
                return "removed " + name + "-stackwire-old" + started;
            }
            default -> {
                rename(old.path("Id").asText(), name, action);
                return "renamed " + name + "-stackwire-old back to " + name + " (stopped)";
            }
        }
    }

    /**
     * Starts the new container under the name; when it does not start (the kill may have come
     * during a rollback, because it could not), puts the old one back as the replacement would.
     */
    private void startOrRollBack(String action, String name, JsonNode old, String newId, boolean start) throws GatewayException {
        if (!start) {
            return;
        }
        try {
            start(newId, action + ": start " + shortId(newId));
        } catch (GatewayException e) {
            throw rollback(action, name, old.path("Id").asText(), newId, true, true, e);
        }
    }

    private static ReplaceRepair.Slot slot(JsonNode inspect) {
        if (inspect == null) {
            return null;
        }
        Map<String, String> labels = new TreeMap<>();
        inspect.path("Config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return ReplaceRepair.slot(inspect.path("Id").asText(""), inspect.path("State").path("Running").asBoolean(false), labels);
    }

    /** Puts the old container back under its name (started again if it ran) and says how that went. */
    private GatewayException rollback(String action, String name, String oldId, String newId, boolean oldRenamed,
            boolean running, GatewayException cause) {
        List<String> problems = new ArrayList<>();
        try {
            remove(newId, "remove the new container");
        } catch (GatewayException e) {
            problems.add(e.getMessage());
        }
        if (oldRenamed) {
            try {
                rename(oldId, name, "rename the old container back");
            } catch (GatewayException e) {
                problems.add(e.getMessage());
            }
        }
        if (running) {
            try {
                start(oldId, "start the old container again");
            } catch (GatewayException e) {
                problems.add(e.getMessage());
            }
        }
        String outcome = problems.isEmpty()
                ? "rolled back: " + name + " is the old container again" + (running ? ", running" : "")
                : "rollback incomplete (" + String.join("; ", problems) + "): check " + name + " and " + name
                        + "-stackwire-old by hand";
        return new GatewayException(cause.kind(), action + " failed: " + cause.getMessage() + "; " + outcome, cause);
    }

    private void rename(String container, String newName, String action) throws GatewayException {
        http.docker(action + ": rename to " + newName, () -> {
            http.client().renameContainerCmd(container).withName(newName).exec();
            return null;
        });
    }

    private void start(String id, String action) throws GatewayException {
        http.docker(action, () -> {
            http.client().startContainerCmd(id).exec();
            return null;
        });
    }

    /** Removes a container by force, never its volumes. */
    private void remove(String id, String action) throws GatewayException {
        http.docker(action, () -> {
            http.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
            return null;
        });
    }

    private JsonNode inspectOrNull(String container, String action) throws GatewayException {
        try {
            return http.request("GET", "/containers/" + container + "/json", null, action);
        } catch (GatewayException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** A temporary container of an interrupted replacement is removed; one we did not make is not touched. */
    private void removeLeftover(String tmp, String action) throws GatewayException {
        JsonNode c = inspectOrNull(tmp, action);
        if (c == null) {
            return;
        }
        if (!c.path("Config").path("Labels").has(ReplacementBody.REPLACES_LABEL)) {
            throw new GatewayException(Kind.CONFLICT, action + ": a container named " + tmp
                    + " exists and stackwire did not make it; rename or remove it, then plan again");
        }
        remove(c.path("Id").asText(), action + ": remove the leftover " + tmp);
    }

    private void removeQuietly(String id, GatewayException failure) {
        try {
            remove(id, "remove the new container");
        } catch (GatewayException e) {
            failure.addSuppressed(e);
        }
    }

    /** The image by name when the name still points at the same image, else by its ID (never a different image). */
    private String image(JsonNode old, String action) throws GatewayException {
        String id = old.path("Image").asText("");
        String ref = old.path("Config").path("Image").asText("");
        if (ref.isEmpty() || ref.equals(id)) {
            return id;
        }
        try {
            String now = http.request("GET", "/images/" + ref + "/json", null, action + ": inspect image " + ref).path("Id").asText("");
            return now.equals(id) ? ref : id;
        } catch (GatewayException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return id;
            }
            throw e;
        }
    }

    private static String shortId(String id) {
        return DaemonHttp.shortId(id);
    }
}
