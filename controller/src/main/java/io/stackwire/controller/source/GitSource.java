package io.stackwire.controller.source;

import io.stackwire.reconcile.Normalizer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

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


    /** How many names an error lists (branches, folder entries) before "and N more". */
    static final int LIST_LIMIT = 8;

    private final Config config;
    private final String url;
    private final String shownUrl;
    private final Path cache;
    private final Path repoDir;
    private final SshSupport ssh;
    private final GitErrors errors;
    private final RefFetcher refs;
    private final TreeCache trees;

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
        this.url = uri.toString();
        this.shownUrl = Redaction.urls(url);
        CredentialsProvider credentials = auth.hasHttpCredentials()
                ? new UsernamePasswordCredentialsProvider(auth.httpUser(), auth.httpSecret())
                : null;
        this.cache = config.cacheBase().toAbsolutePath().normalize().resolve(hash(url));
        this.repoDir = cache.resolve("repo.git");
        this.ssh = isSsh(uri) ? new SshSupport(auth, cache) : null;
        this.errors = new GitErrors(shownUrl, s, ssh != null);
        this.refs = new RefFetcher(url, shownUrl, config.ref(), credentials, transport(), errors);
        this.trees = new TreeCache(cache.resolve("trees"), config.path(), config.ref(),
                RepoIdentity.ofGit(config.repo(), config.path()), errors);
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
            throw errors.fail("cannot create the cache folder " + cache + ": " + e.getMessage(), e);
        }
        try (FileChannel channel = FileChannel.open(cache.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            try {
                return fetchOnce();
            } catch (CorruptCache first) {
                // A broken cache is ours to throw away: clone again, once.
                TreeCache.deleteRecursively(repoDir);
                try {
                    return fetchOnce();
                } catch (CorruptCache again) {
                    throw errors.fail("the Git cache " + repoDir + " is unusable even after a fresh clone: "
                            + again.getMessage(), again);
                }
            }
        } catch (OverlappingFileLockException e) {
            throw errors.fail("another Git source in this process is using the cache " + cache, e);
        } catch (IOException e) {
            throw errors.fail("cannot use the cache folder " + cache + ": " + e.getMessage(), e);
        }
    }

    private Snapshot fetchOnce() throws SourceException, CorruptCache {
        try (Repository repo = openCache(); Git git = new Git(repo)) {
            ObjectId wanted = refs.resolveAndFetch(git);
            return trees.materialise(repo, wanted);
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
            throw new CorruptCache(errors.oneLine(e), e);
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
        return Normalizer.sha256Hex(url).substring(0, 16);
    }
}
