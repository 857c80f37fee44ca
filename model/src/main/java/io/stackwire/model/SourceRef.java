package io.stackwire.model;

import java.util.Objects;

/** Where a value came from: a file relative to the spec root, 1-based line and column. */
public record SourceRef(String file, int line, int column) {

    public static final SourceRef UNKNOWN = new SourceRef("", 0, 0);

    public SourceRef {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
