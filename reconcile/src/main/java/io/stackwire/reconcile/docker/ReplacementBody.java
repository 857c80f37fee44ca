package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.ReplaceRepair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwire.model.PortBinding;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the create request of a replacement container from the old container's inspect JSON:
 * the daemon's own {@code Config} and {@code HostConfig}, copied whole so nothing docker-java does
 * not model is lost, with new port bindings, and with each anonymous volume bound by name so its
 * data carries over. Pure: JSON in, JSON out.
 */
final class ReplacementBody {

    /** Put on the replacement; lets a leftover temporary container be recognised as ours. */
    static final String REPLACES_LABEL = ReplaceRepair.REPLACES_LABEL;

    private ReplacementBody() {}

    /** The network the container was created on, as the daemon names it in its settings. */
    static String primaryNetwork(JsonNode inspect) {
        String mode = inspect.path("HostConfig").path("NetworkMode").asText("");
        return mode.isEmpty() || "default".equals(mode) ? "bridge" : mode;
    }

    /**
     * The body of {@code POST /containers/create} for the replacement of {@code inspect}.
     *
     * @param image the image reference to create from (the old container's image ID when its name
     *     now points elsewhere)
     * @param primaryEndpoint the endpoint settings on the primary network, or null
     */
    static ObjectNode createBody(JsonNode inspect, List<PortBinding> ports, String image, ObjectNode primaryEndpoint) {
        ObjectNode body = ((ObjectNode) inspect.path("Config")).deepCopy();
        String id = inspect.path("Id").asText("");
        // Docker's default hostname is the short ID; a copy would pin the old one.
        String hostname = body.path("Hostname").asText("");
        if (hostname.isEmpty() || (hostname.length() == 12 && id.startsWith(hostname))) {
            body.remove("Hostname");
        }
        body.put("Image", image);
        ObjectNode labels = object(body, "Labels");
        labels.put(REPLACES_LABEL, id);
        // Lets a repair after a kill know whether to start it (or the old one) again.
        labels.put(ReplaceRepair.RAN_LABEL, Boolean.toString(inspect.path("State").path("Running").asBoolean(false)));

        ObjectNode exposed = object(body, "ExposedPorts");
        ObjectNode host = ((ObjectNode) inspect.path("HostConfig")).deepCopy();
        ObjectNode bindings = host.putObject("PortBindings");
        for (PortBinding p : ports) {
            for (PortBinding one : p.expand()) {
                String key = one.containerPortStart() + "/" + one.protocol().dockerName();
                exposed.putObject(key);
                ArrayNode list = bindings.has(key) ? (ArrayNode) bindings.get(key) : bindings.putArray(key);
                ObjectNode b = list.addObject();
                b.put("HostIp", one.hostIp());
                b.put("HostPort", one.randomHostPort() ? ""
                        : one.hostPortStart() == one.hostPortEnd() ? "" + one.hostPortStart()
                        : one.hostPortStart() + "-" + one.hostPortEnd());
            }
        }
        keepAnonymousVolumes(inspect, host);
        body.set("HostConfig", host);
        if (primaryEndpoint != null) {
            body.putObject("NetworkingConfig").putObject("EndpointsConfig").set(primaryNetwork(inspect), primaryEndpoint);
        }
        return body;
    }

    /** The object under {@code field}, made (or replacing a JSON null) when missing. */
    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        return n instanceof ObjectNode o ? o : parent.putObject(field);
    }

    /**
     * Volumes the container got without a name ({@code -v /data}, or a {@code VOLUME} of the image)
     * would be fresh and empty in the new container; bind each by its generated name instead.
     */
    private static void keepAnonymousVolumes(JsonNode inspect, ObjectNode host) {
        Set<String> covered = new LinkedHashSet<>();
        for (JsonNode b : host.path("Binds")) {
            String[] parts = b.asText().split(":");
            if (parts.length >= 2) {
                covered.add(parts[1]);
            }
        }
        for (JsonNode m : host.path("Mounts")) {
            covered.add(m.path("Target").asText());
        }
        List<String> add = new ArrayList<>();
        for (JsonNode m : inspect.path("Mounts")) {
            String dest = m.path("Destination").asText("");
            if ("volume".equals(m.path("Type").asText()) && !dest.isEmpty() && !covered.contains(dest)
                    && !m.path("Name").asText("").isEmpty()) {
                add.add(m.path("Name").asText() + ":" + dest + (m.path("RW").asBoolean(true) ? "" : ":ro"));
            }
        }
        if (!add.isEmpty()) {
            ArrayNode binds = host.has("Binds") && host.get("Binds").isArray() ? (ArrayNode) host.get("Binds") : host.putArray("Binds");
            add.forEach(binds::add);
        }
    }

    /**
     * The old container's networks with their configured settings: aliases without Docker's own
     * (the short ID, the name), static addresses as asked for (IPAMConfig), links and driver options.
     */
    static Map<String, ObjectNode> endpoints(JsonNode inspect) {
        String id = inspect.path("Id").asText("");
        String name = inspect.path("Name").asText("").replaceFirst("^/", "");
        Map<String, ObjectNode> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = inspect.path("NetworkSettings").path("Networks").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            ObjectNode cfg = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            ArrayNode aliases = cfg.putArray("Aliases");
            for (JsonNode a : n.path("Aliases")) {
                String alias = a.asText("");
                boolean auto = alias.isEmpty() || alias.equals(name) || (alias.length() >= 12 && id.startsWith(alias));
                if (!auto) {
                    aliases.add(alias);
                }
            }
            JsonNode ipam = n.get("IPAMConfig");
            if (ipam != null && ipam.isObject() && ipam.size() > 0) {
                cfg.set("IPAMConfig", ipam.deepCopy());
            }
            if (n.has("Links") && n.get("Links").isArray() && n.get("Links").size() > 0) {
                cfg.set("Links", n.get("Links").deepCopy());
            }
            if (n.has("DriverOpts") && n.get("DriverOpts").isObject() && n.get("DriverOpts").size() > 0) {
                cfg.set("DriverOpts", n.get("DriverOpts").deepCopy());
            }
            out.put(e.getKey(), cfg);
        }
        return out;
    }

    /** Docker's own default when a container sets none ({@code docker stop} without {@code -t}). */
    static final int DEFAULT_STOP_TIMEOUT = 10;

    /**
     * Seconds the stop during a replacement waits before it kills: the container's own
     * {@code Config.StopTimeout} ({@code --stop-timeout}) when set, else Docker's 10. docker-java
     * always sends {@code t=10} unless told otherwise, which would cut a slow shutdown short.
     */
    static int stopTimeout(JsonNode inspect) {
        JsonNode t = inspect.path("Config").path("StopTimeout");
        return t.canConvertToInt() && !t.isNull() && t.isNumber() ? t.asInt() : DEFAULT_STOP_TIMEOUT;
    }
}
