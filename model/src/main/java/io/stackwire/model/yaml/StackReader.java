package io.stackwire.model.yaml;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.IpAddress;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.PortBinding;
import io.stackwire.model.SourceRef;
import io.stackwire.model.StackSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    static final List<String> REPLACE = List.of("allow", "plan-only", "never");

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
    private final NetworkReader networkReader;
    private final ContainerReader containerReader;

    StackReader(Doc doc) {
        this.doc = doc;
        this.networkReader = new NetworkReader(doc);
        this.containerReader = new ContainerReader(doc);
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
            if (name != null && !doc.checkName(name, stackNode, "stack")) {
                name = null;
            }
        }
        String stack = name == null ? "?" : name;
        List<BuiltNetwork> networks = new ArrayList<>();
        MappingNode nets = doc.mapping(Doc.value(f, "networks"), "'networks'", true);
        if (nets != null) {
            for (Map.Entry<String, NodeTuple> e : doc.fields(nets, null, "'networks'").entrySet()) {
                BuiltNetwork n = networkReader.read(stack, e.getKey(), e.getValue());
                if (n != null) {
                    networks.add(n);
                }
            }
        }
        List<BuiltContainer> containers = new ArrayList<>();
        MappingNode cons = doc.mapping(Doc.value(f, "containers"), "'containers'", true);
        if (cons != null) {
            for (Map.Entry<String, NodeTuple> e : doc.fields(cons, null, "'containers'").entrySet()) {
                BuiltContainer c = containerReader.read(stack, e.getKey(), e.getValue());
                if (c != null) {
                    containers.add(c);
                }
            }
        }
        return new BuiltStack(name, doc.file, at, networks, containers);
    }
}
