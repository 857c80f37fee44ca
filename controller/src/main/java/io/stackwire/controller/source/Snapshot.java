package io.stackwire.controller.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The spec files of one revision.
 *
 * @param revision a full Git commit id, or {@code local:<path>} for a folder
 * @param root the folder to hand to the spec loader (already narrowed to {@code --path})
 * @param message the commit's full message (its trailers can confirm things, see MassDelete);
 *     empty for a folder, which has none
 * @param owner the source's default owner identity ({@link RepoIdentity}); null when the snapshot
 *     was made without a source (tests), then it is derived from {@code root}
 */
public record Snapshot(String revision, Path root, String message, String owner) {

    public Snapshot {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(root, "root");
        message = message == null ? "" : message;
    }

    /** A snapshot without a commit message (a local folder, or a test). */
    public Snapshot(String revision, Path root) {
        this(revision, root, "");
    }

    public Snapshot(String revision, Path root, String message) {
        this(revision, root, message, null);
    }

    /** True for a local folder ({@code local:<path>}), whose files can change under the reader. */
    public boolean isLocal() {
        return revision.startsWith("local:");
    }
}
