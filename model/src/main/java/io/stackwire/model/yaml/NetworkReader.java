package io.stackwire.model.yaml;

import io.stackwire.model.IpAddress;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.StackReader.BuiltNetwork;
import io.stackwire.model.yaml.StackReader.BuiltPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Reads one network entry of a stack file: driver, flags, IPAM pools and their addresses. */
final class NetworkReader {

    static final List<String> NETWORK_KEYS = List.of("driver", "internal", "attachable", "ipv6", "encrypted",
            "external", "adopt", "ipam", "options", "labels");
    static final List<String> IPAM_KEYS = List.of("driver", "options", "config");
    static final List<String> POOL_KEYS = List.of("subnet", "gateway", "ip_range", "aux_addresses");
    static final List<String> DRIVERS = List.of("bridge", "overlay", "macvlan", "ipvlan");

    private final Doc doc;

    NetworkReader(Doc doc) {
        this.doc = doc;
    }

    BuiltNetwork read(String stack, String name, NodeTuple t) {
        Node keyNode = t.getKeyNode();
        SourceRef at = doc.at(keyNode);
        if (!doc.checkName(name, keyNode, "network")) {
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
}
