package io.stackwire.controller.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The spec files of one revision.
 *
 * @param revision a full Git commit id, or {@code local:<path>} for a folder
 * @param root the folder to hand to the spec loader (already narrowed to {@code --path})
 */
public record Snapshot(String revision, Path root) {

    public Snapshot {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(root, "root");
    }

    /** True for a local folder ({@code local:<path>}), whose files can change under the reader. */
    public boolean isLocal() {
        return revision.startsWith("local:");
    }
}
