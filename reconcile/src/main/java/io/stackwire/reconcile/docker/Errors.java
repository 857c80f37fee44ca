package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.GatewayException;

import com.github.dockerjava.api.exception.DockerException;
import io.stackwire.reconcile.daemon.GatewayException.Kind;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what docker-java or the daemon says into one {@link GatewayException} with a one-line
 * message. The daemon's words are kept; only the classification is ours.
 */
final class Errors {

    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern STATUS_PREFIX = Pattern.compile("^Status \\d+:\\s*");

    private Errors() {}

    /**
     * Classifies a failure of {@code action} (e.g. "connect swtest-c1 to swtest-n1").
     *
     * @param endpoint the daemon address, named when it cannot be reached
     */
    static GatewayException map(RuntimeException e, String action, String endpoint) {
        IOException io = ioCause(e);
        if (io != null && !(e instanceof DockerException)) {
            return unavailable(endpoint, io);
        }
        String message = daemonMessage(e);
        int status = e instanceof DockerException d ? d.getHttpStatus() : 0;
        return classify(status, message, action, e);
    }

    /** Classifies an HTTP status and the daemon's message text (for calls made without docker-java's beans). */
    static GatewayException classify(int status, String message, String action, Throwable cause) {
        String m = oneLine(message);
        String lower = m.toLowerCase(Locale.ROOT);
        Kind kind;
        if (status == 304
                || lower.contains("already exists in network")
                || lower.contains("is already attached")
                || lower.contains("is not connected to")) {
            // 20.10: "endpoint with name X already exists in network Y" (403) on a second connect,
            // "container <id> is not connected to [the ]network Y" (500) on a second disconnect.
            kind = Kind.ALREADY;
        } else if (status == 404 || lower.startsWith("no such ") || lower.endsWith(" not found")) {
            kind = Kind.NOT_FOUND;
        } else if (status == 409 || lower.contains("already exists") || lower.contains("has active endpoints")) {
            kind = Kind.CONFLICT;
        } else {
            kind = Kind.REFUSED;
        }
        return new GatewayException(kind, action + ": " + m, cause);
    }

    static GatewayException unavailable(String endpoint, Throwable cause) {
        return unavailable(endpoint, cause, false);
    }

    /**
     * @param tls the daemon is reached over TLS with a client certificate: with TLS 1.3 a daemon
     *     that refuses the certificate does so after the client's side of the handshake is done,
     *     so the client may only see the connection closed (a broken pipe) on every try
     */
    static GatewayException unavailable(String endpoint, Throwable cause, boolean tls) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : oneLine(cause.getMessage());
        Throwable handshake = tlsCause(cause);
        if (handshake != null || tls && RenewingHttpClient.stale(cause)) {
            // The daemon answered, but one side did not trust the other's certificate (or one of us spoke no TLS).
            String what = handshake != null ? oneLine(RenewingHttpClient.rootMessage(handshake))
                    : "the daemon closed the connection on every try: " + oneLine(RenewingHttpClient.rootMessage(cause))
                            + ", as a daemon does on TLS 1.3 when it refuses the client certificate";
            return new GatewayException(Kind.UNAVAILABLE, "cannot reach the Docker daemon at " + endpoint
                    + ": the TLS handshake failed (" + what + "); check that"
                    + " DOCKER_CERT_PATH (or the docker context's TLS files) holds the CA that signed the daemon's"
                    + " certificate as ca.pem and a client certificate the daemon trusts as cert.pem and key.pem,"
                    + " and that DOCKER_HOST names the host the daemon's certificate is for", cause);
        }
        if (RenewingHttpClient.stale(cause)) {
            // The daemon accepted the connection, so it is not "down": it dropped the request unanswered,
            // and did so again on a new connection (a single stale kept connection is retried silently).
            return new GatewayException(Kind.UNAVAILABLE, "the Docker daemon at " + endpoint
                    + " closed the connection without answering (" + oneLine(RenewingHttpClient.rootMessage(cause))
                    + "), also when asked again on a new connection; it may be restarting or overloaded,"
                    + " see its log (journalctl -u docker)", cause);
        }
        return new GatewayException(Kind.UNAVAILABLE, "cannot reach the Docker daemon at " + endpoint + " (" + why
                + "); is the Docker daemon running? set DOCKER_HOST to its address", cause);
    }

    /** The daemon's {@code message} field if the text carries one, else the text itself, on one line. */
    static String daemonMessage(Throwable e) {
        String raw = e.getMessage();
        if (raw == null) {
            return e.getClass().getSimpleName();
        }
        Matcher m = JSON_MESSAGE.matcher(raw);
        if (m.find()) {
            return unescape(m.group(1));
        }
        return STATUS_PREFIX.matcher(oneLine(raw)).replaceFirst("");
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\n", " ").replace("\\\\", "\\");
    }

    private static Throwable tlsCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return t;
            }
        }
        return null;
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
