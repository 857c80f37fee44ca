package io.stackwire.reconcile.render;

import static io.stackwire.reconcile.render.LenientPlanValues.each;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.Dependencies;
import io.stackwire.reconcile.plan.EndpointRef;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKey;
import io.stackwire.reconcile.plan.ResourceKind;
import io.stackwire.reconcile.render.PlanDocument.ChangeJson;
import io.stackwire.reconcile.render.PlanDocument.EndpointRefJson;
import io.stackwire.reconcile.render.PlanDocument.NoticeJson;
import io.stackwire.reconcile.render.PlanDocument.StepJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The versioned JSON form of a plan (docs/plan-json.md): what {@code plan --format json} prints and
 * what {@code plan --out} saves, as a {@link PlanDocument}. Keys come in a fixed order and maps are
 * sorted, so the same plan always gives the same bytes. {@link #read} parses a saved plan back.
 */
public final class JsonPlan {

    private JsonPlan() {}

    /** Pretty-printed JSON with two-space indentation and a final newline. */
    public static String write(Plan plan) {
        return JsonFormat.write(document(plan), "plan");
    }

    public static ObjectNode toTree(Plan plan) {
        return JsonFormat.FORMAT.valueToTree(document(plan));
    }

    static PlanDocument document(Plan plan) {
        Map<String, String> selectedBy = plan.dependencies().selectedBy();
        List<ChangeJson> changes = plan.changes().stream().map(c -> change(c,
                c.key().kind() == ResourceKind.NETWORK ? null : selectedBy.get(c.key().name()))).toList();
        return new PlanDocument(IntNode.valueOf(plan.formatVersion()), plan.host(), plan.revision(), plan.liveFingerprint(),
                changes, plan.steps().stream().map(StepJsonMapping::toJson).toList(),
                plan.notices().stream().map(JsonPlan::notice).toList(), PlanSummary.of(plan),
                plan.dependencies().recorded() ? attributes(plan.dependencies().resources()) : null);
    }

    private static ChangeJson change(Change c, String selectedBy) {
        return new ChangeJson(c.key().address(), JsonFormat.lower(c.key().kind()), c.stack(), JsonFormat.lower(c.action()),
                attributes(c.before()), attributes(c.after()), c.reason(), c.forcesReplacement(), c.disruptive(),
                c.endpoints().stream().map(e -> new EndpointRefJson(e.container(), e.network(), e.managed(), e.running())).toList(),
                selectedBy);
    }

    private static Map<String, JsonNode> attributes(Map<String, ?> attrs) {
        Map<String, JsonNode> out = new TreeMap<>();
        attrs.forEach((k, v) -> out.put(k, JsonFormat.value(v)));
        return out;
    }

    private static NoticeJson notice(Notice n) {
        return new NoticeJson(JsonFormat.lower(n.severity()), n.code(), n.subject() == null ? null : n.subject().address(),
                n.stack(), n.message(), n.hint());
    }

    // ---- reading saved plans ----

    /** True for a regular file whose first non-blank character opens a JSON object. */
    public static boolean looksLikeSavedPlan(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            int c;
            while ((c = in.read()) != -1) {
                if (!Character.isWhitespace(c)) {
                    return c == '{';
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    public static Plan read(Path file) throws PlanFormatException {
        try {
            return read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PlanFormatException("cannot read plan file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a saved plan.
     *
     * @throws PlanFormatException when the text is not a plan, or a plan of another format version
     */
    public static Plan read(String json) throws PlanFormatException {
        PlanDocument doc;
        try {
            doc = JsonFormat.FORMAT.readValue(json, PlanDocument.class);
        } catch (JsonProcessingException e) {
            throw refusal(json, e);
        }
        String version = doc == null || doc.formatVersion() == null ? null : doc.formatVersion().asText();
        if (!Integer.toString(Plan.FORMAT_VERSION).equals(version)) {
            throw refusal(json, null);
        }
        try {
            return plan(doc);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PlanFormatException("not a valid saved plan: " + e.getMessage(), e);
        }
    }

    private static Plan plan(PlanDocument doc) {
        List<Change> changes = each(doc.changes(), ChangeJson.ABSENT).stream().map(JsonPlan::change).toList();
        var steps = each(doc.steps(), StepJson.ABSENT).stream().map(StepJsonMapping::fromJson).toList();
        List<Notice> notices = each(doc.notices(), NoticeJson.ABSENT).stream().map(n -> new Notice(enumOf(Severity.class, n.severity()),
                n.code(), n.subject() != null ? key(n.subject()) : null, n.stack(), n.message(), n.hint())).toList();
        Dependencies dependencies = Dependencies.NONE;
        if (doc.dependencies() != null) {
            dependencies = new Dependencies(readAttributes(doc.dependencies()));
            if (!dependencies.fingerprint().equals(doc.liveFingerprint())) {
                throw new IllegalArgumentException("its dependencies do not match its live_fingerprint (was it edited?); run plan again");
            }
        }
        return new Plan(Plan.FORMAT_VERSION, required(doc.host(), "host"), doc.revision(), doc.liveFingerprint(),
                changes, steps, notices, dependencies);
    }

    private static Change change(ChangeJson c) {
        List<EndpointRef> endpoints = each(c.endpoints(), EndpointRefJson.ABSENT).stream().map(e -> new EndpointRef(required(e.container(), "container"),
                required(e.network(), "network"), e.managed(), e.running())).toList();
        ResourceKey key = key(required(c.address(), "address"));
        return new Change(key, c.stack(), enumOf(Action.class, required(c.action(), "action")),
                readAttributes(c.before()), readAttributes(c.after()), c.reason(), each(c.forcesReplacement(), "null"),
                c.disruptive(), endpoints);
    }

    private static SortedMap<String, Object> readAttributes(Map<String, JsonNode> attrs) {
        SortedMap<String, Object> out = new TreeMap<>();
        if (attrs != null) {
            attrs.forEach((k, v) -> out.put(k, JsonFormat.fromValue(v)));
        }
        return out;
    }

    /**
     * Why a text that did not bind, or bound with another format version, is not a plan this
     * version reads: the first of invalid JSON, no format version, another format version, a value
     * of the wrong shape.
     */
    private static PlanFormatException refusal(String json, JsonProcessingException bindError) {
        JsonNode root;
        try {
            root = JsonFormat.VALUES.readTree(json);
        } catch (JsonProcessingException e) {
            return new PlanFormatException("not a saved plan: invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.has("format_version")) {
            return new PlanFormatException("not a saved plan: no \"format_version\" field (write one with: stackwire plan --out FILE)");
        }
        String version = root.get("format_version").asText();
        if (!Integer.toString(Plan.FORMAT_VERSION).equals(version) || bindError == null) {
            return new PlanFormatException("saved plan has format_version " + version + ", but this stackwire reads only format_version "
                    + Plan.FORMAT_VERSION + "; run plan again with this version of stackwire");
        }
        String at = bindError instanceof JsonMappingException m ? JsonFormat.path(m) : "";
        if (bindError instanceof MismatchedInputException m && m.getTargetType() != null
                && Collection.class.isAssignableFrom(m.getTargetType())) {
            String field = at.substring(Math.max(at.lastIndexOf('.'), at.lastIndexOf(']')) + 1);
            return new PlanFormatException("not a valid saved plan: \"" + field + "\" must be an array", bindError);
        }
        return new PlanFormatException("not a valid saved plan: " + at + ": " + bindError.getOriginalMessage(), bindError);
    }

    /** Parses {@code network.x}, {@code container.x} and {@code attachment.c/n}. */
    static ResourceKey key(String address) {
        int dot = address.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("bad resource address \"" + address + "\"");
        }
        ResourceKind kind = enumOf(ResourceKind.class, address.substring(0, dot));
        String rest = address.substring(dot + 1);
        if (kind == ResourceKind.ATTACHMENT) {
            int slash = rest.lastIndexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("bad attachment address \"" + address + "\" (want attachment.CONTAINER/NETWORK)");
            }
            return ResourceKey.attachment(rest.substring(0, slash), rest.substring(slash + 1));
        }
        return new ResourceKey(kind, rest, null);
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " \"" + text + "\"");
        }
    }

    static String required(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return value;
    }
}
