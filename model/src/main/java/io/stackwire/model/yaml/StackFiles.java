package io.stackwire.model.yaml;

import io.stackwire.model.Diagnostic;
import io.stackwire.model.SourceRef;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Which YAML files under a spec root are stack files, so that a repository can also hold a Helm
 * chart, a compose file or CI configuration (docs/spec.md, "Which files are stack files"). A
 * candidate is a stack file when its top level is a mapping with a {@code stack:} key; the rest
 * are skipped, unless they look like a stack file that is broken, which is an error.
 */
final class StackFiles {

    static final String GLOB_HINT = "globs are relative to the spec root and use *, **, ?, [abc] and {a,b},"
            + " e.g. include: [\"stacks/**\"]";

    /** One include or exclude glob as written in stackwire.yaml. */
    record Glob(String pattern, PathMatcher matcher, SourceRef at) {
        boolean matches(String rel) {
            return matcher.matches(Path.of(rel));
        }
    }

    /**
     * What reading one candidate decided: a stack file ({@code root} set), a skipped file
     * ({@code skipped} set), or neither when the file's errors were reported.
     */
    record Verdict(Node root, String skipped) {}

    /** Whether the user said a file is a stack file, and how. */
    enum Named {
        NO(null, "; if it is not a stack file, list it under exclude: in stackwire.yaml"),
        PATH("was given as the spec path", ""),
        INCLUDE("is matched by include: in stackwire.yaml", "; or change include: in stackwire.yaml");

        final String why;
        final String otherwise;

        Named(String why, String otherwise) {
            this.why = why;
            this.otherwise = otherwise;
        }
    }

    private StackFiles() {}

    /** The globs of {@code include:} or {@code exclude:}; null when the key is absent. Bad ones are reported. */
    static List<Glob> globs(Doc doc, Node n, String key) {
        if (n == null || Doc.isNull(n)) {
            return null;
        }
        List<Glob> out = new ArrayList<>();
        for (Node item : doc.scalarList(n, "'" + key + "'", "a list of globs, e.g. " + key + ": [\"charts/**\"]")) {
            String g = doc.rawString(item, "a glob");
            if (g == null) {
                continue;
            }
            if (g.isBlank() || g.startsWith("/") || List.of(g.split("/")).contains("..")) {
                doc.diags.error("bad-glob", doc.at(item), "glob '" + g + "' in '" + key + "' must be a path inside the spec root",
                        GLOB_HINT);
                continue;
            }
            try {
                out.add(new Glob(g, FileSystems.getDefault().getPathMatcher("glob:" + g), doc.at(item)));
            } catch (IllegalArgumentException e) { // PatternSyntaxException among them
                String why = e instanceof PatternSyntaxException p ? p.getDescription() : e.getMessage();
                doc.diags.error("bad-glob", doc.at(item), "invalid glob '" + g + "' in '" + key + "': " + why, GLOB_HINT);
            }
        }
        return out;
    }

    /**
     * Reads one candidate and decides.
     *
     * @param how whether the user said this file is a stack file (it is the spec path itself, or
     *     matched by {@code include:}): then anything but a stack file is an error
     */
    static Verdict read(Path path, String rel, Named how, Diags diags) {
        boolean named = how != Named.NO;
        Diags own = new Diags();
        String text = YamlFile.text(path, rel, own);
        Node root = text == null ? null : YamlFile.compose(text, rel, own);
        if (own.size() > 0) {
            boolean unreadable = own.sorted().stream().anyMatch(d -> d.code().equals("unreadable"));
            boolean stackLine = text == null ? YamlFile.hasStackLine(path) : YamlFile.hasStackLine(text);
            if (named || unreadable || stackLine) {
                diags.addAll(own.sorted());
                return new Verdict(null, null);
            }
            // A Helm template ({{ }}), several documents, ...: not ours to judge.
            Diagnostic first = own.sorted().get(0);
            return new Verdict(null, "not a stack file: " + first.message() + " at " + first.source().line() + ":"
                    + first.source().column() + ", and no line starts with stack:");
        }
        if (root == null) {
            if (named) {
                diags.error("empty-file", new SourceRef(rel, 1, 1), "the stack file is empty",
                        "start it with stack: NAME, then networks: and containers:; or delete the file");
                return new Verdict(null, null);
            }
            return new Verdict(null, "empty");
        }
        if (root instanceof MappingNode m) {
            Set<String> keys = keys(m);
            if (keys.contains("stack")) {
                return new Verdict(root, null);
            }
            String looks = named ? how.why : lookAlike(keys);
            if (looks != null) {
                diags.error("missing-stack", new SourceRef(rel, 1, 1), "this file " + looks + " but has no top-level stack: key",
                        "add a first line like: stack: web" + how.otherwise);
                return new Verdict(null, null);
            }
            return new Verdict(null, "no top-level stack: key");
        }
        if (named || (root instanceof SequenceNode s && s.getValue().stream()
                .anyMatch(item -> item instanceof MappingNode im && keys(im).contains("stack")))) {
            return new Verdict(root, null); // the stack reader says it must be a mapping
        }
        return new Verdict(null, "its top level is " + Doc.describe(root) + ", not a mapping with stack:");
    }

    /**
     * Why a mapping without {@code stack:} looks like a broken stack file, or null: it has the key
     * only stack files have ({@code containers:}), or {@code networks:} without the
     * {@code services:} that a compose file has next to its {@code networks:}.
     */
    static String lookAlike(Set<String> keys) {
        if (keys.contains("containers")) {
            return "looks like a stack file (it has containers:)";
        }
        if (keys.contains("networks") && !keys.contains("services")) {
            return "looks like a stack file (it has networks: and no services:)";
        }
        return null;
    }

    private static Set<String> keys(MappingNode m) {
        Set<String> keys = new HashSet<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                keys.add(k.getValue());
            }
        }
        return keys;
    }
}
