package io.stackwire.model.yaml;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSelector;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.IpAddress;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.ReplacePolicy;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.StackReader.BuiltAttachment;
import io.stackwire.model.yaml.StackReader.BuiltContainer;
import io.stackwire.model.yaml.StackReader.BuiltPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Reads one container entry of a stack file: its networks, ports and selector. */
final class ContainerReader {

    static final List<String> CONTAINER_KEYS = List.of("replace", "networks", "ports", "select");
    static final List<String> ATTACHMENT_KEYS = List.of("aliases", "ipv4_address", "ipv6_address");

    private final Doc doc;
    private final PortReader portReader;
    private final SelectorReader selectors;

    ContainerReader(Doc doc) {
        this.doc = doc;
        this.portReader = new PortReader(doc);
        this.selectors = new SelectorReader(doc);
    }

    BuiltContainer read(String stack, String name, NodeTuple t) {
        Node keyNode = t.getKeyNode();
        if (!doc.checkName(name, keyNode, "container")) {
            return null;
        }
        SourceRef at = doc.at(keyNode);
        Node v = t.getValueNode();
        MappingNode m = doc.mapping(v, "container '" + name + "'", true);
        if (m == null && !Doc.isNull(v)) {
            return null;
        }
        Map<String, NodeTuple> f = m == null ? Map.of() : doc.fields(m, CONTAINER_KEYS, "container '" + name + "'");
        ReplacePolicy replace = null;
        Node r = Doc.value(f, "replace");
        if (r != null && !Doc.isNull(r)) {
            String s = doc.string(r, "'replace'");
            if (s != null && !StackReader.REPLACE.contains(s)) {
                doc.diags.error("bad-value", doc.at(r), "unknown replace policy '" + s + "'",
                        Suggest.hint(s, StackReader.REPLACE, "use allow, plan-only or never"));
            } else if (s != null) {
                replace = ReplacePolicy.valueOf(s.toUpperCase().replace('-', '_'));
            }
        }
        List<BuiltAttachment> attachments = attachments(name, Doc.value(f, "networks"));
        List<BuiltPort> ports = new ArrayList<>();
        Node portsNode = Doc.value(f, "ports");
        List<Node> items = doc.sequence(portsNode, "'ports' of container '" + name + "'", PortReader.PORT_FORMS);
        for (Node p : items == null ? List.<Node>of() : items) {
            BuiltPort port = portReader.read(p);
            if (port != null) {
                ports.add(port);
            }
        }
        checkNetworkMode(name, attachments, ports, portsNode);
        Node selectNode = Doc.value(f, "select");
        ContainerSelector selector = selectNode == null ? null : selectors.read(name, selectNode);
        if (selector != null) {
            selectors.checkEntry(name, selector, attachments, portsNode);
        }
        ContainerSpec spec = new ContainerSpec(name, stack, attachments.stream().map(BuiltAttachment::spec).toList(),
                ports.stream().map(BuiltPort::binding).toList(), replace, at, portsNode != null, selector);
        return new BuiltContainer(spec, attachments, ports);
    }

    private List<BuiltAttachment> attachments(String container, Node n) {
        String where = "'networks' of container '" + container + "'";
        Map<String, BuiltAttachment> out = new LinkedHashMap<>();
        if (Doc.isNull(n)) {
            return List.of();
        }
        if (n instanceof MappingNode m) {
            for (Map.Entry<String, NodeTuple> e : doc.fields(m, null, where).entrySet()) {
                BuiltAttachment a = attachment(e.getKey(), e.getValue().getKeyNode(), e.getValue().getValueNode());
                if (a != null) {
                    out.put(e.getKey(), a);
                }
            }
        } else {
            for (Node item : doc.scalarList(n, where, "a list of network names, or a mapping of name to settings")) {
                String name = doc.rawString(item, "a network name");
                if (name == null) {
                    continue;
                }
                if (out.containsKey(name)) {
                    doc.diags.error("duplicate-network", doc.at(item), "network '" + name + "' is listed twice for container '"
                            + container + "'", "keep one");
                    continue;
                }
                BuiltAttachment a = attachment(name, item, null);
                if (a != null) {
                    out.put(name, a);
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    private BuiltAttachment attachment(String network, Node keyNode, Node v) {
        if (!doc.checkName(network, keyNode, "network")) {
            return null;
        }
        SourceRef at = doc.at(keyNode);
        MappingNode m = doc.mapping(v, "the attachment to '" + network + "'", true);
        if (m == null && !Doc.isNull(v)) {
            return null;
        }
        Map<String, NodeTuple> f = m == null ? Map.of() : doc.fields(m, ATTACHMENT_KEYS, "the attachment to '" + network + "'");
        List<String> aliases = new ArrayList<>();
        for (Node a : doc.scalarList(Doc.value(f, "aliases"), "'aliases'", "e.g. aliases: [db, postgres]")) {
            String alias = doc.string(a, "an alias");
            if (alias != null && doc.checkName(alias, a, "alias")) {
                aliases.add(alias);
            }
        }
        IpAddress v4 = staticIp(Doc.value(f, "ipv4_address"), false);
        IpAddress v6 = staticIp(Doc.value(f, "ipv6_address"), true);
        Node v4Node = Doc.value(f, "ipv4_address");
        Node v6Node = Doc.value(f, "ipv6_address");
        boolean predefined = NetworkSpec.isPredefined(network);
        if (predefined && !aliases.isEmpty()) {
            String why = network.equals("bridge")
                    ? "the default bridge network has no embedded DNS, so aliases never resolve there"
                    : "a container on '" + network + "' has no network endpoint of its own";
            String code = network.equals("bridge") ? "aliases-on-default-bridge" : "aliases-on-" + network + "-network";
            doc.diags.error(code, doc.at(f.get("aliases").getKeyNode()), "aliases on '" + network + "': " + why,
                    "declare a user-defined network and attach the container there");
        }
        if (predefined && (v4Node != null || v6Node != null)) {
            Node bad = v4Node != null ? v4Node : v6Node;
            doc.diags.error("static-ip-on-predefined-network", doc.at(bad), "static addresses are not possible on '" + network
                    + "'; Docker supports them on user-defined networks only", "declare a network with a subnet and use it");
        }
        return new BuiltAttachment(new Attachment(network, aliases, v4 == null ? null : v4.toString(),
                v6 == null ? null : v6.toString(), at), v4Node == null ? null : doc.at(v4Node),
                v6Node == null ? null : doc.at(v6Node));
    }

    private IpAddress staticIp(Node n, boolean v6) {
        if (Doc.isNull(n)) {
            return null;
        }
        String key = v6 ? "ipv6_address" : "ipv4_address";
        String text = doc.string(n, "'" + key + "'");
        if (text == null) {
            return null;
        }
        IpAddress ip = IpAddress.parse(text);
        if (ip == null || ip.v6() != v6) {
            doc.diags.error("bad-ip", doc.at(n), "'" + text + "' is not an " + (v6 ? "IPv6" : "IPv4") + " address",
                    ip != null ? "use " + (v6 ? "ipv4_address" : "ipv6_address") + " for it" : "");
            return null;
        }
        return ip;
    }

    private void checkNetworkMode(String container, List<BuiltAttachment> attachments, List<BuiltPort> ports, Node portsNode) {
        for (BuiltAttachment a : attachments) {
            String mode = a.spec().network();
            if (!mode.equals("host") && !mode.equals("none")) {
                continue;
            }
            if (attachments.size() > 1) {
                doc.diags.error("exclusive-network-mode", a.spec().source(), "container '" + container + "' is on '" + mode
                        + "', which excludes every other network", "list only " + mode + ", or remove it");
            }
            if (!ports.isEmpty()) {
                doc.diags.error("ports-on-" + mode + "-network", doc.at(portsNode), "container '" + container + "' is on '"
                        + mode + "', where ports cannot be published", mode.equals("host")
                        ? "remove ports: the container already uses the host's ports directly"
                        : "remove ports, or attach the container to a network");
            }
        }
    }
}
