package io.stackwire.reconcile.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.PortBinding;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.Dependencies;
import io.stackwire.reconcile.plan.EndpointRef;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKey;
import io.stackwire.reconcile.plan.ResourceKind;
import io.stackwire.reconcile.plan.Step;
import io.stackwire.reconcile.plan.StepOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The versioned JSON form of a plan (docs/plan-json.md): what {@code plan --format json} prints and
 * what {@code plan --out} saves. Keys come in a fixed order and maps are sorted, so the same plan
 * always gives the same bytes. {@link #read} parses a saved plan back.
 */
public final class JsonPlan {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private JsonPlan() {}

    /** Pretty-printed JSON with two-space indentation and a final newline. */
    public static String write(Plan plan) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer).writeValueAsString(toTree(plan)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise plan", e);
        }
    }

    public static ObjectNode toTree(Plan plan) {
        ObjectNode root = NODES.objectNode();
        root.put("format_version", plan.formatVersion());
        root.put("host", plan.host());
        root.put("revision", plan.revision());
        root.put("live_fingerprint", plan.liveFingerprint());
        ArrayNode changes = root.putArray("changes");
        Map<String, String> selectedBy = plan.dependencies().selectedBy();
        for (Change c : plan.changes()) {
            ObjectNode n = change(c);
            String entry = c.key().kind() == ResourceKind.NETWORK ? null : selectedBy.get(c.key().name());
            if (entry != null) {
                // Which select: entry gave this container the change; derived from dependencies, so not read back.
                n.put("selected_by", entry);
            }
            changes.add(n);
        }
        ArrayNode steps = root.putArray("steps");
        plan.steps().forEach(s -> steps.add(step(s)));
        ArrayNode notices = root.putArray("notices");
        plan.notices().forEach(n -> notices.add(notice(n)));
        PlanSummary sum = PlanSummary.of(plan);
        ObjectNode summary = root.putObject("summary");
        summary.put("add", sum.add());
        summary.put("change", sum.change());
        summary.put("destroy", sum.destroy());
        summary.put("connect", sum.connect());
        summary.put("disconnect", sum.disconnect());
        summary.put("reconnect", sum.reconnect());
        summary.put("errors", sum.errors());
        summary.put("warnings", sum.warnings());
        if (plan.dependencies().recorded()) {
            // Last, since it is long: what apply checks before it changes anything.
            root.set("dependencies", value(plan.dependencies().resources()));
        }
        return root;
    }

    /** One attribute value as JSON; records and maps become objects with sorted keys. */
    static JsonNode value(Object v) {
        return MAPPER.valueToTree(v);
    }

    private static ObjectNode change(Change c) {
        ObjectNode n = NODES.objectNode();
        n.put("address", c.key().address());
        n.put("kind", lower(c.key().kind()));
        n.put("stack", c.stack());
        n.put("action", lower(c.action()));
        n.set("before", attributes(c.before()));
        n.set("after", attributes(c.after()));
        n.put("reason", c.reason());
        ArrayNode forces = n.putArray("forces_replacement");
        c.forcesReplacement().forEach(forces::add);
        n.put("disruptive", c.disruptive());
        ArrayNode endpoints = n.putArray("endpoints");
        for (EndpointRef e : c.endpoints()) {
            ObjectNode en = endpoints.addObject();
            en.put("container", e.container());
            en.put("network", e.network());
            en.put("managed", e.managed());
            en.put("running", e.running());
        }
        return n;
    }

    private static ObjectNode attributes(SortedMap<String, Object> attrs) {
        ObjectNode n = NODES.objectNode();
        attrs.forEach((k, v) -> n.set(k, value(v)));
        return n;
    }

    private static ObjectNode step(Step s) {
        // Every step has every field; those its kind lacks are null (a container step's network "").
        NetworkCreate create = s instanceof Step.CreateNetwork c ? c.create() : s instanceof Step.RemoveNetwork r ? r.create() : null;
        EndpointConfig endpoint = s instanceof Step.Connect c ? c.endpoint() : s instanceof Step.Disconnect d ? d.endpoint() : null;
        ContainerReplace replace = s instanceof Step.ReplaceContainer r ? r.replace() : null;
        ObjectNode n = NODES.objectNode();
        n.put("id", s.id());
        n.put("op", lower(s.op()));
        n.put("network", s instanceof Step.OnNetwork on ? on.network() : "");
        n.put("network_id", s instanceof Step.RemoveNetwork r ? r.networkId() : null);
        n.put("container", s instanceof Step.OnContainer on ? on.container() : null);
        if (create == null) {
            n.putNull("create");
        } else {
            n.set("create", create(create));
        }
        if (endpoint == null) {
            n.putNull("endpoint");
        } else {
            ObjectNode e = n.putObject("endpoint");
            ArrayNode aliases = e.putArray("aliases");
            endpoint.aliases().forEach(aliases::add);
            e.put("ipv4_address", endpoint.ipv4Address());
            e.put("ipv6_address", endpoint.ipv6Address());
        }
        ArrayNode deps = n.putArray("depends_on");
        s.dependsOn().forEach(deps::add);
        n.put("change", s.change());
        if (replace != null) {
            // Only on replace_container steps, so plans without one read as before.
            ObjectNode r = n.putObject("replace");
            r.put("container_id", replace.containerId());
            ArrayNode ports = r.putArray("ports");
            Normalizer.portTexts(replace.ports()).forEach(ports::add);
            r.put("needs_approval", replace.needsApproval());
        }
        return n;
    }

    private static ObjectNode create(NetworkCreate c) {
        ObjectNode n = NODES.objectNode();
        n.put("name", c.name());
        n.put("driver", c.driver());
        n.put("internal", c.internal());
        n.put("attachable", c.attachable());
        n.put("ipv6", c.ipv6());
        n.set("ipam", JsonNodes.ipam(c.ipam()));
        n.set("options", stringMap(c.options()));
        n.set("labels", stringMap(c.labels()));
        return n;
    }

    private static ObjectNode notice(Notice x) {
        ObjectNode n = NODES.objectNode();
        n.put("severity", lower(x.severity()));
        n.put("code", x.code());
        n.put("subject", x.subject() == null ? null : x.subject().address());
        n.put("stack", x.stack());
        n.put("message", x.message());
        n.put("hint", x.hint());
        return n;
    }

    private static ObjectNode stringMap(Map<String, String> m) {
        return JsonNodes.stringMap(m);
    }

    private static String lower(Enum<?> e) {
        return JsonNodes.lower(e);
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
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PlanFormatException("not a saved plan: invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.has("format_version")) {
            throw new PlanFormatException("not a saved plan: no \"format_version\" field (write one with: stackwire plan --out FILE)");
        }
        String version = root.get("format_version").asText();
        if (!Integer.toString(Plan.FORMAT_VERSION).equals(version)) {
            throw new PlanFormatException("saved plan has format_version " + version + ", but this stackwire reads only format_version "
                    + Plan.FORMAT_VERSION + "; run plan again with this version of stackwire");
        }
        try {
            List<Change> changes = new ArrayList<>();
            for (JsonNode c : array(root, "changes")) {
                changes.add(readChange(c));
            }
            List<Step> steps = new ArrayList<>();
            for (JsonNode s : array(root, "steps")) {
                steps.add(readStep(s));
            }
            List<Notice> notices = new ArrayList<>();
            for (JsonNode n : array(root, "notices")) {
                notices.add(new Notice(enumOf(Severity.class, text(n, "severity")), text(n, "code"),
                        n.hasNonNull("subject") ? key(text(n, "subject")) : null,
                        text(n, "stack"), text(n, "message"), text(n, "hint")));
            }
            Dependencies dependencies = Dependencies.NONE;
            JsonNode d = root.get("dependencies");
            if (d != null && d.isObject()) {
                dependencies = new Dependencies(readAttributes(d));
                if (!dependencies.fingerprint().equals(text(root, "live_fingerprint"))) {
                    throw new IllegalArgumentException("its dependencies do not match its live_fingerprint (was it edited?); run plan again");
                }
            }
            return new Plan(Plan.FORMAT_VERSION, required(root, "host"), text(root, "revision"),
                    text(root, "live_fingerprint"), changes, steps, notices, dependencies);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PlanFormatException("not a valid saved plan: " + e.getMessage(), e);
        }
    }

    private static Change readChange(JsonNode c) {
        List<String> forces = new ArrayList<>();
        array(c, "forces_replacement").forEach(f -> forces.add(f.asText()));
        List<EndpointRef> endpoints = new ArrayList<>();
        for (JsonNode e : array(c, "endpoints")) {
            endpoints.add(new EndpointRef(required(e, "container"), required(e, "network"),
                    e.path("managed").asBoolean(), e.path("running").asBoolean()));
        }
        ResourceKey key = key(required(c, "address"));
        return new Change(key, text(c, "stack"), enumOf(Action.class, required(c, "action")),
                readAttributes(c.get("before")), readAttributes(c.get("after")), text(c, "reason"), forces,
                c.path("disruptive").asBoolean(), endpoints);
    }

    private static SortedMap<String, Object> readAttributes(JsonNode n) {
        SortedMap<String, Object> out = new TreeMap<>();
        if (n != null && n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
            }
        }
        return out;
    }

    private static Step readStep(JsonNode s) {
        NetworkCreate create = null;
        JsonNode c = s.get("create");
        if (c != null && c.isObject()) {
            JsonNode ipam = c.path("ipam");
            List<IpamPool> pools = new ArrayList<>();
            for (JsonNode p : array(ipam, "pools")) {
                pools.add(new IpamPool(text(p, "subnet"), text(p, "gateway"), text(p, "ip_range"), readStringMap(p.get("aux_addresses"))));
            }
            create = new NetworkCreate(required(c, "name"), required(c, "driver"), c.path("internal").asBoolean(),
                    c.path("attachable").asBoolean(), c.path("ipv6").asBoolean(),
                    new Ipam(text(ipam, "driver"), pools, readStringMap(ipam.get("options"))),
                    readStringMap(c.get("options")), readStringMap(c.get("labels")));
        }
        EndpointConfig endpoint = null;
        JsonNode e = s.get("endpoint");
        if (e != null && e.isObject()) {
            List<String> aliases = new ArrayList<>();
            array(e, "aliases").forEach(a -> aliases.add(a.asText()));
            endpoint = new EndpointConfig(aliases, text(e, "ipv4_address"), text(e, "ipv6_address"));
        }
        ContainerReplace replace = null;
        JsonNode r = s.get("replace");
        if (r != null && r.isObject()) {
            List<PortBinding> ports = new ArrayList<>();
            for (JsonNode p : array(r, "ports")) {
                ports.add(PortBinding.parse(p.asText()));
            }
            replace = new ContainerReplace(required(r, "container_id"), Normalizer.ports(ports),
                    r.path("needs_approval").asBoolean(false));
        }
        List<Integer> deps = new ArrayList<>();
        array(s, "depends_on").forEach(d -> deps.add(d.asInt()));
        if (!s.has("id") || !s.get("id").canConvertToInt()) {
            throw new IllegalArgumentException("a step has no numeric \"id\"");
        }
        return Step.of(s.get("id").asInt(), enumOf(StepOp.class, required(s, "op")), text(s, "network"),
                text(s, "network_id"), text(s, "container"), create, endpoint, replace, deps, s.path("change").asInt());
    }


    private static Map<String, String> readStringMap(JsonNode n) {
        Map<String, String> out = new TreeMap<>();
        if (n != null && n.isObject()) {
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
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

    private static <E extends Enum<E>> E enumOf(Class<E> type, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName().toLowerCase(Locale.ROOT) + " \"" + text + "\"");
        }
    }

    private static Iterable<JsonNode> array(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an array");
        }
        return n;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String required(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return v;
    }
}
