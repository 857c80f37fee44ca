package io.stackwire.reconcile.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 GETs over the daemon's Unix socket, for the reads of an observation only: one
 * implementation of docker-java's {@link DockerHttpClient} seam, beside its zerodep client, that
 * answers bodiless GETs and refuses every other request.
 *
 * <p>Why not docker-java here: a no-op plan of 1,000 containers makes 1,000 inspects, and on a
 * cold JVM the zerodep transport's Apache HttpClient pipeline costs about a millisecond of CPU per
 * call, which alone broke the 1.5 s budget (docs/benchmarks.md). These reads need none of its
 * features: no TLS, no redirects, no auth, no request body. Everything that changes the daemon,
 * the event stream and every {@code tcp://} daemon still go through docker-java.
 *
 * <p>Connections are kept alive and reused; a reused one the daemon closed in the meantime is
 * retried once on a new one (a GET is safe to repeat). Each exchange has a deadline, enforced by
 * closing its connection, since a blocking channel has no read timeout.
 */
final class UnixSocketReads implements DockerHttpClient {

    /**
     * One answer: the status, the daemon's {@code Api-Version} and {@code Date} headers (or empty)
     * and the body.
     */
    record Response(int status, String apiVersion, String date, byte[] body) {}

    private final UnixDomainSocketAddress address;
    private final Duration timeout;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService deadlines;
    private volatile boolean closed;

    UnixSocketReads(Path socket, Duration timeout) {
        this.address = UnixDomainSocketAddress.of(socket);
        this.timeout = timeout;
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "stackwire-docker-deadline");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true); // a thousand cancelled deadlines must not pile up
        this.deadlines = s;
    }

    /** The socket path of a {@code unix://} daemon address, or null for any other address. */
    static Path socketOf(String dockerHost) {
        if (dockerHost == null || !dockerHost.startsWith("unix://")) {
            return null;
        }
        String path = dockerHost.substring("unix://".length());
        return path.isEmpty() ? null : Path.of(path);
    }

    /**
     * GETs {@code path} (with its query). Any status is returned; only a failure to talk to the
     * daemon throws.
     *
     * @throws SocketTimeoutException when no full answer came within the timeout
     */
    Response get(String path) throws IOException {
        Connection c = idle.pollFirst();
        if (c != null) {
            try {
                return exchange(c, path);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                // The daemon may close an idle kept-alive connection at any time: one fresh try.
                if (closed) {
                    throw e;
                }
            }
        }
        return exchange(connect(), path);
    }

    /**
     * {@link #get} behind the seam: a bodiless GET only. A failure to talk to the daemon is an
     * {@link UncheckedIOException} whose cause is the {@link IOException} {@link #get} threw.
     */
    @Override
    public DockerHttpClient.Response execute(DockerHttpClient.Request request) {
        if (!"GET".equals(request.method()) || request.bodyBytes() != null || request.body() != null
                || request.hijackedInput() != null) {
            throw new IllegalArgumentException("the socket reader only sends bodiless GETs, not " + request.method()
                    + " " + request.path());
        }
        Response r;
        try {
            r = get(request.path());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return new DockerHttpClient.Response() {
            @Override
            public int getStatusCode() {
                return r.status();
            }

            @Override
            public Map<String, List<String>> getHeaders() {
                Map<String, List<String>> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                if (!r.apiVersion().isEmpty()) {
                    kept.put("Api-Version", List.of(r.apiVersion()));
                }
                if (!r.date().isEmpty()) {
                    kept.put("Date", List.of(r.date()));
                }
                return kept;
            }

            @Override
            public String getHeader(String name) {
                // Only the two headers the gateway reads are kept.
                List<String> v = getHeaders().get(name);
                return v == null ? null : v.get(0);
            }

            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(r.body());
            }

            @Override
            public void close() {
                // the body was read whole; the connection went back to the pool already
            }
        };
    }

    private Connection connect() throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(address);
        } catch (IOException e) {
            ch.close();
            throw new IOException(address.getPath() + ": " + e.getMessage(), e);
        }
        Connection c = new Connection(ch);
        open.add(c);
        if (closed) { // close() ran meanwhile and did not see this one
            c.close();
            throw new IOException("closed");
        }
        return c;
    }

    private Response exchange(Connection c, String path) throws IOException {
        ScheduledFuture<?> deadline = deadlines.schedule(c::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        boolean reusable = false;
        try {
            c.out.write(("GET " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: stackwire\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            c.out.flush();
            Http11Reader.Parsed p = Http11Reader.read(c.in);
            reusable = p.keepAlive();
            return p.response();
        } catch (AsynchronousCloseException e) {
            if (c.expired) {
                SocketTimeoutException t = new SocketTimeoutException("no answer within " + timeout.toSeconds() + " s to GET " + path);
                t.initCause(e);
                throw t;
            }
            throw e;
        } finally {
            deadline.cancel(false);
            if (reusable && !c.expired && !closed) {
                idle.offerFirst(c);
            } else {
                c.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c : open) {
            c.close();
        }
        idle.clear();
        deadlines.shutdownNow();
    }

    private final class Connection {
        final SocketChannel channel;
        final InputStream in;
        final OutputStream out;
        volatile boolean expired;

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.in = new BufferedInputStream(Channels.newInputStream(channel), 16 << 10);
            this.out = Channels.newOutputStream(channel);
        }

        void expire() {
            expired = true;
            close();
        }

        void close() {
            open.remove(this);
            try {
                channel.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }
}
