package io.stackwire.model.yaml;

import io.stackwire.model.SourceRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed reading of one composed YAML file. Every accessor reports what is wrong at the node's
 * position and returns null, so a reader can carry on and report everything at once.
 */
final class Doc {

    final String file;
    final Diags diags;
    /** Null for files without substitution (stackwire.yaml, host overlays). */
    final Vars vars;

    Doc(String file, Diags diags, Vars vars) {
        this.file = file;
        this.diags = diags;
        this.vars = vars;
    }

    SourceRef at(Node n) {
        Mark m = n == null ? null : n.getStartMark().orElse(null);
        return m == null ? new SourceRef(file, 1, 1) : new SourceRef(file, m.getLine() + 1, m.getColumn() + 1);
    }

    /** Position of a character inside a single-line scalar (for variable references). */
    SourceRef at(ScalarNode n, int offset) {
        SourceRef base = at(n);
        if (n.getValue().indexOf('\n') >= 0 || n.getScalarStyle() == ScalarStyle.LITERAL
                || n.getScalarStyle() == ScalarStyle.FOLDED) {
            return base;
        }
        int quote = n.getScalarStyle() == ScalarStyle.PLAIN ? 0 : 1;
        return new SourceRef(file, base.line(), base.column() + quote + offset);
    }

    /** Docker's name rule ({@link StackReader#NAME}); false (reported) for a name it refuses. */
    boolean checkName(String name, Node at, String what) {
        if (!StackReader.NAME.matcher(name).matches() || name.length() > 255) {
            diags.error("bad-name", at(at), "invalid " + what + " name '" + name + "'",
                    "names start with a letter or digit, then letters, digits, '_', '.' or '-'");
            return false;
        }
        return true;
    }

    static boolean isNull(Node n) {
        return n == null || Tag.NULL.equals(n.getTag());
    }

    static String describe(Node n) {
        if (isNull(n)) {
            return "nothing (null)";
        }
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        Tag t = n.getTag();
        if (Tag.BOOL.equals(t)) {
            return "true/false";
        }
        if (Tag.INT.equals(t) || Tag.FLOAT.equals(t)) {
            return "a number";
        }
        return "'" + ((ScalarNode) n).getValue() + "'";
    }

    void wrongType(Node n, String what, String expected, String hint) {
        diags.error("wrong-type", at(n), what + " must be " + expected + ", not " + describe(n), hint);
    }

    /**
     * The entries of a mapping by key, in order. Reports non-text keys, merge keys and duplicate
     * keys; when {@code allowed} is not null, also unknown keys (with "did you mean").
     */
    Map<String, NodeTuple> fields(MappingNode m, Collection<String> allowed, String where) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode sk) || isNull(k)) {
                diags.error("bad-key", at(k), "keys in " + where + " must be plain names, not " + describe(k), "");
                continue;
            }
            String key = sk.getValue();
            if ("<<".equals(key) && sk.isPlain()) {
                diags.error("merge-key", at(k), "YAML merge keys (<<) are not supported",
                        "write the keys out; anchors and aliases work for whole values");
                continue;
            }
            NodeTuple first = out.get(key);
            if (first != null) {
                diags.error("duplicate-key", at(k), "duplicate key '" + key + "' in " + where,
                        "it is already set at line " + at(first.getKeyNode()).line() + "; keep one");
                continue;
            }
            if (allowed != null && !allowed.contains(key)) {
                diags.error("unknown-key", at(k), "unknown key '" + key + "' in " + where,
                        Suggest.hint(key, allowed, "allowed: " + String.join(", ", allowed)));
                continue;
            }
            out.put(key, t);
        }
        return out;
    }

    static Node value(Map<String, NodeTuple> fields, String key) {
        NodeTuple t = fields.get(key);
        return t == null ? null : t.getValueNode();
    }

    /** A mapping, or null (reported unless the node is absent or null and {@code nullOk}). */
    MappingNode mapping(Node n, String what, boolean nullOk) {
        if (n instanceof MappingNode m) {
            return m;
        }
        if (isNull(n) && nullOk) {
            return null;
        }
        wrongType(n, what, "a mapping", what.equals("a stack file") ? "start the file with stack: NAME" : "");
        return null;
    }

    List<Node> sequence(Node n, String what, String hint) {
        if (n instanceof SequenceNode s) {
            return s.getValue();
        }
        if (isNull(n)) {
            return List.of();
        }
        wrongType(n, what, "a list", hint);
        return null;
    }

    /** Text of a string or number scalar, substituted when this file takes variables. */
    String string(Node n, String what) {
        String raw = rawString(n, what);
        return raw == null || vars == null ? raw : vars.apply(this, (ScalarNode) n, raw);
    }

    /** Text without substitution (names). */
    String rawString(Node n, String what) {
        if (n instanceof ScalarNode s && !isNull(n) && !Tag.BOOL.equals(n.getTag())) {
            return s.getValue();
        }
        wrongType(n, what, "text", "");
        return null;
    }

    Boolean bool(Node n, String what) {
        if (isNull(n)) {
            return null;
        }
        if (n instanceof ScalarNode s && Tag.BOOL.equals(n.getTag())) {
            return Boolean.parseBoolean(s.getValue().toLowerCase());
        }
        wrongType(n, what, "true or false", "");
        return null;
    }

    boolean bool(Map<String, NodeTuple> fields, String key, String what) {
        Boolean b = bool(value(fields, key), what);
        return b != null && b;
    }

    /** A mapping of text to text (options, labels); values may be numbers or booleans as written. */
    Map<String, String> stringMap(Node n, String what) {
        Map<String, String> out = new TreeMap<>();
        if (isNull(n)) {
            return out;
        }
        MappingNode m = mapping(n, what, true);
        if (m == null) {
            return out;
        }
        for (Map.Entry<String, NodeTuple> e : fields(m, null, what).entrySet()) {
            Node v = e.getValue().getValueNode();
            if (v instanceof ScalarNode s && !isNull(v)) {
                String text = vars == null ? s.getValue() : vars.apply(this, s, s.getValue());
                if (text != null) {
                    out.put(e.getKey(), text);
                }
            } else {
                wrongType(v, what + " '" + e.getKey() + "'", "text", "quote it, e.g. \"value\"");
            }
        }
        return out;
    }

    /** A list of text; null entries are reported. */
    List<Node> scalarList(Node n, String what, String hint) {
        List<Node> items = sequence(n, what, hint);
        if (items == null) {
            return List.of();
        }
        List<Node> out = new ArrayList<>();
        for (Node item : items) {
            if (item instanceof ScalarNode && !isNull(item)) {
                out.add(item);
            } else {
                wrongType(item, "each entry of " + what, "text", hint);
            }
        }
        return out;
    }
}
