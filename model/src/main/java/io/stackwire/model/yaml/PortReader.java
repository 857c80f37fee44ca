package io.stackwire.model.yaml;

import io.stackwire.model.IpAddress;
import io.stackwire.model.PortBinding;
import io.stackwire.model.Protocol;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.StackReader.BuiltPort;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads one entry of a container's {@code ports}, short or long form, with the same rules for both. */
final class PortReader {

    static final List<String> PORT_KEYS = List.of("host_ip", "published", "target", "protocol");

    static final String PORT_FORMS = "forms: 80, 8080:80, 127.0.0.1:8080:80, 127.0.0.1::80, [::1]:8080:80,"
            + " 5000-5100:2000-2100, 53:53/udp";

    private final Doc doc;

    PortReader(Doc doc) {
        this.doc = doc;
    }

    BuiltPort read(Node n) {
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
        } catch (PortBinding.Invalid e) {
            portError(at, e);
            return null;
        }
    }

    /** The code of a refused port comes with the refusal; only a syntax error lists the forms. */
    private void portError(SourceRef at, PortBinding.Invalid e) {
        switch (e.reason()) {
            case OUT_OF_RANGE -> doc.diags.error("port-out-of-range", at, e.getMessage(), "");
            case RANGE_MISMATCH -> doc.diags.error("port-range-mismatch", at, e.getMessage(), "");
            case SYNTAX -> doc.diags.error("bad-port", at, e.getMessage(), PORT_FORMS);
        }
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
        } catch (PortBinding.Invalid e) {
            portError(at, e);
            return null;
        }
    }
}
