package io.stackwire.reconcile.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * old transport is closed once no request runs on it any more (a renewal never cuts off a request
 * that is under way on a good connection, which could not be repeated safely).
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
    private Transport current;
    private long renewals;
    private boolean closed;

    /** One transport and the requests running on it (a response counts until it is closed). */
    private static final class Transport {
        final DockerHttpClient client;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicBoolean closedOnce = new AtomicBoolean();
        volatile boolean retired;

        Transport(DockerHttpClient client) {
            this.client = client;
        }

        void release() {
            if (inFlight.decrementAndGet() == 0 && retired) {
                closeQuietly();
            }
        }

        void closeQuietly() {
            if (!closedOnce.compareAndSet(false, true)) {
                return;
            }
            try {
                client.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a renewed Docker transport: " + e.getMessage());
            }
        }
    }

    RenewingHttpClient(Supplier<DockerHttpClient> factory) {
        this.factory = factory;
        this.current = new Transport(factory.get());
    }

    @Override
    public Response execute(Request request) {
        Transport used = acquire();
        try {
            return send(used, request);
        } catch (RuntimeException e) {
            if (!replayable(request) || !stale(e)) {
                throw e;
            }
            renew(used);
            LOG.log(System.Logger.Level.DEBUG, () -> request.method() + " " + request.path()
                    + ": a kept connection to the daemon was stale (" + Errors.oneLine(rootMessage(e))
                    + "); sent again on a new connection");
            try {
                return send(acquire(), request);
            } catch (RuntimeException again) {
                again.addSuppressed(e);
                throw again;
            }
        }
    }

    /** Sends on {@code t}, which was acquired for this request; releases it when the response is closed. */
    private static Response send(Transport t, Request request) {
        Response r;
        try {
            r = t.client.execute(request);
        } catch (RuntimeException e) {
            t.release();
            throw e;
        }
        return new Response() {
            private final AtomicBoolean done = new AtomicBoolean();

            @Override
            public int getStatusCode() {
                return r.getStatusCode();
            }

            @Override
            public Map<String, List<String>> getHeaders() {
                return r.getHeaders();
            }

            @Override
            public String getHeader(String name) {
                return r.getHeader(name);
            }

            @Override
            public InputStream getBody() {
                return r.getBody();
            }

            @Override
            public void close() {
                try {
                    r.close();
                } finally {
                    if (done.compareAndSet(false, true)) {
                        t.release();
                    }
                }
            }
        };
    }

    /**
     * Drops every pooled connection: the next request opens a new one. Called when the event
     * stream had to reconnect, since that means the daemon went away and every kept connection with it.
     */
    void renew() {
        Transport used;
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

    private synchronized Transport acquire() {
        if (closed) {
            throw new IllegalStateException("the Docker client is closed");
        }
        current.inFlight.incrementAndGet();
        return current;
    }

    /** Replaces {@code used} unless another thread already did; it is closed when its last request ends. */
    private void renew(Transport used) {
        synchronized (this) {
            if (closed || current != used) {
                return;
            }
            current = new Transport(factory.get());
            renewals++;
            used.retired = true;
        }
        if (used.inFlight.get() == 0) {
            used.closeQuietly();
        }
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

    /** Closes the current transport; a renewed one still serving a request closes when that request ends. */
    @Override
    public void close() throws IOException {
        Transport last;
        synchronized (this) {
            closed = true;
            last = current;
        }
        last.closedOnce.set(true);
        last.client.close();
    }
}
