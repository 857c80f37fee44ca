package io.stackwire.model.yaml;

import io.stackwire.model.SourceRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

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
    /**
     * Characters (plus one per node) the file stands for once every alias is replaced by what it
     * names. The library shares an aliased node instead of copying it, but the readers and their
     * messages walk every use: a 100 KB scalar aliased 10,000 times is a gigabyte to them.
     */
    static final int MAX_EXPANDED = 4 << 20;
    /** Uses of aliases ({@code *name}) in one file, scalars included: a spec repeats a block a few times. */
    static final int MAX_ALIAS_USES = 1000;
    /** How much of an unbounded value (an anchor name, a library message) a message may echo. */
    static final int MAX_ECHO = 80;

    private static final LoadSettings SETTINGS = LoadSettings.builder()
            .setSchema(new NoMergeSchema())
            .setCodePointLimit(MAX_BYTES)
            .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
            .setAllowRecursiveKeys(false)
            .setAllowDuplicateKeys(true) // the readers report duplicates with both positions
            .setUseMarks(true)
            .build();

    private YamlFile() {}

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
            // Files.size above refused what is too large; a file growing meanwhile is cut at the limit + 1.
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                tooLarge(file, diags);
                return null;
            }
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
     * still shows it was meant as a stack file. Streams the bytes (so it also answers for files
     * too large or not UTF-8) with memory bounded by one buffer, never holding a line or the file,
     * and stops at the first such line.
     */
    static boolean hasStackLine(Path path) {
        byte[] want = "stack:".getBytes(StandardCharsets.US_ASCII);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[64 << 10];
            int seen = 0; // bytes of the current line matched so far (BOM first, then "stack:"), -1: no match
            int bomSeen = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        seen = 0;
                        bomSeen = 0;
                    } else if (seen >= 0) {
                        if (seen == 0 && bomSeen < bom.length && b == bom[bomSeen]) {
                            bomSeen++;
                        } else if (b == want[seen] && (bomSeen == 0 || bomSeen == bom.length)) {
                            if (++seen == want.length) {
                                return true;
                            }
                        } else {
                            seen = -1;
                        }
                    }
                }
            }
            return false;
        } catch (IOException | SecurityException e) {
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
            Parser parser = new ComposeLimits.CostCountingParser(new ParserImpl(SETTINGS, new StreamReader(SETTINGS, new StringReader(text))));
            return new ComposeLimits.DepthLimitedComposer(SETTINGS, parser).getSingleNode().orElse(null);
        } catch (ComposeLimits.TooCostly e) {
            diags.error("yaml-limit", e.at(file), e.getMessage(),
                    "aliases may be used " + MAX_ALIAS_USES + " times per file and expand to at most " + (MAX_EXPANDED >> 20)
                            + " Mi characters; write the repeated value out or shorten it");
            return null;
        } catch (ComposeLimits.TooDeep e) {
            diags.error("yaml-too-deep", e.at(file), "lists and mappings are nested deeper than " + MAX_DEPTH + " levels",
                    "a stack file needs about seven; look for a bracket left open, or flatten the file");
            return null;
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
            SourceRef at = m == null ? new SourceRef(file, 1, 1) : new SourceRef(file, m.getLine() + 1, m.getColumn() + 1);
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String context = e.getContext() == null ? "" : e.getContext();
            diags.error("yaml-syntax", at, "YAML syntax error: " + clip(oneLine(problem)),
                    context.isEmpty() ? "" : clip(oneLine(context)) + contextAt(e));
            return null;
        } catch (YamlEngineException e) {
            String msg = clip(oneLine(e.getMessage()));
            boolean limit = msg.contains("limit") || msg.contains("aliases");
            diags.error(limit ? "yaml-limit" : "yaml-syntax", new SourceRef(file, 1, 1),
                    (limit ? "YAML limit exceeded: " : "YAML error: ") + msg,
                    limit ? "at most " + MAX_COLLECTION_ALIASES + " aliases to lists or mappings per file" : "");
            return null;
        }
    }

    private static String contextAt(MarkedYamlEngineException e) {
        return e.getContextMark().map(m -> " at line " + (m.getLine() + 1)).orElse("");
    }

    /** At most {@link #MAX_ECHO} characters of a value, with an ellipsis when cut. */
    static String clip(String s) {
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "…";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
