package io.stackwire.controller.source;

import io.stackwire.model.RepoPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

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
        FileRepositoryBuilder b = new FileRepositoryBuilder().findGitDir(real.toFile());
        if (b.getGitDir() == null) {
            return real.toString();
        }
        try (Repository repo = b.setMustExist(true).build()) {
            Path top = real(repo.isBare() ? repo.getDirectory().toPath() : repo.getWorkTree().toPath());
            String sub = real.startsWith(top) ? top.relativize(real).toString().replace('\\', '/') : "";
            String origin = repo.getConfig().getString("remote", "origin", "url");
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
        } catch (IOException | IllegalArgumentException e) {
            // Not a readable repository after all: the folder alone still names it.
            return real.toString();
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
