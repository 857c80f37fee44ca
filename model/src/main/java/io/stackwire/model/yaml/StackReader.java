package io.stackwire.model.yaml;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSelector;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.PortBinding;
import io.stackwire.model.Protocol;
import io.stackwire.model.ReplacePolicy;
import io.stackwire.model.SourceRef;
import io.stackwire.model.StackSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Builds the records of one stack file, checking every value that needs no other file. */
final class StackReader {

    /** Docker's rule for container and network names; used for aliases and stack names too. */
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    static final List<String> STACK_KEYS = List.of("stack", "networks", "containers");
    static final List<String> NETWORK_KEYS = List.of("driver", "internal", "attachable", "ipv6", "encrypted",
            "external", "adopt", "ipam", "options", "labels");
    static final List<String> IPAM_KEYS = List.of("driver", "options", "config");
    static final List<String> POOL_KEYS = List.of("subnet", "gateway", "ip_range", "aux_addresses");
    static final List<String> CONTAINER_KEYS = List.of("replace", "networks", "ports", "select");
    static final List<String> SELECT_KEYS = List.of("compose", "labels", "name");
    static final List<String> COMPOSE_KEYS = List.of("project", "service");
    static final List<String> ATTACHMENT_KEYS = List.of("aliases", "ipv4_address", "ipv6_address");
    static final List<String> PORT_KEYS = List.of("host_ip", "published", "target", "protocol");
    static final List<String> DRIVERS = List.of("bridge", "overlay", "macvlan", "ipvlan");
    static final List<String> REPLACE = List.of("allow", "plan-only", "never");

    static final String PORT_FORMS = "forms: 80, 8080:80, 127.0.0.1:8080:80, 127.0.0.1::80, [::1]:8080:80,"
            + " 5000-5100:2000-2100, 53:53/udp";

    /** Where a pool's values were written, for checks that span networks. */
    record BuiltPool(IpamPool pool, Cidr subnet, IpAddress gateway, List<IpAddress> aux, SourceRef at) {}

    /** {@code declaredPools} counts pools as written, including invalid ones left out of {@code pools}. */
    record BuiltNetwork(NetworkSpec spec, List<BuiltPool> pools, int declaredPools) {}

    record BuiltAttachment(Attachment spec, SourceRef ipv4At, SourceRef ipv6At) {}

    record BuiltPort(PortBinding binding, SourceRef at) {}

    record BuiltContainer(ContainerSpec spec, List<BuiltAttachment> attachments, List<BuiltPort> ports) {}

    /** One stack file's result; {@code name} is null when the stack key is missing or bad. */
    record BuiltStack(String name, String file, SourceRef at, List<BuiltNetwork> networks,
            List<BuiltContainer> containers) {

        StackSpec spec() {
            return new StackSpec(name, file, networks.stream().map(BuiltNetwork::spec).toList(),
                    containers.stream().map(BuiltContainer::spec).toList(), at);
        }
    }

    private final Doc doc;

    StackReader(Doc doc) {
        this.doc = doc;
    }

    /** The stack name of a composed file without building it (to decide whether a host runs it). */
    static String peekName(Node root) {
        if (root instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && "stack".equals(k.getValue())
                        && t.getValueNode() instanceof ScalarNode v && !Doc.isNull(v)) {
                    return v.getValue();
                }
            }
        }
        return null;
    }

    BuiltStack read(Node root) {
        MappingNode m = doc.mapping(root, "a stack file", false);
        if (m == null) {
            return null;
        }
        Map<String, NodeTuple> f = doc.fields(m, STACK_KEYS, "the stack file");
        String name = null;
        SourceRef at = doc.at(root);
        Node stackNode = Doc.value(f, "stack");
        if (stackNode == null || Doc.isNull(stackNode)) {
            doc.diags.error("missing-stack", stackNode == null ? doc.at(root) : doc.at(stackNode),
                    "the stack file has no 'stack' name", "add a first line like: stack: web");
        } else {
            name = doc.rawString(stackNode, "'stack'");
            at = doc.at(stackNode);
            if (name != null && !checkName(name, stackNode, "stack")) {
                name = null;
            }
        }
        String stack = name == null ? "?" : name;
        List<BuiltNetwork> networks = new ArrayList<>();
        MappingNode nets = doc.mapping(Doc.value(f, "networks"), "'networks'", true);
        if (nets != null) {
            for (Map.Entry<String, NodeTuple> e : doc.fields(nets, null, "'networks'").entrySet()) {
                BuiltNetwork n = network(stack, e.getKey(), e.getValue());
                if (n != null) {
                    networks.add(n);
                }
            }
        }
        List<BuiltContainer> containers = new ArrayList<>();
        MappingNode cons = doc.mapping(Doc.value(f, "containers"), "'containers'", true);
        if (cons != null) {
            for (Map.Entry<String, NodeTuple> e : doc.fields(cons, null, "'containers'").entrySet()) {
                BuiltContainer c = container(stack, e.getKey(), e.getValue());
                if (c != null) {
                    containers.add(c);
                }
            }
        }
        return new BuiltStack(name, doc.file, at, networks, containers);
    }

    private boolean checkName(String name, Node at, String what) {
        if (!NAME.matcher(name).matches() || name.length() > 255) {
            doc.diags.error("bad-name", doc.at(at), "invalid " + what + " name '" + name + "'",
                    "names start with a letter or digit, then letters, digits, '_', '.' or '-'");
            return false;
        }
        return true;
    }

    private BuiltNetwork network(String stack, String name, NodeTuple t) {
        Node keyNode = t.getKeyNode();
        SourceRef at = doc.at(keyNode);
        if (!checkName(name, keyNode, "network")) {
            return null;
        }
        if (NetworkSpec.isPredefined(name)) {
            doc.diags.error("predefined-network", at, "network '" + name + "' is predefined by Docker and cannot be declared",
                    "remove it here; containers can still list '" + name + "' under their networks");
            return null;
        }
        Node v = t.getValueNode();
        MappingNode m = doc.mapping(v, "network '" + name + "'", true);
        if (m == null && !Doc.isNull(v)) {
            return null;
        }
        Map<String, NodeTuple> f = m == null ? Map.of() : doc.fields(m, NETWORK_KEYS, "network '" + name + "'");
        String what = "'%s' of network '" + name + "'";
        String driver = NetworkSpec.BRIDGE;
        Node driverNode = Doc.value(f, "driver");
        if (driverNode != null && !Doc.isNull(driverNode)) {
            String d = doc.string(driverNode, what.formatted("driver"));
            if (d != null && !DRIVERS.contains(d)) {
                doc.diags.error("unknown-driver", doc.at(driverNode), "unknown network driver '" + d + "'",
                        Suggest.hint(d, DRIVERS, "use one of " + String.join(", ", DRIVERS)));
            } else if (d != null) {
                driver = d;
            }
        }
        boolean internal = doc.bool(f, "internal", what.formatted("internal"));
        boolean attachable = doc.bool(f, "attachable", what.formatted("attachable"));
        boolean ipv6 = doc.bool(f, "ipv6", what.formatted("ipv6"));
        boolean encrypted = doc.bool(f, "encrypted", what.formatted("encrypted"));
        boolean external = doc.bool(f, "external", what.formatted("external"));
        boolean adopt = doc.bool(f, "adopt", what.formatted("adopt"));
        if (encrypted && !NetworkSpec.OVERLAY.equals(driver)) {
            doc.diags.error("encrypted-not-overlay", doc.at(f.get("encrypted").getKeyNode()),
                    "'encrypted' only applies to overlay networks, but '" + name + "' uses driver " + driver,
                    "remove encrypted, or set driver: overlay");
        }
        if (external) {
            List<String> extra = f.keySet().stream().filter(k -> !k.equals("external")).toList();
            if (!extra.isEmpty()) {
                doc.diags.error("external-with-settings", doc.at(f.get(extra.get(0)).getKeyNode()),
                        "network '" + name + "' is external, so stackwire only references it and would ignore: "
                                + String.join(", ", extra),
                        "remove them, or drop external: true to let stackwire manage the network");
            }
        }
        Map<String, String> options = doc.stringMap(Doc.value(f, "options"), what.formatted("options"));
        Map<String, String> labels = doc.stringMap(Doc.value(f, "labels"), what.formatted("labels"));
        List<BuiltPool> pools = new ArrayList<>();
        int[] declared = {0};
        Ipam ipam = ipam(name, ipv6, Doc.value(f, "ipam"), pools, declared);
        NetworkSpec spec = new NetworkSpec(name, stack, driver, internal, attachable, ipv6, encrypted, ipam, options,
                labels, external, adopt, at);
        return new BuiltNetwork(spec, pools, declared[0]);
    }

    private Ipam ipam(String network, boolean ipv6, Node n, List<BuiltPool> pools, int[] declared) {
        MappingNode m = doc.mapping(n, "'ipam' of network '" + network + "'", true);
        if (m == null) {
            return Ipam.DEFAULT;
        }
        Map<String, NodeTuple> f = doc.fields(m, IPAM_KEYS, "'ipam' of network '" + network + "'");
        String driver = Ipam.DEFAULT_DRIVER;
        Node d = Doc.value(f, "driver");
        if (d != null && !Doc.isNull(d)) {
            String s = doc.string(d, "ipam driver");
            driver = s == null ? driver : s;
        }
        Map<String, String> options = doc.stringMap(Doc.value(f, "options"), "ipam options");
        List<Node> config = doc.sequence(Doc.value(f, "config"), "'ipam.config' of network '" + network + "'",
                "a list of pools, e.g. - subnet: 10.10.0.0/24");
        for (Node p : config == null ? List.<Node>of() : config) {
            declared[0]++;
            BuiltPool pool = pool(network, ipv6, p);
            if (pool != null) {
                pools.add(pool);
            }
        }
        return new Ipam(driver, pools.stream().map(BuiltPool::pool).toList(), options);
    }

    private BuiltPool pool(String network, boolean ipv6, Node n) {
        String where = "an ipam pool of network '" + network + "'";
        MappingNode m = doc.mapping(n, where, false);
        if (m == null) {
            return null;
        }
        Map<String, NodeTuple> f = doc.fields(m, POOL_KEYS, where);
        Node subnetNode = Doc.value(f, "subnet");
        if (subnetNode == null || Doc.isNull(subnetNode)) {
            doc.diags.error("pool-without-subnet", doc.at(n), where + " has no subnet",
                    "add subnet: e.g. 10.10.0.0/24; Docker needs it for gateway, ip_range and aux_addresses");
            return null;
        }
        String subnetText = doc.string(subnetNode, "'subnet'");
        if (subnetText == null) {
            return null;
        }
        Cidr subnet = cidr(subnetText, subnetNode);
        if (subnet == null) {
            return null;
        }
        if (subnet.v6() && !ipv6) {
            doc.diags.error("ipv6-disabled", doc.at(subnetNode), "IPv6 subnet " + subnet + " on network '" + network
                    + "', which does not enable IPv6", "add ipv6: true to the network");
        }
        IpAddress gateway = null;
        Node gw = Doc.value(f, "gateway");
        if (gw != null && !Doc.isNull(gw)) {
            gateway = address(gw, "gateway", subnet);
        }
        String ipRange = null;
        Node rangeNode = Doc.value(f, "ip_range");
        if (rangeNode != null && !Doc.isNull(rangeNode)) {
            String text = doc.string(rangeNode, "'ip_range'");
            Cidr range = text == null ? null : cidr(text, rangeNode);
            if (range != null && !subnet.contains(range)) {
                doc.diags.error("outside-subnet", doc.at(rangeNode), "ip_range " + range + " is not inside subnet " + subnet,
                        "pick a range within " + subnet);
                range = null;
            }
            ipRange = range == null ? null : range.toString();
        }
        Map<String, String> aux = new TreeMap<>();
        List<IpAddress> auxIps = new ArrayList<>();
        MappingNode auxNode = doc.mapping(Doc.value(f, "aux_addresses"), "'aux_addresses'", true);
        if (auxNode != null) {
            for (Map.Entry<String, NodeTuple> e : doc.fields(auxNode, null, "'aux_addresses'").entrySet()) {
                IpAddress ip = address(e.getValue().getValueNode(), "aux address '" + e.getKey() + "'", subnet);
                if (ip != null) {
                    aux.put(e.getKey(), ip.toString());
                    auxIps.add(ip);
                }
            }
        }
        // With a bad gateway, range or aux address the pool still counts for overlap and address checks.
        IpamPool pool = new IpamPool(subnet.toString(), gateway == null ? null : gateway.toString(), ipRange, aux);
        return new BuiltPool(pool, subnet, gateway, auxIps, doc.at(subnetNode));
    }

    private Cidr cidr(String text, Node at) {
        Cidr.Parsed p = Cidr.parse(text);
        if (p.cidr() == null) {
            doc.diags.error("bad-cidr", doc.at(at), p.error(), p.suggestion());
        }
        return p.cidr();
    }

    /** An address in {@code subnet}, or null (reported). */
    private IpAddress address(Node n, String what, Cidr subnet) {
        String text = doc.string(n, what);
        if (text == null) {
            return null;
        }
        IpAddress ip = IpAddress.parse(text);
        if (ip == null) {
            doc.diags.error("bad-ip", doc.at(n), what + " '" + text + "' is not an IP address", "");
            return null;
        }
        if (!subnet.contains(ip)) {
            doc.diags.error("outside-subnet", doc.at(n), what + " " + ip + " is not inside subnet " + subnet,
                    "pick an address within " + subnet);
            return null;
        }
        return ip;
    }

    private BuiltContainer container(String stack, String name, NodeTuple t) {
        Node keyNode = t.getKeyNode();
        if (!checkName(name, keyNode, "container")) {
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
            if (s != null && !REPLACE.contains(s)) {
                doc.diags.error("bad-value", doc.at(r), "unknown replace policy '" + s + "'",
                        Suggest.hint(s, REPLACE, "use allow, plan-only or never"));
            } else if (s != null) {
                replace = ReplacePolicy.valueOf(s.toUpperCase().replace('-', '_'));
            }
        }
        List<BuiltAttachment> attachments = attachments(name, Doc.value(f, "networks"));
        List<BuiltPort> ports = new ArrayList<>();
        Node portsNode = Doc.value(f, "ports");
        List<Node> items = doc.sequence(portsNode, "'ports' of container '" + name + "'", PORT_FORMS);
        for (Node p : items == null ? List.<Node>of() : items) {
            BuiltPort port = port(p);
            if (port != null) {
                ports.add(port);
            }
        }
        checkNetworkMode(name, attachments, ports, portsNode);
        Node selectNode = Doc.value(f, "select");
        ContainerSelector selector = selectNode == null ? null : selector(name, selectNode);
        if (selector != null) {
            checkSelectorEntry(name, selector, attachments, portsNode);
        }
        ContainerSpec spec = new ContainerSpec(name, stack, attachments.stream().map(BuiltAttachment::spec).toList(),
                ports.stream().map(BuiltPort::binding).toList(), replace, at, portsNode != null, selector);
        return new BuiltContainer(spec, attachments, ports);
    }

    /**
     * {@code select: {compose: {project, service}, labels: {...}, name: GLOB}}: every part given must
     * match. Null (reported) when it selects nothing usable.
     */
    private ContainerSelector selector(String entry, Node n) {
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
                if (sv != null && checkName(sv, service, "compose service")) {
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

    static final Pattern COMPOSE_PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    static final Pattern NAME_GLOB = Pattern.compile("[a-zA-Z0-9*?][a-zA-Z0-9_.*?-]*");

    /**
     * What a selector entry cannot have: a static address (every replica would ask for it) unless
     * its name pattern has no wildcard, and ports (see docs/spec.md, "Containers by selector").
     */
    private void checkSelectorEntry(String entry, ContainerSelector selector, List<BuiltAttachment> attachments, Node portsNode) {
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
        if (!checkName(network, keyNode, "network")) {
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
            if (alias != null && checkName(alias, a, "alias")) {
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

    private BuiltPort port(Node n) {
        SourceRef at = doc.at(n);
        if (n instanceof MappingNode m) {
            return longPort(m, at);
        }
        if (!(n instanceof ScalarNode) || Doc.isNull(n)) {
            doc.wrongType(n, "a port", "text or a mapping", PORT_FORMS);
            return null;
        }
        String text = doc.string(n, "a port");
        if (text == null) {
            return null;
        }
        try {
            return checkHostIp(PortBinding.parse(text), n, at);
        } catch (IllegalArgumentException e) {
            portError(at, e.getMessage());
            return null;
        }
    }

    private void portError(SourceRef at, String message) {
        // PortBinding's messages are stable; map them to codes so tests and tools can match on them.
        String code = message.contains("outside 1-65535") || message.contains("out of range") ? "port-out-of-range"
                : message.contains("differ in length") ? "port-range-mismatch" : "bad-port";
        doc.diags.error(code, at, message, code.equals("bad-port") ? PORT_FORMS : "");
    }

    private BuiltPort checkHostIp(PortBinding b, Node ipNode, SourceRef at) {
        if (b.hostIp().isEmpty()) {
            return new BuiltPort(b, at);
        }
        IpAddress ip = IpAddress.parse(b.hostIp());
        if (ip == null) {
            doc.diags.error("bad-ip", doc.at(ipNode), "host address '" + b.hostIp() + "' is not an IP address",
                    "use an address of this host, e.g. 127.0.0.1 (IPv6 in brackets: [::1]:8080:80)");
            return null;
        }
        return new BuiltPort(new PortBinding(ip.toString(), b.hostPortStart(), b.hostPortEnd(), b.containerPortStart(),
                b.containerPortEnd(), b.protocol()), at);
    }

    private BuiltPort longPort(MappingNode m, SourceRef at) {
        Map<String, NodeTuple> f = doc.fields(m, PORT_KEYS, "a port");
        Node target = Doc.value(f, "target");
        if (target == null || Doc.isNull(target)) {
            doc.diags.error("bad-port", at, "the port has no 'target' (the container port)", "add target: e.g. 80");
            return null;
        }
        String targetText = doc.string(target, "'target'");
        String hostIp = "";
        Node ipNode = Doc.value(f, "host_ip");
        if (ipNode != null && !Doc.isNull(ipNode)) {
            hostIp = doc.string(ipNode, "'host_ip'");
        }
        String published = "";
        Node pub = Doc.value(f, "published");
        if (pub != null && !Doc.isNull(pub)) {
            published = doc.string(pub, "'published'");
        }
        Protocol protocol = Protocol.TCP;
        Node protoNode = Doc.value(f, "protocol");
        if (protoNode != null && !Doc.isNull(protoNode)) {
            String p = doc.string(protoNode, "'protocol'");
            protocol = p == null ? null : Protocol.fromDockerName(p);
            if (p != null && protocol == null) {
                doc.diags.error("bad-port", doc.at(protoNode), "unknown protocol '" + p + "'", "use tcp, udp or sctp");
            }
        }
        if (targetText == null || hostIp == null || published == null || protocol == null) {
            return null;
        }
        if (hostIp.contains(":") && !hostIp.startsWith("[")) {
            hostIp = "[" + hostIp + "]";
        }
        // Reuse the short-form parser so both forms obey exactly the same rules.
        String text = (hostIp.isEmpty() ? "" : hostIp + ":") + (published.isEmpty() && hostIp.isEmpty() ? "" : published + ":")
                + targetText + "/" + protocol.dockerName();
        if (published.contains(":") || targetText.contains(":") || targetText.contains("/") || published.contains("/")) {
            doc.diags.error("bad-port", at, "'published' and 'target' take port numbers or ranges like 8000-8010", "");
            return null;
        }
        try {
            return checkHostIp(PortBinding.parse(text), ipNode, at);
        } catch (IllegalArgumentException e) {
            portError(at, e.getMessage());
            return null;
        }
    }
}
