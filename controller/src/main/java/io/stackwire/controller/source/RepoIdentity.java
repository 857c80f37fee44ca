package io.stackwire.controller.source;

import io.stackwire.model.RepoPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;

/**
 * The default owner identity of a spec, when {@code stackwire.yaml} declares no {@code owner:}
 * (docs/spec.md): the repository the spec comes from, plus the spec folder's path inside it, so
 * a CI checkout, a {@code run --repo URL} sidecar and a local clone of one repository agree, and
 * two repositories never share one by accident.
 *
 * <ul>
 *   <li>a remote URL: {@code host/path}, without scheme, credentials, port, trailing {@code /} or
 *       {@code .git}, host in lower case ({@code git@GitHub.com:acme/infra.git} and
 *       {@code https://tok@github.com:443/acme/infra/} are both {@code github.com/acme/infra});
 *   <li>a folder in a Git work tree: its {@code origin} remote's identity, else the work tree's
 *       real path;
 *   <li>a folder outside Git: its real path;
 * </ul>
 * then {@code //sub/folder} when the spec is a folder below the top of the repository.
 */
public final class RepoIdentity {

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://(.*)$");
    private static final Pattern SCP = Pattern.compile("^(?:[^/\\\\@]+@)?([^/\\\\:\\[]+|\\[[^\\]]+\\]):(.*)$");
    private static final Pattern DRIVE = Pattern.compile("^[a-zA-Z]:[\\\\/].*");
    /** Clones of clones: how far a local {@code origin} is followed. */
    private static final int MAX_HOPS = 4;

    private RepoIdentity() {}

    /** The owner a spec acts for: the one its stackwire.yaml declares, else its source's default. */
    public static String resolve(RepoPolicy policy, Snapshot snapshot) {
        if (policy.owner() != null) {
            return policy.owner();
        }
        return snapshot.owner() != null ? snapshot.owner() : ofFolder(snapshot.root());
    }

    /**
     * The identity of a remote repository URL, or null for a local path or {@code file://} URL
     * (whose identity is the folder's, {@link #ofFolder}).
     */
    static String ofUrl(String url) {
        String u = url.strip();
        String hostAndPath;
        Matcher m = SCHEME.matcher(u);
        if (m.matches()) {
            if (m.group(1).equalsIgnoreCase("file")) {
                return null;
            }
            hostAndPath = m.group(2);
            int at = hostAndPath.indexOf('/') < 0 ? hostAndPath.lastIndexOf('@')
                    : hostAndPath.substring(0, hostAndPath.indexOf('/')).lastIndexOf('@');
            hostAndPath = hostAndPath.substring(at + 1);
            int slash = hostAndPath.indexOf('/');
            String authority = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
            String path = slash < 0 ? "" : hostAndPath.substring(slash);
            return host(authority, true) + path(path);
        }
        Matcher scp = SCP.matcher(u);
        if (!DRIVE.matcher(u).matches() && scp.matches()) {
            return host(scp.group(1), false) + path(scp.group(2));
        }
        return null;
    }

    /** A local repository given as {@code --repo PATH} (or {@code file://}), or a remote one, with its {@code --path}. */
    public static String ofGit(String repo, String path) {
        String remote = ofUrl(repo);
        if (remote != null) {
            return withSub(remote, path);
        }
        Path local = localPath(repo, Path.of("."));
        return ofFolder(path.isEmpty() ? local : local.resolve(path));
    }

    /** A folder (or file) on this machine: see the class comment. */
    public static String ofFolder(Path folder) {
        return ofFolder(folder, 0);
    }

    private static String ofFolder(Path folder, int hops) {
        Path real = real(folder);
        Found repo = find(real);
        if (repo == null) {
            return real.toString();
        }
        if (repo.config() == null) {
            return real.toString(); // not a readable repository after all: the folder alone still names it
        }
        Path top = real(repo.top());
        String sub = real.startsWith(top) ? top.relativize(real).toString().replace('\\', '/') : "";
        String origin = repo.config().getString("remote", "origin", "url");
        String base = top.toString();
        if (origin != null && !origin.isBlank()) {
            String remote = ofUrl(origin);
            if (remote != null) {
                base = remote;
            } else if (hops < MAX_HOPS) {
                Path o = localPath(origin, top);
                base = Files.exists(o) ? ofFolder(o, hops + 1) : base;
            }
        }
        return withSub(base, sub);
    }

    /**
     * A repository found from a folder: its top (the work tree, or the repository itself when
     * bare) and its own configuration (null when unreadable).
     */
    private record Found(Path top, Config config) {}

    /**
     * The repository {@code start} is in, looked for as Git does: a {@code .git} folder or
     * {@code gitdir:} file in it or above it, or the folder itself being a repository. Only the
     * repository's own {@code config} is read (with its includes): opening it with JGit also reads
     * the user's and the system's Git configuration, running {@code git} twice to find the latter,
     * which took about 80 ms of every command on a spec in a Git checkout.
     */
    private static Found find(Path start) {
        for (Path d = start; d != null; d = d.getParent()) {
            Path dotGit = d.resolve(".git");
            if (isGitDir(dotGit)) {
                return found(dotGit, d);
            }
            if (Files.isRegularFile(dotGit)) {
                // A linked work tree, or a submodule: the folder holding the file is the work tree.
                // A file that is not "gitdir: PATH" is passed over; one naming no repository is
                // a broken checkout, named by its folder alone.
                Path target = gitFile(dotGit);
                if (target != null) {
                    return isGitDir(target) ? found(target, d) : new Found(d, null);
                }
            } else if (isGitDir(d)) {
                return found(d, null);
            }
        }
        return null;
    }

    /** {@code workTree}: the folder the {@code .git} was found in; null when {@code gitDir} was the folder itself. */
    private static Found found(Path gitDir, Path workTree) {
        Config config = readConfig(commonDir(gitDir).resolve("config"));
        if (config == null) {
            return new Found(gitDir, null);
        }
        String worktree = config.getString("core", null, "worktree");
        if (worktree != null && !worktree.isBlank()) {
            return new Found(gitDir.resolve(worktree).normalize(), config);
        }
        String bare = config.getString("core", null, "bare");
        boolean isBare = bare != null ? config.getBoolean("core", "bare", true)
                : workTree == null && !gitDir.getFileName().toString().equals(".git");
        if (isBare) {
            return new Found(gitDir, config);
        }
        return new Found(workTree != null ? workTree : gitDir.getParent(), config);
    }

    /** A repository folder: a {@code HEAD} file, and objects of its own or of the repository it shares ({@code commondir}). */
    private static boolean isGitDir(Path p) {
        return Files.isRegularFile(p.resolve("HEAD")) && Files.isDirectory(commonDir(p).resolve("objects"));
    }

    /** Where a linked work tree's repository keeps what all its work trees share (config, objects). */
    private static Path commonDir(Path gitDir) {
        Path file = gitDir.resolve("commondir");
        if (!Files.isRegularFile(file)) {
            return gitDir;
        }
        try {
            String line = Files.readString(file).strip();
            return line.isEmpty() ? gitDir : gitDir.resolve(line).normalize();
        } catch (IOException e) {
            return gitDir;
        }
    }

    /** The repository a {@code .git} file points to ({@code gitdir: PATH}, relative to the file's folder), or null. */
    private static Path gitFile(Path dotGit) {
        try {
            String text = Files.readString(dotGit).strip();
            if (!text.startsWith("gitdir:")) {
                return null;
            }
            String target = text.substring("gitdir:".length()).strip();
            return target.isEmpty() ? null : dotGit.getParent().resolve(target).normalize();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A Git config file parsed by JGit's {@link Config}, its {@code include.path}s followed as
     * JGit's own file config does ({@code ~/} is the home folder, else relative to the file); null
     * when it cannot be read or parsed.
     */
    private static Config readConfig(Path file) {
        Config config = new Config() {
            @Override
            protected byte[] readIncludedConfig(String relPath) {
                Path p = relPath.startsWith("~/") ? Path.of(System.getProperty("user.home")).resolve(relPath.substring(2))
                        : file.resolveSibling(relPath);
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    return null; // a missing include is skipped, as Git does
                }
            }
        };
        if (!Files.exists(file)) {
            return config; // no settings of its own
        }
        try {
            config.fromText(Files.readString(file));
            return config;
        } catch (IOException | ConfigInvalidException | RuntimeException e) {
            return null;
        }
    }

    private static String withSub(String base, String sub) {
        String s = sub.replace('\\', '/').replaceAll("/{2,}", "/").replaceAll("^/|/$", "");
        return s.isEmpty() || s.equals(".") ? base : base + "//" + s;
    }

    /** {@code host[:port]} without the port, lower case; IPv6 literals keep their brackets. */
    private static String host(String authority, boolean port) {
        String h = authority;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(0, end + 1);
        } else if (port && h.contains(":")) {
            h = h.substring(0, h.indexOf(':'));
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /** {@code /acme//infra.git/} becomes {@code /acme/infra}; empty stays empty. */
    private static String path(String p) {
        String s = p.replace('\\', '/').replaceAll("/{2,}", "/");
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith(".git")) {
            s = s.substring(0, s.length() - 4);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("~")) {
            s = "/" + s;
        }
        return s.isEmpty() ? "" : s.startsWith("/") ? s : "/" + s;
    }

    private static Path localPath(String repo, Path base) {
        Matcher m = SCHEME.matcher(repo.strip());
        if (m.matches()) {
            try {
                return Path.of(java.net.URI.create(repo.strip()));
            } catch (IllegalArgumentException e) {
                return base.resolve(m.group(2)); // file://host/path: not a local file URI, keep its text
            }
        }
        return base.resolve(repo.strip());
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
