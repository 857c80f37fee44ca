package io.stackwire.model.yaml;

import io.stackwire.model.HostOverlay;
import io.stackwire.model.SourceRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads one host overlay, hosts/NAME.yaml: which stacks the host runs and its variables. */
final class OverlayReader {

    static final List<String> OVERLAY_KEYS = List.of("host", "stacks", "variables");

    private OverlayReader() {}

    /** The overlay in {@code rel}; null when it cannot be one (reported to {@code diags}). */
    static Repo.Overlay read(String rel, Path path, Map<String, Repo.Overlay> overlays, Diags diags) {
        Diags own = new Diags();
        String fileName = rel.substring(Repo.HOSTS_DIR.length() + 1);
        String name = fileName.substring(0, fileName.lastIndexOf('.'));
        if (fileName.contains("/")) {
            diags.error("misplaced-overlay", new SourceRef(rel, 1, 1), "host overlays must be directly in hosts/",
                    "move it to hosts/" + fileName.substring(fileName.lastIndexOf('/') + 1));
            return null;
        }
        if (overlays.containsKey(name)) {
            diags.error("duplicate-host", new SourceRef(rel, 1, 1), "host '" + name + "' already has an overlay file: "
                    + overlays.get(name).overlay().file(), "keep one of hosts/" + name + ".yaml and hosts/" + name + ".yml");
            return null;
        }
        Node node = YamlFile.read(path, rel, own);
        Doc doc = new Doc(rel, own, null);
        List<String> stacks = null;
        Map<String, SourceRef> stackRefs = new LinkedHashMap<>();
        Map<String, String> variables = new TreeMap<>();
        MappingNode m = Doc.isNull(node) ? null : doc.mapping(node, "a host overlay", false);
        if (m != null) {
            Map<String, NodeTuple> f = doc.fields(m, OVERLAY_KEYS, "host overlay " + rel);
            Node h = Doc.value(f, "host");
            if (!Doc.isNull(h)) {
                String declared = doc.rawString(h, "'host'");
                if (declared != null && !declared.equals(name)) {
                    own.error("host-mismatch", doc.at(h), "overlay " + rel + " says host '" + declared
                            + "' but its file name says '" + name + "'", "rename the file to hosts/" + declared
                            + ".yaml, or set host: " + name);
                }
            }
            Node s = Doc.value(f, "stacks");
            if (s != null && !Doc.isNull(s)) {
                stacks = new ArrayList<>();
                for (Node item : doc.scalarList(s, "'stacks'", "a list of stack names, e.g. stacks: [web, db]")) {
                    String stack = doc.rawString(item, "a stack name");
                    if (stack != null) {
                        stacks.add(stack);
                        stackRefs.putIfAbsent(stack, doc.at(item));
                    }
                }
            }
            MappingNode vars = doc.mapping(Doc.value(f, "variables"), "'variables'", true);
            if (vars != null) {
                for (Map.Entry<String, NodeTuple> e : doc.fields(vars, null, "'variables'").entrySet()) {
                    Node v = e.getValue().getValueNode();
                    if (!Vars.NAME.matcher(e.getKey()).matches()) {
                        own.error("bad-variable", doc.at(e.getValue().getKeyNode()), "invalid variable name '" + e.getKey() + "'",
                                "variable names are letters, digits and _, not starting with a digit");
                    } else if (v instanceof ScalarNode sv && !Doc.isNull(v)) {
                        variables.put(e.getKey(), sv.getValue());
                    } else {
                        doc.wrongType(v, "variable '" + e.getKey() + "'", "text", "quote it, e.g. \"10.8.0.5\"");
                    }
                }
            }
        }
        HostOverlay overlay = new HostOverlay(name, rel, stacks, variables, new SourceRef(rel, 1, 1));
        return new Repo.Overlay(overlay, own.sorted(), stackRefs);
    }
}
