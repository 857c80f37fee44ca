package io.stackwire.controller.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The spec files of one revision.
 *
 * @param revision a full Git commit id, or {@code local:<path>} for a folder
 * @param root the folder to hand to the spec loader (already narrowed to {@code --path})
 * @param message the commit's full message (its trailers can confirm things, see MassDelete);
 *     empty for a folder, which has none
 * @param pathInRepo for Git, where {@code root} is inside the repository ({@code --path},
 *     normalised; empty for its root); empty for a folder
 * @param owner the source's default owner identity ({@link RepoIdentity}); null when the snapshot
 *     was made without a source (tests), then it is derived from {@code root}
 */
public record Snapshot(String revision, Path root, String message, String pathInRepo, String owner) {

    public Snapshot {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(root, "root");
        message = message == null ? "" : message;
        pathInRepo = pathInRepo == null ? "" : pathInRepo;
    }

    /** A snapshot of a repository's root, or of a folder. */
    public Snapshot(String revision, Path root, String message) {
        this(revision, root, message, "", null);
    }

    /** A snapshot without a commit message (a local folder, or a test). */
    public Snapshot(String revision, Path root) {
        this(revision, root, "");
    }

    /** True for a local folder ({@code local:<path>}), whose files can change under the reader. */
    public boolean isLocal() {
        return revision.startsWith("local:");
    }

    /**
     * A file named by a diagnostic, as the user can open it: for a folder, relative to {@code cwd}
     * when it is inside it, else absolute; for Git, its path inside the repository (the commit is
     * told once, with the spec's source). The loader names files relative to {@link #root}, or
     * names the root itself.
     */
    public String shownPath(String file, Path cwd) {
        if (file.isEmpty()) {
            return file;
        }
        // A single-file spec: the loader names it by its file name.
        boolean single = Files.isRegularFile(root);
        Path dir = single ? root.getParent() : root;
        Path path = dir.resolve(file).normalize();
        if (isLocal()) {
            Path here = cwd.toAbsolutePath().normalize();
            if (path.equals(here)) {
                return ".";
            }
            return path.startsWith(here) ? slashes(here.relativize(path)) : path.toString();
        }
        Path tree = root;
        for (int i = pathInRepo.isEmpty() ? 0 : pathInRepo.split("/").length; i > 0 && tree != null; i--) {
            tree = tree.getParent();
        }
        if (tree == null || !path.startsWith(tree)) {
            return file;
        }
        return path.equals(tree) ? "." : slashes(tree.relativize(path));
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }
}
