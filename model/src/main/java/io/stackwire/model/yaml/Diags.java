package io.stackwire.model.yaml;

import io.stackwire.model.Diagnostic;
import io.stackwire.model.Severity;
import io.stackwire.model.SourceRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Collects diagnostics; every check adds to it instead of stopping. */
final class Diags {

    static final Comparator<Diagnostic> ORDER = Comparator
            .comparing((Diagnostic d) -> d.source().file())
            .thenComparingInt(d -> d.source().line())
            .thenComparingInt(d -> d.source().column())
            .thenComparing(Diagnostic::severity)
            .thenComparing(Diagnostic::code)
            .thenComparing(Diagnostic::message);

    private final List<Diagnostic> list = new ArrayList<>();

    /** A quoted value longer than {@link YamlFile#MAX_ECHO} characters, as the checks quote what they refuse. */
    private static final Pattern LONG_QUOTE = Pattern.compile("'([^'\\n]{" + (YamlFile.MAX_ECHO + 1) + ",})'");
    /** No message is longer, whatever it quotes. */
    static final int MAX_MESSAGE = 1000;

    void error(String code, SourceRef at, String message, String hint) {
        add(Severity.ERROR, code, at, message, hint);
    }

    void warning(String code, SourceRef at, String message, String hint) {
        add(Severity.WARNING, code, at, message, hint);
    }

    void add(Severity severity, String code, SourceRef at, String message, String hint) {
        list.add(new Diagnostic(severity, code, at, bounded(message), bounded(hint)));
    }

    /**
     * The text with every quoted value cut to {@link YamlFile#MAX_ECHO} characters and the whole
     * to {@link #MAX_MESSAGE}: a message never copies an unbounded value from the file (a name of
     * 100 KB, once per use of an alias, would be gigabytes of diagnostics).
     */
    static String bounded(String text) {
        if (text == null || text.length() <= 2 * YamlFile.MAX_ECHO) {
            return text;
        }
        String s = LONG_QUOTE.matcher(text).replaceAll(m -> Matcher.quoteReplacement("'" + YamlFile.clip(m.group(1)) + "'"));
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
    }

    void addAll(List<Diagnostic> more) {
        list.addAll(more);
    }

    boolean hasErrors() {
        return list.stream().anyMatch(Diagnostic::isError);
    }

    int size() {
        return list.size();
    }

    /** Sorted and without exact duplicates. */
    List<Diagnostic> sorted() {
        List<Diagnostic> out = new ArrayList<>(new LinkedHashSet<>(list));
        out.sort(ORDER);
        return out;
    }
}
