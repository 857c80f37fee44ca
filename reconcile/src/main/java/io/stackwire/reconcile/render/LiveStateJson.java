package io.stackwire.reconcile.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwire.model.PortBinding;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.render.JsonFormat.IpamJson;
import io.stackwire.reconcile.render.LiveStateDocument.ContainerJson;
import io.stackwire.reconcile.render.LiveStateDocument.EndpointJson;
import io.stackwire.reconcile.render.LiveStateDocument.NetworkJson;
import io.stackwire.reconcile.render.LiveStateDocument.SwarmJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * The versioned JSON snapshot of a {@link LiveState} (docs/live-state-json.md), as a
 * {@link LiveStateDocument}: what {@code stackwire export-state} writes and {@code plan --live-state
 * FILE} reads, so CI can plan without the production daemon. Writing then reading gives back an
 * equal {@code LiveState}; the same state always gives the same bytes.
 */
public final class LiveStateJson {

    /** Changes only for incompatible changes, as for the plan format. */
    public static final int FORMAT_VERSION = 1;

    private LiveStateJson() {}

    /** Pretty-printed JSON with two-space indentation and a final newline. */
    public static String write(LiveState live) {
        return JsonFormat.write(document(live), "live state");
    }

    public static ObjectNode toTree(LiveState live) {
        return JsonFormat.FORMAT.valueToTree(document(live));
    }

    static LiveStateDocument document(LiveState live) {
        SwarmInfo s = live.swarm();
        return new LiveStateDocument(IntNode.valueOf(FORMAT_VERSION), live.apiVersion(),
                new SwarmJson(JsonFormat.lower(s.role()), s.nodeId(), s.leader()),
                live.networks().values().stream().map(LiveStateJson::network).toList(),
                live.containers().values().stream().map(LiveStateJson::container).toList());
    }

    private static NetworkJson network(LiveNetwork n) {
        return new NetworkJson(n.id(), n.name(), n.driver(), n.scope(), n.internal(), n.attachable(), n.ipv6(),
                IpamJson.of(n.ipam()), n.options(), n.labels(), n.created() == null ? null : n.created().toString());
    }

    private static ContainerJson container(LiveContainer c) {
        return new ContainerJson(c.id(), c.name(), c.running(), c.networkMode(), c.hostname(), c.labels(),
                c.endpoints().stream().map(e -> new EndpointJson(e.network(), e.networkId(), e.aliases(), e.ipv4Config(),
                        e.ipv6Config(), e.ipv4Address(), e.ipv6Address())).toList(),
                c.configuredPorts().stream().map(PortBinding::toString).toList(),
                c.actualPorts().stream().map(PortBinding::toString).toList());
    }

    // ---- reading ----

    public static LiveState read(Path file) throws LiveStateFormatException {
        try {
            return read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LiveStateFormatException("cannot read live state file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a snapshot. Fields this version does not know are ignored (adding one is compatible).
     * Only {@code format_version}, {@code swarm.role}, each network's and container's {@code id} and
     * {@code name}, and each endpoint's {@code network} are required; every other field may be left
     * out (or be {@code null}) and reads as empty, {@code false} or absent. A missing required field
     * or a value of the wrong type refuses the whole snapshot, naming its JSON path
     * ({@code containers[2].endpoints[0].network: required}).
     *
     * @throws LiveStateFormatException saying what is wrong and what to do
     */
    public static LiveState read(String json) throws LiveStateFormatException {
        LiveStateDocument doc;
        try {
            doc = JsonFormat.STRICT.readValue(json, LiveStateDocument.class);
        } catch (JsonProcessingException e) {
            throw refusal(json, e);
        }
        JsonNode version = doc == null ? null : doc.formatVersion();
        if (version == null || !version.isInt() || version.asInt() != FORMAT_VERSION) {
            throw refusal(json, null);
        }
        try {
            return LiveStateReading.liveState(doc);
        } catch (IllegalArgumentException e) {
            throw new LiveStateFormatException("not a valid live state snapshot: " + e.getMessage(), e);
        }
    }

    /**
     * Why a text that did not bind, or bound with another format version, is not a snapshot this
     * version reads: the first of invalid JSON, no format version, another format version, a value
     * of the wrong type.
     */
    private static LiveStateFormatException refusal(String json, JsonProcessingException bindError) {
        JsonNode root;
        try {
            root = JsonFormat.VALUES.readTree(json);
        } catch (JsonProcessingException e) {
            return new LiveStateFormatException("not a live state snapshot: invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.has("format_version")) {
            return new LiveStateFormatException(
                    "not a live state snapshot: no \"format_version\" field (write one with: stackwire export-state --out FILE)");
        }
        JsonNode version = root.get("format_version");
        if (!version.isInt() || version.asInt() != FORMAT_VERSION || bindError == null) {
            return new LiveStateFormatException("live state snapshot has format_version " + version
                    + ", but this stackwire reads only format_version " + FORMAT_VERSION
                    + "; export it again with this version of stackwire (stackwire export-state)");
        }
        return new LiveStateFormatException("not a valid live state snapshot: " + wrongType(bindError), bindError);
    }

    /** {@code containers[0].running: must be true or false}: what the reader expected where the file has another type. */
    private static String wrongType(JsonProcessingException e) {
        String at = e instanceof JsonMappingException m ? JsonFormat.path(m) : "";
        Class<?> type = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (type == null) {
            return at + ": " + e.getOriginalMessage();
        }
        if (type == String.class) {
            return at + (at.matches(".*_ports\\[\\d+]") ? LiveStateReading.NOT_A_PORT : ": must be a string");
        }
        if (type == boolean.class || type == Boolean.class) {
            return at + ": must be true or false";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return at + ": must be an array";
        }
        return at + (Map.class.isAssignableFrom(type) ? ": must be an object of strings" : ": must be an object");
    }
}
