package io.stackwire.model.yaml;

import io.stackwire.model.SourceRef;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;

/** Finds the YAML files of a spec folder, following links only as far as they stay inside it. */
final class SpecWalk {

    private final Diags diags;

    SpecWalk(Diags diags) {
        this.diags = diags;
    }

    /**
     * Relative name (a link's own) to the path to read (a link's resolved target, the one checked),
     * sorted by name; null when the folder itself cannot be read (reported).
     */
    Map<String, Path> yamlFiles(Path root) {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException | SecurityException e) {
            diags.error("unreadable", new SourceRef(root.toString(), 0, 0), "cannot read spec root: " + e, "check permissions");
            return null;
        }
        // Relative name (a link's own) -> the path to read (a link's resolved target, the one checked).
        Map<String, Path> sorted = new TreeMap<>();
        try {
            // Links are followed (a Kubernetes ConfigMap volume is all links: name -> ..data/name), but
            // only within the spec root; the walker stops at loops. Hidden names, kubelet's ..data and
            // ..<timestamp> folders among them, are skipped before any link is resolved.
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    boolean skip = hidden(dir) || resolvedInsideRoot(root, realRoot, dir) == null;
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String n = file.getFileName().toString();
                    if (hidden(file) || !(n.endsWith(".yaml") || n.endsWith(".yml"))) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isSymbolicLink()) { // followed links get their target's attributes: this one leads nowhere
                        diags.error("bad-symlink", new SourceRef(relative(root, file), 0, 0), "symbolic link points to nothing ("
                                + target(file) + ")", "point it at a file inside the spec folder, or delete it");
                    } else if (attrs.isRegularFile()) {
                        Path read = resolvedInsideRoot(root, realRoot, file);
                        if (read != null) {
                            sorted.put(relative(root, file), read);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (e instanceof FileSystemLoopException) {
                        diags.error("bad-symlink", new SourceRef(relative(root, file), 0, 0), "symbolic link loops back to a folder"
                                + " that contains it (" + target(file) + ")", "point it elsewhere inside the spec folder, or delete it");
                    } else {
                        diags.error("unreadable", new SourceRef(relative(root, file), 0, 0), "cannot read: " + e.getMessage(),
                                "check permissions");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | SecurityException e) {
            diags.error("unreadable", new SourceRef(root.toString(), 0, 0), "cannot read spec root: " + e, "check permissions");
            return null;
        }
        return sorted;
    }

    /**
     * The path to read for a walked entry: itself, or for a link its resolved target when that stays
     * inside the spec root (reading the target, not the link, reads what was checked). Null for a
     * link that leaves the root, which is reported. Only the entry itself needs resolving: the
     * folders above it were checked when the walk entered them.
     */
    private Path resolvedInsideRoot(Path root, Path realRoot, Path p) {
        if (!Files.isSymbolicLink(p)) {
            return p;
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException | SecurityException e) {
            return p; // gone since the walker read it; reading it reports the problem
        }
        if (real.startsWith(realRoot)) {
            return real;
        }
        diags.error("bad-symlink", new SourceRef(relative(root, p), 0, 0), "symbolic link points outside the spec folder ("
                + target(p) + ")", "copy what it points to into the spec folder, or point the link at a path inside it;"
                + " stackwire reads nothing outside the spec folder");
        return null;
    }

    /** A link's target as written, for messages. */
    private static String target(Path link) {
        try {
            return String.valueOf(Files.readSymbolicLink(link));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "unreadable";
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
