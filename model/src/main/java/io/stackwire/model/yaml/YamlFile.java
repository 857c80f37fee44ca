package io.stackwire.model.yaml;

import io.stackwire.model.SourceRef;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Reads and composes one YAML file into a node tree with positions, or reports why it cannot. */
final class YamlFile {

    /** Larger files are refused before parsing: a spec file is a few KiB. */
    static final int MAX_BYTES = 1 << 20;
    /** Aliases to lists or mappings; a low limit stops billion-laughs style expansion. */
    static final int MAX_COLLECTION_ALIASES = 50;
    /**
     * Lists and mappings inside each other. A spec needs about seven; the library composes nested
     * nodes recursively and has no limit of its own, so without this a file of 10,000 "[" would
     * overflow the stack.
     */
    static final int MAX_DEPTH = 50;

    private static final LoadSettings SETTINGS = LoadSettings.builder()
            .setSchema(new NoMergeSchema())
            .setCodePointLimit(MAX_BYTES)
            .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
            .setAllowRecursiveKeys(false)
            .setAllowDuplicateKeys(true) // the readers report duplicates with both positions
            .setUseMarks(true)
            .build();

    private YamlFile() {}

    /** YAML 1.2 core schema, but "<<" stays a plain key so the readers reject it instead of merging. */
    private static final class NoMergeSchema extends CoreSchema {
        private final ScalarResolver resolver = new NamesFirstResolver();

        @Override
        public ScalarResolver getScalarResolver() {
            return resolver;
        }
    }

    /**
     * The core resolver with a shortcut for the commonest scalar in a spec, a name. The base class
     * indexes its rules by first character, but also runs its first-character-independent rules
     * ("empty" and the null words {@code ~ null Null NULL}) as two regex matches on every other
     * scalar: a tenth of composing a big spec (docs/benchmarks.md). A non-empty scalar whose first
     * character has no rule and is not one a null word starts with is a string either way.
     * YamlFileTest holds this resolver and the core one side by side.
     */
    static final class NamesFirstResolver extends CoreScalarResolver {
        /** The base's first-character-independent rules this shortcut was written for. */
        private static final String KNOWN_ANY = "[Tuple tag=tag:yaml.org,2002:null regexp=^$, "
                + "Tuple tag=tag:yaml.org,2002:null regexp=^(?:~|null|Null|NULL| )$]";
        /** First characters of the null words without a rule of their own ('n' has one). */
        private static final String NULL_STARTS = "~N ";
        private final boolean shortcut;

        NamesFirstResolver() {
            super(false);
            // A library upgrade that changes those rules turns the shortcut off (and fails YamlFileTest).
            shortcut = KNOWN_ANY.equals(String.valueOf(yamlImplicitResolvers.get(null)));
        }

        /** False if the library's rules changed so that the shortcut would no longer be exact. */
        boolean shortcut() {
            return shortcut;
        }

        @Override
        public Tag resolve(String value, Boolean implicit) {
            if (shortcut && implicit && !value.isEmpty()) {
                char c = value.charAt(0);
                if (NULL_STARTS.indexOf(c) < 0 && !yamlImplicitResolvers.containsKey(c)) {
                    return Tag.STR;
                }
            }
            return super.resolve(value, implicit);
        }
    }

    /** Composed root node; null when the file is empty or could not be read (reported unless empty). */
    static Node read(Path path, String file, Diags diags) {
        String text = text(path, file, diags);
        return text == null ? null : compose(text, file, diags);
    }

    /** The file's text; null when it is too large, unreadable or not UTF-8 (reported). */
    static String text(Path path, String file, Diags diags) {
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_BYTES) {
                tooLarge(file, diags);
                return null;
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException | SecurityException e) {
            diags.error("unreadable", new SourceRef(file, 0, 0), "cannot read file: " + e, "check the path and its permissions");
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            diags.error("bad-encoding", new SourceRef(file, 1, 1), "file is not valid UTF-8", "save it as UTF-8");
            return null;
        }
    }

    private static void tooLarge(String file, Diags diags) {
        diags.error("file-too-large", new SourceRef(file, 1, 1), "file is larger than " + (MAX_BYTES >> 10) + " KiB",
                "split it into several stack files");
    }

    /**
     * Whether a line of the file starts with {@code stack:}: how a file that cannot be composed
     * still shows it was meant as a stack file. Reads the bytes as Latin-1, which never fails, so
     * it also answers for files too large or not UTF-8.
     */
    static boolean hasStackLine(Path path) {
        try (var lines = Files.lines(path, StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(YamlFile::isStackLine);
        } catch (IOException | java.io.UncheckedIOException | SecurityException e) {
            return false;
        }
    }

    static boolean hasStackLine(String text) {
        return text.lines().anyMatch(YamlFile::isStackLine);
    }

    private static boolean isStackLine(String line) {
        return line.startsWith("stack:") || line.startsWith("\uFEFFstack:");
    }

    static Node compose(String text, String file, Diags diags) {
        if (text.length() > MAX_BYTES) {
            tooLarge(file, diags);
            return null;
        }
        try {
            return new DepthLimitedComposer(new ParserImpl(SETTINGS, new StreamReader(SETTINGS, new StringReader(text))))
                    .getSingleNode().orElse(null);
        } catch (TooDeep e) {
            SourceRef at = e.mark == null ? new SourceRef(file, 1, 1) : new SourceRef(file, e.mark.getLine() + 1, e.mark.getColumn() + 1);
            diags.error("yaml-too-deep", at, "lists and mappings are nested deeper than " + MAX_DEPTH + " levels",
                    "a stack file needs about seven; look for a bracket left open, or flatten the file");
            return null;
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
            SourceRef at = m == null ? new SourceRef(file, 1, 1) : new SourceRef(file, m.getLine() + 1, m.getColumn() + 1);
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String context = e.getContext() == null ? "" : e.getContext();
            diags.error("yaml-syntax", at, "YAML syntax error: " + oneLine(problem),
                    context.isEmpty() ? "" : oneLine(context) + contextAt(e));
            return null;
        } catch (YamlEngineException e) {
            String msg = oneLine(e.getMessage());
            boolean limit = msg.contains("limit") || msg.contains("aliases");
            diags.error(limit ? "yaml-limit" : "yaml-syntax", new SourceRef(file, 1, 1),
                    (limit ? "YAML limit exceeded: " : "YAML error: ") + msg,
                    limit ? "at most " + MAX_COLLECTION_ALIASES + " aliases to lists or mappings per file" : "");
            return null;
        }
    }

    /** Thrown at the first list or mapping nested deeper than {@link #MAX_DEPTH}, where it starts. */
    private static final class TooDeep extends RuntimeException {
        private final transient Mark mark;

        TooDeep(Mark mark) {
            super(null, null, false, false);
            this.mark = mark;
        }
    }

    /** The library's composer, counting how deep it is before it recurses into a list or mapping. */
    private static final class DepthLimitedComposer extends Composer {
        private int depth;

        DepthLimitedComposer(ParserImpl parser) {
            super(SETTINGS, parser);
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw new TooDeep(parser.peekEvent().getStartMark().orElse(null));
            }
        }

        @Override
        protected SequenceNode composeSequenceNode(Optional<Anchor> anchor) {
            enter();
            try {
                return super.composeSequenceNode(anchor);
            } finally {
                depth--;
            }
        }

        @Override
        protected Node composeMappingNode(Optional<Anchor> anchor) {
            enter();
            try {
                return super.composeMappingNode(anchor);
            } finally {
                depth--;
            }
        }
    }

    private static String contextAt(MarkedYamlEngineException e) {
        return e.getContextMark().map(m -> " at line " + (m.getLine() + 1)).orElse("");
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
