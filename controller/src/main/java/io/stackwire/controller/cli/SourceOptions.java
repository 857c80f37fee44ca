package io.stackwire.controller.cli;

import io.stackwire.controller.source.GitAuth;
import io.stackwire.controller.source.GitSource;
import io.stackwire.controller.source.LocalSource;
import io.stackwire.controller.source.SourceException;
import io.stackwire.controller.source.SpecSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a command reads the spec: the PATH argument (a folder here), or a Git repository at a ref
 * with {@code --repo}, so CI can plan a branch without a checkout. Secrets come from files or the
 * environment only.
 */
final class SourceOptions {

    static final String HEADING = "%nSpec from Git, instead of PATH (secrets only from files or the environment):%n";

    @Option(names = "--repo", paramLabel = "URL", order = 100,
            description = "Read the spec from this Git repository instead of PATH: https://, ssh://, user@host:path, file:// or a local path.")
    String repo;

    @Option(names = "--ref", paramLabel = "REF", order = 101,
            description = "With --repo: branch, tag or full 40-hex commit id; a commit pins the revision (default: the repository's default branch).")
    String ref;

    @Option(names = "--path", paramLabel = "DIR", order = 102,
            description = "With --repo: the spec folder inside the repository (default: its root).")
    String path;

    @Option(names = "--cache-dir", paramLabel = "DIR", order = 103,
            description = "With --repo: where clones are cached, one folder per URL (default: ~/.cache/stackwire/git).")
    Path cacheDir;

    @Option(names = "--git-token-file", paramLabel = "FILE", order = 104,
            description = "HTTPS token, read from FILE (or env " + GitAuth.ENV_TOKEN + ").")
    Path tokenFile;

    @Option(names = "--git-username", paramLabel = "NAME", order = 105,
            description = "HTTPS user name (or env " + GitAuth.ENV_USERNAME + "; default with a token: " + GitAuth.TOKEN_USER + ").")
    String username;

    @Option(names = "--git-password-file", paramLabel = "FILE", order = 106,
            description = "HTTPS password, read from FILE (or env " + GitAuth.ENV_PASSWORD + ").")
    Path passwordFile;

    @Option(names = "--ssh-key", paramLabel = "FILE", order = 107,
            description = "SSH private key (unencrypted) for ssh:// and user@host:path URLs (default: ~/.ssh/id_*).")
    Path sshKey;

    @Option(names = "--ssh-known-hosts", paramLabel = "FILE", order = 108,
            description = "known_hosts file the SSH server's key must be in (default: ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--ssh-insecure-accept-new", order = 109,
            description = "Trust an SSH host seen for the first time and record its key (a changed key is still refused).")
    boolean acceptNewHostKeys;

    boolean git() {
        return repo != null;
    }

    /** Options that only mean something with --repo, as given; for a clear usage error. */
    List<String> gitOnlyOptionsGiven() {
        List<String> given = new ArrayList<>();
        if (ref != null) {
            given.add("--ref");
        }
        if (path != null) {
            given.add("--path");
        }
        if (cacheDir != null) {
            given.add("--cache-dir");
        }
        if (tokenFile != null) {
            given.add("--git-token-file");
        }
        if (username != null) {
            given.add("--git-username");
        }
        if (passwordFile != null) {
            given.add("--git-password-file");
        }
        if (sshKey != null) {
            given.add("--ssh-key");
        }
        if (knownHosts != null) {
            given.add("--ssh-known-hosts");
        }
        if (acceptNewHostKeys) {
            given.add("--ssh-insecure-accept-new");
        }
        return given;
    }

    /**
     * Checks the combination of PATH and the Git options; returns an error line, or null when fine.
     *
     * @param pathArg the PATH argument as given (null when absent)
     */
    String usageError(Path pathArg, String pathLabel) {
        if (git() && pathArg != null) {
            return "give either " + pathLabel + " or --repo, not both";
        }
        if (!git() && !gitOnlyOptionsGiven().isEmpty()) {
            return String.join(", ", gitOnlyOptionsGiven()) + " only apply with --repo URL";
        }
        return null;
    }

    /** The spec source: Git when --repo is given, else the folder PATH (default: the current directory). */
    SpecSource open(Path pathArg, Map<String, String> env) throws SourceException {
        if (!git()) {
            return new LocalSource(pathArg == null ? Path.of(".") : pathArg);
        }
        GitAuth auth = GitAuth.resolve(tokenFile, username, passwordFile, sshKey, knownHosts, acceptNewHostKeys, env);
        Path base = cacheDir != null ? cacheDir : GitSource.defaultCacheBase(env);
        try {
            return new GitSource(new GitSource.Config(repo, ref, path, base, auth));
        } catch (IllegalArgumentException e) {
            throw new SourceException(e.getMessage());
        }
    }
}
