package io.stackwire.model;

import java.util.Objects;

/**
 * One problem found in the spec, reported as {@code file:line:col: message} plus a hint that says
 * what to do. Loading collects all of them instead of stopping at the first.
 *
 * @param code stable machine-readable identifier, e.g. {@code unknown-key}, {@code bad-cidr}
 * @param hint what the user should do; empty when the message already says it
 */
public record Diagnostic(Severity severity, String code, SourceRef source, String message, String hint) {

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
        hint = hint == null ? "" : hint;
    }

    public static Diagnostic error(String code, SourceRef source, String message, String hint) {
        return new Diagnostic(Severity.ERROR, code, source, message, hint);
    }

    public static Diagnostic warning(String code, SourceRef source, String message, String hint) {
        return new Diagnostic(Severity.WARNING, code, source, message, hint);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:col: error: message (hint)} on one line, the format every CLI output uses. */
    @Override
    public String toString() {
        String level = severity == Severity.ERROR ? "error" : "warning";
        return source + ": " + level + ": " + message + (hint.isEmpty() ? "" : " (" + hint + ")");
    }
}
