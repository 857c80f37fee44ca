package io.stackwire.model.yaml;

import io.stackwire.model.Diagnostic;
import io.stackwire.model.Severity;
import io.stackwire.model.SourceRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

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

    void error(String code, SourceRef at, String message, String hint) {
        list.add(Diagnostic.error(code, at, message, hint));
    }

    void warning(String code, SourceRef at, String message, String hint) {
        list.add(Diagnostic.warning(code, at, message, hint));
    }

    void add(Severity severity, String code, SourceRef at, String message, String hint) {
        list.add(new Diagnostic(severity, code, at, message, hint));
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
