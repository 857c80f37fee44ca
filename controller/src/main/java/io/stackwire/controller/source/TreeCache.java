package io.stackwire.controller.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The files of resolved commits written out under {@code trees/<commit>/}: checked against the
 * commit before each use (someone may have edited them), written atomically, the most recently used
 * kept.
 */
final class TreeCache {

    private static final int KEEP_TREES = 2;

    private final Path trees;
    /** The spec folder inside the repository; empty: the root. */
    private final String path;
    /** The ref as the user gave it, for messages; null: the default branch. */
    private final String ref;
    private final String owner;
    private final GitErrors errors;

    TreeCache(Path trees, String path, String ref, String owner, GitErrors errors) {
        this.trees = trees;
        this.path = path;
        this.ref = ref;
        this.owner = owner;
        this.errors = errors;
    }

    Snapshot materialise(Repository repo, ObjectId wanted) throws SourceException, CorruptCache {
        RevCommit commit;
        try (RevWalk walk = new RevWalk(repo)) {
            commit = walk.parseCommit(wanted);
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw errors.fail(describeRef() + " points to " + wanted.name() + ", which is not a commit", e);
        } catch (IOException e) {
            throw new CorruptCache(errors.oneLine(e), e);
        }
        String sha = commit.name();
        List<Entry> entries = entries(repo, commit, sha);
        Path dir = trees.resolve(sha);
        Path root = path.isEmpty() ? dir : dir.resolve(path);
        try {
            if (!matches(repo, dir, entries)) {
                write(repo, dir, entries);
            }
            Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
            prune(dir);
        } catch (IOException e) {
            throw errors.fail("cannot write the files of commit " + sha + " under " + trees + ": " + errors.oneLine(e), e);
        }
        return new Snapshot(sha, root, commit.getFullMessage(), path, owner);
    }

    /** A file of the commit under --path: where it goes and which blob it is. */
    private record Entry(String path, ObjectId blob) {}

    private List<Entry> entries(Repository repo, RevCommit commit, String sha) throws SourceException, CorruptCache {
        List<Entry> entries = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            if (!path.isEmpty()) {
                walk.setFilter(PathFilter.create(path));
            }
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                String file = walk.getPathString();
                if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    entries.add(new Entry(file, walk.getObjectId(0)));
                } else if (mode == FileMode.SYMLINK || mode == FileMode.GITLINK) {
                    // A link could point outside the commit; a submodule's files are not in it.
                    throw errors.unreadable(sha, file + " in commit " + sha + " is a " + (mode == FileMode.SYMLINK ? "symbolic link" : "submodule")
                            + "; stackwire reads only regular files from Git: replace it with the file itself");
                }
            }
        } catch (IOException e) {
            throw new CorruptCache(errors.oneLine(e), e);
        }
        if (entries.isEmpty()) {
            if (path.isEmpty()) {
                throw errors.unreadable(sha, "commit " + sha + " (" + describeRef() + ") has no files; refusing to read it as an empty spec");
            }
            throw errors.unreadable(sha, "--path " + path + " does not exist in commit " + sha + " (" + describeRef() + "); "
                    + listing(repo, commit, path));
        }
        return entries;
    }

    /** What exists next to a missing path, so the user can see the typo. */
    private String listing(Repository repo, RevCommit commit, String path) throws CorruptCache {
        try {
            String parent = path;
            while (parent.contains("/")) {
                parent = parent.substring(0, parent.lastIndexOf('/'));
                try (TreeWalk w = TreeWalk.forPath(repo, parent, commit.getTree())) {
                    if (w != null && w.isSubtree()) {
                        return parent + "/ has: " + names(repo, w.getObjectId(0));
                    }
                }
            }
            return "the top level has: " + names(repo, commit.getTree());
        } catch (IOException e) {
            throw new CorruptCache(errors.oneLine(e), e);
        }
    }

    private static String names(Repository repo, AnyObjectId tree) throws IOException {
        List<String> names = new ArrayList<>();
        try (TreeWalk w = new TreeWalk(repo)) {
            w.addTree(tree);
            while (w.next()) {
                names.add(w.getNameString() + (w.isSubtree() ? "/" : ""));
            }
        }
        names.sort(Comparator.naturalOrder());
        return String.join(", ", names.subList(0, Math.min(GitSource.LIST_LIMIT, names.size())))
                + (names.size() > GitSource.LIST_LIMIT ? " (and " + (names.size() - GitSource.LIST_LIMIT) + " more)" : "");
    }

    /** True when dir holds exactly these files with exactly these contents (someone may have edited it). */
    private static boolean matches(Repository repo, Path dir, List<Entry> entries) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            if (files.filter(Files::isRegularFile).count() != entries.size()) {
                return false;
            }
        }
        try (ObjectInserter.Formatter f = new ObjectInserter.Formatter()) {
            for (Entry e : entries) {
                Path file = dir.resolve(e.path());
                if (!Files.isRegularFile(file) || !f.idFor(Constants.OBJ_BLOB, Files.readAllBytes(file)).equals(e.blob())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Writes to a private folder first and moves it into place, so readers never see half a tree. */
    private void write(Repository repo, Path dir, List<Entry> entries) throws IOException, CorruptCache {
        Files.createDirectories(trees);
        Path tmp = trees.resolve(".tmp-" + dir.getFileName() + "-" + UUID.randomUUID());
        try {
            for (Entry e : entries) {
                Path file = tmp.resolve(e.path()).normalize();
                if (!file.startsWith(tmp)) {
                    throw new IOException("path " + e.path() + " leaves the tree");
                }
                Files.createDirectories(file.getParent());
                ObjectLoader loader;
                try {
                    loader = repo.open(e.blob(), Constants.OBJ_BLOB);
                } catch (IOException missing) {
                    throw new CorruptCache(errors.oneLine(missing), missing);
                }
                try (InputStream in = loader.openStream()) {
                    Files.copy(in, file);
                }
                file.toFile().setReadOnly();
            }
            deleteRecursively(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteRecursively(tmp);
        }
    }

    /** Keeps the most recently used tree folders, removes older ones and leftovers of interrupted writes. */
    private void prune(Path keep) throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(trees)) {
            dirs = s.filter(Files::isDirectory).toList();
        }
        List<Path> commits = new ArrayList<>(dirs.stream().filter(d -> !d.getFileName().toString().startsWith(".")).toList());
        commits.sort(Comparator.comparing((Path d) -> {
            try {
                return Files.getLastModifiedTime(d);
            } catch (IOException e) {
                return FileTime.fromMillis(0);
            }
        }).reversed());
        int kept = 0;
        for (Path d : commits) {
            if (d.equals(keep) || kept < KEEP_TREES - 1) {
                if (!d.equals(keep)) {
                    kept++;
                }
                continue;
            }
            deleteRecursively(d);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    p.toFile().setWritable(true);
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover folder is retried on the next prune.
        }
    }

    private String describeRef() {
        return ref == null ? "the default branch" : "ref " + ref;
    }
}
