package io.stackwire.reconcile.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * docker-java's transport, renewed when its pooled connections went stale (the daemon restarted).
 *
 * <p>The zerodep transport keeps up to a dozen kept-alive connections and never validates one
 * before reuse (docker-java builds its pool with validation off and offers no option to turn it
 * on). After a daemon restart every pooled connection points at the dead process, and each change
 * failed with "Broken pipe" until the pool had used them all up, one to several minutes of passes.
 *
 * <p>A request that fails with a stale-connection signature ({@link #stale}) is sent once more on a
 * new transport, whose pool starts empty, so the retry cannot meet another stale connection. The
 * old transport is closed. A request that was running on that old transport when it was closed
 * is also sent once more.
 *
 * <p>Why the retry is safe for a POST: it only happens when no byte of an answer arrived, and the
 * signatures mean the daemon did not read the request. "Broken pipe" is a write refused because the
 * peer had closed; "Connection reset" is the peer's kernel discarding what we sent unread; on a Unix
 * socket (the usual address) a write to a dead peer always fails one of these two ways. "No response"
 * / "Connection closed" before a status line are what a stale TCP connection gives (the write is
 * buffered, then the read sees the old FIN). A daemon that read the request and then died before
 * answering gives the same signature; the retry then reaches the restarted daemon, and Docker's
 * changes we send are guarded by name (network create with CheckDuplicate, connect of an attached
 * endpoint, a named container create): a repeat is refused as already done, never applied twice.
 * Requests with a streamed body or a hijacked connection cannot be replayed and are not retried.
 */
final class RenewingHttpClient implements DockerHttpClient {

    private static final System.Logger LOG = System.getLogger(RenewingHttpClient.class.getName());

    private final Supplier<DockerHttpClient> factory;
    private DockerHttpClient current;
    private long renewals;
    private boolean closed;

    RenewingHttpClient(Supplier<DockerHttpClient> factory) {
        this.factory = factory;
        this.current = factory.get();
    }

    @Override
    public Response execute(Request request) {
        DockerHttpClient used = current();
        try {
            return used.execute(request);
        } catch (RuntimeException e) {
            if (!replayable(request) || !(stale(e) || retired(used))) {
                throw e;
            }
            DockerHttpClient fresh = renew(used);
            LOG.log(System.Logger.Level.DEBUG, () -> request.method() + " " + request.path()
                    + ": a kept connection to the daemon was stale (" + Errors.oneLine(rootMessage(e))
                    + "); sent again on a new connection");
            try {
                return fresh.execute(request);
            } catch (RuntimeException again) {
                again.addSuppressed(e);
                throw again;
            }
        }
    }

    /**
     * Drops every pooled connection: the next request opens a new one. Called when the event
     * stream had to reconnect, since that means the daemon went away and every kept connection with it.
     */
    void renew() {
        DockerHttpClient used;
        synchronized (this) {
            if (closed) {
                return;
            }
            used = current;
        }
        renew(used);
    }

    /** How often the transport was renewed (for tests). */
    synchronized long renewals() {
        return renewals;
    }

    private synchronized DockerHttpClient current() {
        if (closed) {
            throw new IllegalStateException("the Docker client is closed");
        }
        return current;
    }

    private synchronized boolean retired(DockerHttpClient used) {
        return used != current && !closed;
    }

    /** Replaces {@code used} unless another thread already did; closes it. */
    private DockerHttpClient renew(DockerHttpClient used) {
        DockerHttpClient old;
        DockerHttpClient now;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the Docker client is closed");
            }
            if (current != used) {
                return current;
            }
            old = current;
            current = factory.get();
            renewals++;
            now = current;
        }
        closeQuietly(old);
        return now;
    }

    private static boolean replayable(Request request) {
        // body() also answers bodyBytes() as a stream; only a body that is a stream of its own is spent.
        return request.hijackedInput() == null && (request.bodyBytes() != null || request.body() == null);
    }

    /** Whether {@code e} says a kept connection was dead before any answer arrived (see the class comment). */
    static boolean stale(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!(t instanceof IOException)) {
                continue;
            }
            // The transport's HttpClient is shaded into docker-java's jar: match by simple name.
            String type = t.getClass().getSimpleName();
            if (type.equals("NoHttpResponseException") || type.equals("ConnectionClosedException")) {
                return true;
            }
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("broken pipe") || m.contains("connection reset")) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() throws IOException {
        DockerHttpClient last;
        synchronized (this) {
            closed = true;
            last = current;
        }
        last.close();
    }

    private static void closeQuietly(DockerHttpClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a stale Docker transport: " + e.getMessage());
        }
    }
}
