package io.stackwire.model.yaml;

import io.stackwire.model.ContainerSelector;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.StackReader.BuiltAttachment;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Reads a container entry's {@code select} and checks what a selector entry cannot have. */
final class SelectorReader {

    static final List<String> SELECT_KEYS = List.of("compose", "labels", "name");
    static final List<String> COMPOSE_KEYS = List.of("project", "service");

    static final Pattern COMPOSE_PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    static final Pattern NAME_GLOB = Pattern.compile("[a-zA-Z0-9*?][a-zA-Z0-9_.*?-]*");

    private final Doc doc;

    SelectorReader(Doc doc) {
        this.doc = doc;
    }

    /**
     * {@code select: {compose: {project, service}, labels: {...}, name: GLOB}}: every part given must
     * match. Null (reported) when it selects nothing usable.
     */
    ContainerSelector read(String entry, Node n) {
        String where = "'select' of container entry '" + entry + "'";
        MappingNode m = doc.mapping(n, where, false);
        if (m == null) {
            return null;
        }
        int errorsBefore = doc.diags.size();
        Map<String, NodeTuple> f = doc.fields(m, SELECT_KEYS, where);
        Map<String, String> labels = new TreeMap<>(doc.stringMap(Doc.value(f, "labels"), "'labels' of " + where));
        Node compose = Doc.value(f, "compose");
        if (compose != null) {
            MappingNode cm = doc.mapping(compose, "'compose' of " + where, false);
            if (cm == null) {
                return null;
            }
            Map<String, NodeTuple> cf = doc.fields(cm, COMPOSE_KEYS, "'compose' of " + where);
            Node project = Doc.value(cf, "project");
            if (project == null || Doc.isNull(project)) {
                doc.diags.error("bad-value", doc.at(compose), "the compose selector of '" + entry + "' has no 'project'",
                        "add project: the compose project name (docker compose -p NAME, or the folder name)");
                return null;
            }
            String p = doc.string(project, "'project'");
            if (p != null && !COMPOSE_PROJECT.matcher(p).matches()) {
                // Compose lower-cases project names and allows only these: any other never matches.
                doc.diags.error("bad-name", doc.at(project), "'" + p + "' is not a compose project name",
                        "compose project names are lower-case letters, digits, '-' and '_', starting with a letter or digit;"
                                + " `docker compose ls` shows them");
            } else if (p != null) {
                labels.put(ContainerSelector.COMPOSE_PROJECT, p);
            }
            Node service = Doc.value(cf, "service");
            if (service != null && !Doc.isNull(service)) {
                String sv = doc.string(service, "'service'");
                if (sv != null && doc.checkName(sv, service, "compose service")) {
                    labels.put(ContainerSelector.COMPOSE_SERVICE, sv);
                }
            }
        }
        String pattern = null;
        Node nameNode = Doc.value(f, "name");
        if (nameNode != null && !Doc.isNull(nameNode)) {
            pattern = doc.string(nameNode, "'name'");
            if (pattern != null && (pattern.isEmpty() || !NAME_GLOB.matcher(pattern).matches())) {
                doc.diags.error("bad-value", doc.at(nameNode), "'" + pattern + "' is not a container name pattern",
                        "use letters, digits, '_', '.' and '-', with * for any run of characters and ? for one, e.g. shop-web-*");
                pattern = null;
            }
        }
        if (labels.isEmpty() && pattern == null) {
            if (doc.diags.size() == errorsBefore) { // nothing said yet about why
                doc.diags.error("bad-value", doc.at(n), "'select' of '" + entry + "' selects every container",
                        "give compose: {project: P, service: S}, labels: {KEY: VALUE} or name: PATTERN");
            }
            return null;
        }
        return new ContainerSelector(entry, labels, pattern);
    }

    /**
     * What a selector entry cannot have: a static address (every replica would ask for it) unless
     * its name pattern has no wildcard, and ports (see docs/spec.md, "Containers by selector").
     */
    void checkEntry(String entry, ContainerSelector selector, List<BuiltAttachment> attachments, Node portsNode) {
        if (!selector.single()) {
            for (BuiltAttachment a : attachments) {
                SourceRef at = a.ipv4At() != null ? a.ipv4At() : a.ipv6At();
                if (at != null) {
                    doc.diags.error("static-ip-on-selector", at, "container entry '" + entry + "' selects containers ("
                            + selector.describe() + ") and may match more than one, which cannot all have one static address on '"
                            + a.spec().network() + "'", "drop the address and use an alias, which every replica answers to, or name"
                            + " the container instead of selecting it");
                }
            }
        }
        if (portsNode != null) {
            doc.diags.error("ports-on-selector", doc.at(portsNode), "container entry '" + entry + "' selects containers ("
                    + selector.describe() + "); stackwire does not re-create selected containers to publish ports",
                    "publish the ports where the containers are made, in the compose file's ports:, or name the container instead");
        }
    }
}
