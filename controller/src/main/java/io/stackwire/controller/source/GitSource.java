package io.stackwire.controller.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * A Git repository at a ref, read through a private cache: a bare clone (shallow where the server
 * allows) under {@code <cache-base>/<hash of the URL>/repo.git}, and the files of each resolved
 * commit written out from the commit's tree into {@code trees/<commit>/}. Nobody edits those folders
 * and a fetch re-checks them against the commit, so a pass always reads exactly one commit.
 *
 * <p>{@link #fetch()} either returns the ref's current commit as the server has it now, or throws:
 * it never hands back an older snapshot when the server cannot be reached. A pinned commit (a full
 * 40-hex {@code ref}) never changes, so once it is in the cache it is served without the network.
 * Callers that want to keep working on the last good revision keep that snapshot themselves; the
 * two most recently used tree folders are kept on disk.
 */
public final class GitSource implements SpecSource {

    /**
     * What to read.
     *
     * @param repo https://, ssh://, scp-like {@code user@host:path}, file:// or a local path
     * @param ref a branch, a tag, a full {@code refs/...} name or a full 40-hex commit; null: the remote's HEAD
     * @param path the spec folder (or file) inside the repository; empty: the repository root
     * @param cacheBase the folder holding one cache per repository URL
     * @param auth credentials; never printed
     */
    public record Config(String repo, String ref, String path, Path cacheBase, GitAuth auth) {
        public Config {
            if (repo == null || repo.isBlank()) {
                throw new IllegalArgumentException("--repo is empty");
            }
            repo = repo.strip();
            ref = ref == null || ref.isBlank() ? null : ref.strip();
            path = normalisePath(path);
            Objects.requireNonNull(cacheBase, "cacheBase");
            auth = auth == null ? GitAuth.none() : auth;
        }

        private static String normalisePath(String path) {
            if (path == null) {
                return "";
            }
            String p = path.strip().replace('\\', '/');
            List<String> parts = new ArrayList<>();
            for (String part : p.split("/")) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    throw new IllegalArgumentException("--path " + path + " must stay inside the repository (no '..')");
                }
                parts.add(part);
            }
            return String.join("/", parts);
        }
    }

    private static final Pattern FULL_COMMIT = Pattern.compile("[0-9a-fA-F]{40}");
    private static final String CURRENT = "refs/stackwire/current";
    private static final int KEEP_TREES = 2;
    private static final int LIST_LIMIT = 8;
    /** Seconds a connection may stall before a fetch fails, so a hung server cannot stop the loop. */
    private static final int TIMEOUT_SECONDS = 60;

    private final Config config;
    private final String url;
    private final String shownUrl;
    private final Path cache;
    private final Path repoDir;
    private final Path trees;
    private final CredentialsProvider credentials;
    private final SshSupport ssh;
    private final List<String> secrets;
    /** The default owner identity of specs read from here ({@link RepoIdentity}). */
    private final String owner;

    public GitSource(Config config) throws SourceException {
        this.config = Objects.requireNonNull(config);
        URIish uri = parseRepo(config.repo());
        GitAuth auth = config.auth();
        // Credentials written into the URL are taken out of it (and used if nothing else was given),
        // so they reach neither the cache key, nor logs, nor JGit's error messages.
        String urlUser = uri.getUser();
        String urlPass = uri.getPass();
        boolean http = uri.getScheme() != null && uri.getScheme().startsWith("http");
        if (http && (urlUser != null || urlPass != null)) {
            if (!auth.hasHttpCredentials() && urlPass != null) {
                auth = GitAuth.basic(urlUser, urlPass).withSsh(auth.sshKey(), auth.knownHosts(), auth.acceptNewHostKeys());
            } else if (!auth.hasHttpCredentials() && urlUser != null) {
                auth = GitAuth.token(urlUser).withSsh(auth.sshKey(), auth.knownHosts(), auth.acceptNewHostKeys());
            }
            uri = uri.setUser(null).setPass(null);
        }
        List<String> s = new ArrayList<>(auth.secrets());
        if (urlPass != null) {
            s.add(urlPass);
        }
        if (http && urlUser != null && urlPass == null) {
            s.add(urlUser);
        }
        this.secrets = List.copyOf(s);
        this.url = uri.toString();
        this.shownUrl = Redaction.urls(url);
        this.credentials = auth.hasHttpCredentials()
                ? new UsernamePasswordCredentialsProvider(auth.httpUser(), auth.httpSecret())
                : null;
        this.cache = config.cacheBase().toAbsolutePath().normalize().resolve(hash(url));
        this.repoDir = cache.resolve("repo.git");
        this.trees = cache.resolve("trees");
        this.ssh = isSsh(uri) ? new SshSupport(auth, cache) : null;
        this.owner = RepoIdentity.ofGit(config.repo(), config.path());
    }

    /** {@code $XDG_CACHE_HOME/stackwire/git}, else {@code ~/.cache/stackwire/git}. */
    public static Path defaultCacheBase(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("stackwire").resolve("git");
    }

    /** The folder this source caches its clone and trees in. */
    public Path cacheDir() {
        return cache;
    }

    @Override
    public String describe() {
        return shownUrl + (config.ref() == null ? "" : "@" + config.ref()) + (config.path().isEmpty() ? "" : " path " + config.path());
    }

    @Override
    public void close() {
        if (ssh != null) {
            ssh.close();
        }
    }

    /**
     * Fetches the ref and returns the files of the commit it points to now.
     *
     * @throws SourceException when the server cannot be reached or refuses, the ref or path does not
     *     exist, or the commit has no files; the message is one line without secrets
     */
    @Override
    public synchronized Snapshot fetch() throws SourceException {
        try {
            Files.createDirectories(cache);
        } catch (IOException e) {
            throw fail("cannot create the cache folder " + cache + ": " + e.getMessage(), e);
        }
        try (FileChannel channel = FileChannel.open(cache.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            try {
                return fetchOnce();
            } catch (CorruptCache first) {
                // A broken cache is ours to throw away: clone again, once.
                deleteRecursively(repoDir);
                try {
                    return fetchOnce();
                } catch (CorruptCache again) {
                    throw fail("the Git cache " + repoDir + " is unusable even after a fresh clone: "
                            + again.getMessage(), again);
                }
            }
        } catch (OverlappingFileLockException e) {
            throw fail("another Git source in this process is using the cache " + cache, e);
        } catch (IOException e) {
            throw fail("cannot use the cache folder " + cache + ": " + e.getMessage(), e);
        }
    }

    /** An unreadable local clone: thrown inside, answered by one fresh clone. */
    private static final class CorruptCache extends Exception {
        CorruptCache(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Snapshot fetchOnce() throws SourceException, CorruptCache {
        try (Repository repo = openCache(); Git git = new Git(repo)) {
            ObjectId wanted = resolveAndFetch(git);
            return materialise(repo, wanted);
        }
    }

    private Repository openCache() throws CorruptCache, SourceException {
        try {
            if (!Files.exists(repoDir)) {
                try (Git git = Git.init().setBare(true).setGitDir(repoDir.toFile()).setInitialBranch("stackwire").call()) {
                    // Our own objects only: no auto gc racing a reader, no reflogs to grow.
                    git.getRepository().getConfig().setBoolean("core", null, "logAllRefUpdates", false);
                    git.getRepository().getConfig().setInt("gc", null, "auto", 0);
                    git.getRepository().getConfig().save();
                }
            }
            Repository repo = new FileRepositoryBuilder().setGitDir(repoDir.toFile()).setMustExist(true).build();
            if (!repo.getObjectDatabase().exists()) {
                repo.close();
                throw new CorruptCache("no object database", null);
            }
            return repo;
        } catch (IOException | GitAPIException | IllegalArgumentException e) {
            throw new CorruptCache(oneLine(e), e);
        }
    }

    /** Ref resolution order: full commit id; refs/heads/REF; refs/tags/REF; a full refs/ name; HEAD when none. */
    private ObjectId resolveAndFetch(Git git) throws SourceException, CorruptCache {
        String ref = config.ref();
        if (ref != null && FULL_COMMIT.matcher(ref).matches()) {
            return fetchPinned(git, ObjectId.fromString(ref.toLowerCase()));
        }
        Map<String, Ref> advertised;
        try {
            advertised = git.lsRemote().setRemote(url).setCredentialsProvider(credentials)
                    .setTransportConfigCallback(transport()).setTimeout(TIMEOUT_SECONDS).setHeads(false).setTags(false).callAsMap();
        } catch (GitAPIException | RuntimeException e) {
            throw remote("cannot list the refs of " + shownUrl, e);
        }
        if (advertised.keySet().stream().noneMatch(n -> n.startsWith("refs/heads/") || n.startsWith("refs/tags/"))) {
            throw fail("repository " + shownUrl + " has no commits (no branches or tags); refusing to read it as an empty spec", null);
        }
        Ref chosen = choose(advertised, ref);
        ObjectId id = chosen.getPeeledObjectId() != null ? chosen.getPeeledObjectId() : chosen.getObjectId();
        String name = chosen.isSymbolic() ? chosen.getTarget().getName() : chosen.getName();
        if (id == null) {
            throw fail("ref " + name + " of " + shownUrl + " points nowhere", null);
        }
        Repository repo = git.getRepository();
        if (isCommitInCache(repo, id)) {
            return id;
        }
        fetch(git, List.of(new RefSpec("+" + name + ":" + CURRENT)), true);
        try {
            Ref current = repo.exactRef(CURRENT);
            if (current == null) {
                throw new CorruptCache("fetch of " + name + " left no " + CURRENT, null);
            }
            // The ref may have moved since ls-remote; what was fetched is the newest truth.
            return current.getObjectId();
        } catch (IOException e) {
            throw new CorruptCache(oneLine(e), e);
        }
    }

    private Ref choose(Map<String, Ref> advertised, String ref) throws SourceException {
        if (ref == null) {
            Ref head = advertised.get(Constants.HEAD);
            if (head == null) {
                throw fail("repository " + shownUrl + " does not say which branch is its default; give --ref "
                        + branchList(advertised), null);
            }
            return head;
        }
        for (String candidate : List.of(Constants.R_HEADS + ref, Constants.R_TAGS + ref, ref)) {
            Ref r = advertised.get(candidate);
            if (r != null && (candidate.startsWith(Constants.R_REFS) || candidate.equals(Constants.HEAD))) {
                return r;
            }
        }
        throw fail("no branch or tag '" + ref + "' in " + shownUrl + "; " + branchList(advertised), null);
    }

    private static String branchList(Map<String, Ref> advertised) {
        List<String> branches = advertised.keySet().stream().filter(n -> n.startsWith(Constants.R_HEADS))
                .map(n -> n.substring(Constants.R_HEADS.length())).sorted().toList();
        if (branches.isEmpty()) {
            return "it has no branches";
        }
        String shown = String.join(", ", branches.subList(0, Math.min(LIST_LIMIT, branches.size())));
        return "branches: " + shown + (branches.size() > LIST_LIMIT ? " (and " + (branches.size() - LIST_LIMIT) + " more)" : "");
    }

    private ObjectId fetchPinned(Git git, ObjectId commit) throws SourceException, CorruptCache {
        Repository repo = git.getRepository();
        if (isCommitInCache(repo, commit)) {
            return commit; // a commit never changes: no need to ask the server again
        }
        try {
            // Servers that allow fetching a commit by id (GitHub, GitLab, JGit, git >= 2.5 with v2) need only it.
            fetch(git, List.of(new RefSpec("+" + commit.name() + ":" + CURRENT)), true);
        } catch (SourceException byId) {
            // Otherwise everything reachable from branches and tags, then look for it.
            fetch(git, List.of(new RefSpec("+refs/heads/*:refs/stackwire/heads/*"),
                    new RefSpec("+refs/tags/*:refs/stackwire/tags/*")), false);
        }
        if (!isCommitInCache(repo, commit)) {
            throw fail("commit " + commit.name() + " is not in " + shownUrl + " (not reachable from any branch or tag)", null);
        }
        try {
            var update = repo.updateRef(CURRENT);
            update.setNewObjectId(commit);
            update.setForceUpdate(true);
            update.update();
        } catch (IOException e) {
            throw new CorruptCache(oneLine(e), e);
        }
        return commit;
    }

    /** Fetches shallowly first when asked, and in full when the server (or dumb HTTP) cannot do shallow. */
    private void fetch(Git git, List<RefSpec> specs, boolean shallowFirst) throws SourceException, CorruptCache {
        if (shallowFirst) {
            try {
                runFetch(git, specs, 1);
                return;
            } catch (SourceException e) {
                // fall through to a full fetch; if the server is simply unreachable this fails the same way
            }
        }
        runFetch(git, specs, 0);
    }

    private void runFetch(Git git, List<RefSpec> specs, int depth) throws SourceException, CorruptCache {
        var cmd = git.fetch().setRemote(url).setRefSpecs(specs).setTagOpt(TagOpt.NO_TAGS)
                .setCredentialsProvider(credentials).setTransportConfigCallback(transport()).setTimeout(TIMEOUT_SECONDS)
                .setRemoveDeletedRefs(false);
        if (depth > 0) {
            cmd.setDepth(depth);
        } else if (isShallow(git.getRepository())) {
            cmd.setUnshallow(true);
        }
        try {
            cmd.call();
        } catch (TransportException | InvalidRemoteException e) {
            throw remote("cannot fetch from " + shownUrl, e);
        } catch (GitAPIException | RuntimeException e) {
            if (isLocalDamage(e)) {
                throw new CorruptCache(oneLine(e), e);
            }
            throw remote("cannot fetch from " + shownUrl, e);
        }
    }

    private static boolean isShallow(Repository repo) {
        return Files.exists(repo.getDirectory().toPath().resolve("shallow"));
    }

    private static boolean isLocalDamage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MissingObjectException || t instanceof org.eclipse.jgit.errors.CorruptObjectException
                    || t instanceof org.eclipse.jgit.errors.PackInvalidException) {
                return true;
            }
        }
        return false;
    }

    private boolean isCommitInCache(Repository repo, ObjectId id) throws CorruptCache {
        try (RevWalk walk = new RevWalk(repo)) {
            if (!repo.getObjectDatabase().has(id)) {
                return false;
            }
            walk.parseCommit(id);
            // A shallow boundary commit has its tree; that is all we read.
            return true;
        } catch (MissingObjectException e) {
            return false;
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            return false;
        } catch (IOException e) {
            throw new CorruptCache(oneLine(e), e);
        }
    }

    private Snapshot materialise(Repository repo, ObjectId wanted) throws SourceException, CorruptCache {
        RevCommit commit;
        try (RevWalk walk = new RevWalk(repo)) {
            commit = walk.parseCommit(wanted);
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw fail(describeRef() + " points to " + wanted.name() + ", which is not a commit", e);
        } catch (IOException e) {
            throw new CorruptCache(oneLine(e), e);
        }
        String sha = commit.name();
        List<Entry> entries = entries(repo, commit, sha);
        Path dir = trees.resolve(sha);
        Path root = config.path().isEmpty() ? dir : dir.resolve(config.path());
        try {
            if (!matches(repo, dir, entries)) {
                write(repo, dir, entries);
            }
            Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
            prune(dir);
        } catch (IOException e) {
            throw fail("cannot write the files of commit " + sha + " under " + trees + ": " + oneLine(e), e);
        }
        return new Snapshot(sha, root, commit.getFullMessage(), config.path(), owner);
    }

    /** A file of the commit under --path: where it goes and which blob it is. */
    private record Entry(String path, ObjectId blob) {}

    private List<Entry> entries(Repository repo, RevCommit commit, String sha) throws SourceException, CorruptCache {
        List<Entry> entries = new ArrayList<>();
        String path = config.path();
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
                    throw unreadable(sha, file + " in commit " + sha + " is a " + (mode == FileMode.SYMLINK ? "symbolic link" : "submodule")
                            + "; stackwire reads only regular files from Git: replace it with the file itself");
                }
            }
        } catch (IOException e) {
            throw new CorruptCache(oneLine(e), e);
        }
        if (entries.isEmpty()) {
            if (path.isEmpty()) {
                throw unreadable(sha, "commit " + sha + " (" + describeRef() + ") has no files; refusing to read it as an empty spec");
            }
            throw unreadable(sha, "--path " + path + " does not exist in commit " + sha + " (" + describeRef() + "); "
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
            throw new CorruptCache(oneLine(e), e);
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
        return String.join(", ", names.subList(0, Math.min(LIST_LIMIT, names.size())))
                + (names.size() > LIST_LIMIT ? " (and " + (names.size() - LIST_LIMIT) + " more)" : "");
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
                    throw new CorruptCache(oneLine(missing), missing);
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

    private static void deleteRecursively(Path dir) {
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

    private TransportConfigCallback transport() {
        return t -> {
            if (t instanceof SshTransport sshTransport) {
                if (ssh == null) {
                    throw new IllegalStateException("SSH transport for a non-SSH URL " + shownUrl);
                }
                sshTransport.setSshSessionFactory(ssh.factory());
            }
        };
    }

    private String describeRef() {
        return config.ref() == null ? "the default branch" : "ref " + config.ref();
    }

    private SourceException remote(String what, Throwable e) {
        String msg = oneLine(e);
        if (msg.startsWith(shownUrl + ": ")) {
            msg = msg.substring(shownUrl.length() + 2); // JGit repeats the URL we already named
        }
        String hint = "";
        String lower = msg.toLowerCase();
        if (lower.contains("server key") || lower.contains("host key") || lower.contains("known_hosts")) {
            hint = " (the server's host key is not in known_hosts: add it to --ssh-known-hosts, e.g. from ssh-keyscan"
                    + " checked out of band, or trust it on first use with --ssh-insecure-accept-new)";
        } else if (ssh != null && (lower.contains("log in") || lower.contains("publickey") || lower.contains("authentication"))) {
            hint = " (check --ssh-key, and that its public key is allowed on the server)";
        } else if (lower.contains("not authorized") || lower.contains("authentication") || lower.contains("401")
                || lower.contains("403")) {
            hint = " (check --git-token-file, --git-username/--git-password-file or " + GitAuth.ENV_TOKEN + ")";
        }
        return fail(what + ": " + msg + hint, e);
    }

    /** A commit that was fetched but cannot be read as a spec. */
    private RevisionException unreadable(String sha, String message) {
        return new RevisionException(sha, "git: " + Redaction.message(message, secrets));
    }

    private SourceException fail(String message, Throwable cause) {
        return new SourceException("git: " + Redaction.message(message, secrets), cause);
    }

    /** The distinct messages along the cause chain (JGit wraps the useful text), on one line, redacted. */
    private String oneLine(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 3; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && parts.stream().noneMatch(p -> p.contains(m.strip()))) {
                parts.add(m.strip());
            }
        }
        return Redaction.message(parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts), secrets);
    }

    private static URIish parseRepo(String repo) throws SourceException {
        try {
            boolean scheme = repo.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
            boolean scpLike = !scheme && repo.matches("^[^/\\\\]+@?[^/\\\\]*:.*") && !repo.matches("^[a-zA-Z]:[\\\\/].*");
            if (!scheme && !scpLike) {
                Path local = Path.of(repo).toAbsolutePath().normalize();
                if (!Files.exists(local)) {
                    throw new SourceException("git: repository " + repo + " does not exist (not a URL, and no such local path)");
                }
                return new URIish(local.toUri().toURL());
            }
            return new URIish(repo);
        } catch (java.net.URISyntaxException | java.net.MalformedURLException e) {
            throw new SourceException("git: --repo " + Redaction.urls(repo) + " is not a Git URL or path: " + e.getMessage());
        }
    }

    private static boolean isSsh(URIish uri) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            return uri.getHost() != null; // scp-like user@host:path
        }
        return scheme.equals("ssh") || scheme.equals("git+ssh") || scheme.equals("ssh+git");
    }

    private static String hash(String url) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
