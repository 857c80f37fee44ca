package io.stackwire.controller.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to authenticate to a Git server. Secrets come from files or the environment, never from the
 * command line, and {@link #toString()} never shows them.
 *
 * <p>HTTPS: a token (sent as the password of {@code --git-username}, default {@value #TOKEN_USER})
 * or a user name and password. SSH: a private key file and a known_hosts file, checked strictly
 * unless {@code acceptNewHostKeys} is set (then an unknown host is trusted on first use and recorded;
 * a changed key is always refused).
 */
public final class GitAuth {

    /** The user name sent with a bare token; GitHub, GitLab and Gitea accept a token as any user's password. */
    public static final String TOKEN_USER = "x-access-token";

    public static final String ENV_TOKEN = "STACKWIRE_GIT_TOKEN";
    public static final String ENV_USERNAME = "STACKWIRE_GIT_USERNAME";
    public static final String ENV_PASSWORD = "STACKWIRE_GIT_PASSWORD";

    private static final GitAuth NONE = new GitAuth(null, null, "none", null, null, false);

    private final String httpUser;
    private final String httpSecret;
    private final String httpKind;
    private final Path sshKey;
    private final Path knownHosts;
    private final boolean acceptNewHostKeys;

    private GitAuth(String httpUser, String httpSecret, String httpKind, Path sshKey, Path knownHosts, boolean acceptNewHostKeys) {
        this.httpUser = httpUser;
        this.httpSecret = httpSecret;
        this.httpKind = httpKind;
        this.sshKey = sshKey;
        this.knownHosts = knownHosts;
        this.acceptNewHostKeys = acceptNewHostKeys;
    }

    /** Anonymous HTTPS; SSH with the default keys and {@code ~/.ssh/known_hosts}, strictly checked. */
    public static GitAuth none() {
        return NONE;
    }

    public static GitAuth token(String token) {
        return new GitAuth(TOKEN_USER, requireSecret(token, "token"), "token", null, null, false);
    }

    public static GitAuth basic(String user, String password) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a Git user name is required with a password");
        }
        return new GitAuth(user, requireSecret(password, "password"), "password", null, null, false);
    }

    /** The same HTTPS credentials with SSH settings: a key (null: the default ~/.ssh keys) and known_hosts (null: ~/.ssh/known_hosts). */
    public GitAuth withSsh(Path key, Path knownHostsFile, boolean acceptNew) {
        return new GitAuth(httpUser, httpSecret, httpKind, key, knownHostsFile, acceptNew);
    }

    /**
     * Builds the credentials from options and the environment; options win over the environment.
     * Every argument may be null. Fails with a message naming the file or variable, never its content.
     */
    public static GitAuth resolve(Path tokenFile, String username, Path passwordFile, Path sshKey, Path knownHostsFile,
            boolean acceptNewHostKeys, Map<String, String> env) throws SourceException {
        Objects.requireNonNull(env, "env");
        String user = username != null ? username : blankToNull(env.get(ENV_USERNAME));
        String token = tokenFile != null ? readSecret(tokenFile, "--git-token-file") : blankToNull(env.get(ENV_TOKEN));
        String password = passwordFile != null ? readSecret(passwordFile, "--git-password-file") : blankToNull(env.get(ENV_PASSWORD));
        if (token != null && password != null) {
            throw new SourceException("give either a Git token (--git-token-file or " + ENV_TOKEN
                    + ") or a password (--git-password-file or " + ENV_PASSWORD + "), not both");
        }
        GitAuth auth;
        if (token != null) {
            auth = new GitAuth(user == null ? TOKEN_USER : user, token, "token", null, null, false);
        } else if (password != null) {
            if (user == null) {
                throw new SourceException("a Git password needs a user name: --git-username NAME or " + ENV_USERNAME);
            }
            auth = basic(user, password);
        } else {
            auth = NONE;
        }
        if (sshKey != null && !Files.isReadable(sshKey)) {
            throw new SourceException("--ssh-key " + sshKey + ": no such readable file");
        }
        if (knownHostsFile != null && !acceptNewHostKeys && !Files.isReadable(knownHostsFile)) {
            throw new SourceException("--ssh-known-hosts " + knownHostsFile + ": no such readable file"
                    + " (add the server's key with ssh-keyscan, or use --ssh-insecure-accept-new once)");
        }
        return auth.withSsh(sshKey, knownHostsFile, acceptNewHostKeys);
    }

    private static String readSecret(Path file, String option) throws SourceException {
        String s;
        try {
            s = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new SourceException(option + " " + file + ": cannot read: " + e.getClass().getSimpleName());
        }
        if (s.isEmpty()) {
            throw new SourceException(option + " " + file + ": the file is empty");
        }
        if (s.contains("\n")) {
            throw new SourceException(option + " " + file + ": expected one line (the secret), found several");
        }
        return s;
    }

    private static String requireSecret(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("the Git " + what + " is empty");
        }
        return s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    boolean hasHttpCredentials() {
        return httpSecret != null;
    }

    String httpUser() {
        return httpUser;
    }

    String httpSecret() {
        return httpSecret;
    }

    Path sshKey() {
        return sshKey;
    }

    Path knownHosts() {
        return knownHosts;
    }

    boolean acceptNewHostKeys() {
        return acceptNewHostKeys;
    }

    /** Values that must never appear in output. */
    List<String> secrets() {
        List<String> s = new ArrayList<>();
        if (httpSecret != null) {
            s.add(httpSecret);
        }
        return s;
    }

    /** Says which kind of credentials, never their values. */
    @Override
    public String toString() {
        return "GitAuth[http=" + httpKind + (httpSecret == null ? "" : " as " + httpUser)
                + ", ssh key=" + (sshKey == null ? "default" : sshKey)
                + ", known_hosts=" + (knownHosts == null ? "default" : knownHosts)
                + (acceptNewHostKeys ? " (accept new)" : " (strict)") + "]";
    }
}
