package io.stackwire.controller.source;

import java.util.ArrayList;
import java.util.List;

/**
 * One-line, redacted error messages of a Git source: what failed, JGit's cause chain without the URL
 * it repeats, and a hint for the usual credential and host-key mistakes.
 */
final class GitErrors {

    private final String shownUrl;
    private final List<String> secrets;
    /** The repository is reached over SSH: authentication failures get the --ssh-key hint. */
    private final boolean ssh;

    GitErrors(String shownUrl, List<String> secrets, boolean ssh) {
        this.shownUrl = shownUrl;
        this.secrets = List.copyOf(secrets);
        this.ssh = ssh;
    }

    SourceException remote(String what, Throwable e) {
        String msg = oneLine(e);
        if (msg.startsWith(shownUrl + ": ")) {
            msg = msg.substring(shownUrl.length() + 2); // JGit repeats the URL we already named
        }
        String hint = "";
        String lower = msg.toLowerCase();
        if (lower.contains("server key") || lower.contains("host key") || lower.contains("known_hosts")) {
            hint = " (the server's host key is not in known_hosts: add it to --ssh-known-hosts, e.g. from ssh-keyscan"
                    + " checked out of band, or trust it on first use with --ssh-insecure-accept-new)";
        } else if (ssh && (lower.contains("log in") || lower.contains("publickey") || lower.contains("authentication"))) {
            hint = " (check --ssh-key, and that its public key is allowed on the server)";
        } else if (lower.contains("not authorized") || lower.contains("authentication") || lower.contains("401")
                || lower.contains("403")) {
            hint = " (check --git-token-file, --git-username/--git-password-file or " + GitAuth.ENV_TOKEN + ")";
        }
        return fail(what + ": " + msg + hint, e);
    }

    /** A commit that was fetched but cannot be read as a spec. */
    RevisionException unreadable(String sha, String message) {
        return new RevisionException(sha, "git: " + Redaction.message(message, secrets));
    }

    SourceException fail(String message, Throwable cause) {
        return new SourceException("git: " + Redaction.message(message, secrets), cause);
    }

    /** The distinct messages along the cause chain (JGit wraps the useful text), on one line, redacted. */
    String oneLine(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 3; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && parts.stream().noneMatch(p -> p.contains(m.strip()))) {
                parts.add(m.strip());
            }
        }
        return Redaction.message(parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts), secrets);
    }
}
