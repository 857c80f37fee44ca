package io.stackwire.reconcile.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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

    // Far above any answer the daemon gives (a list of 1,000 containers is under 2 MiB).
    private static final int MAX_BODY = 256 << 20;
    private static final int MAX_LINE = 64 << 10;
    private static final int MAX_HEADERS = 200;

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
                return Map.of("Api-Version", List.of(r.apiVersion()), "Date", List.of(r.date()));
            }

            @Override
            public String getHeader(String name) {
                // Only the two headers the gateway reads are kept; "" is a header the daemon did not send.
                String v = "api-version".equalsIgnoreCase(name) ? r.apiVersion() : "date".equalsIgnoreCase(name) ? r.date() : "";
                return v.isEmpty() ? null : v;
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
            Parsed p = read(c.in);
            reusable = p.keepAlive;
            return p.response;
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

    private record Parsed(Response response, boolean keepAlive) {}

    /** Reads one response: status line, headers, then a chunked, sized or close-delimited body. */
    static Parsed read(InputStream in) throws IOException {
        String status = line(in);
        // "HTTP/1.1 200 OK"
        if (!status.startsWith("HTTP/1.") || status.length() < 12) {
            throw new ProtocolException("not an HTTP answer: " + abbreviate(status));
        }
        int code;
        try {
            code = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad HTTP status line: " + abbreviate(status));
        }
        boolean keepAlive = status.startsWith("HTTP/1.1");
        boolean chunked = false;
        long length = -1;
        String apiVersion = "";
        String date = "";
        for (int n = 0;; n++) {
            String h = line(in);
            if (h.isEmpty()) {
                break;
            }
            if (n >= MAX_HEADERS) {
                throw new ProtocolException("too many HTTP headers");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("bad HTTP header: " + abbreviate(h));
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new ProtocolException("bad Content-Length: " + abbreviate(value));
                    }
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                case "connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    keepAlive = v.contains("keep-alive") || (keepAlive && !v.contains("close"));
                }
                case "api-version" -> apiVersion = value;
                case "date" -> date = value;
                default -> { }
            }
        }
        byte[] body;
        if (code == 204 || code == 304 || (code >= 100 && code < 200)) {
            body = new byte[0];
        } else if (chunked) {
            body = chunks(in);
        } else if (length >= 0) {
            if (length > MAX_BODY) {
                throw new ProtocolException("answer too large: " + length + " bytes");
            }
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new EOFException("the daemon closed the connection after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = upTo(in, MAX_BODY);
            keepAlive = false; // the end of the body was the end of the connection
        }
        return new Parsed(new Response(code, apiVersion, date, body), keepAlive);
    }

    private static byte[] chunks(InputStream in) throws IOException {
        byte[] buf = new byte[16 << 10];
        int len = 0;
        while (true) {
            String sizeLine = line(in);
            int semi = sizeLine.indexOf(';'); // chunk extensions are allowed and ignored
            String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size < 0 || len + (long) size > MAX_BODY) {
                throw new ProtocolException("answer too large");
            }
            if (size == 0) {
                while (!line(in).isEmpty()) {
                    // trailers: none we need
                }
                return Arrays.copyOf(buf, len);
            }
            if (len + size > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(MAX_BODY, Math.max(2L * buf.length, len + (long) size)));
            }
            if (in.readNBytes(buf, len, size) < size) {
                throw new EOFException("the daemon closed the connection inside a chunk");
            }
            len += size;
            if (!line(in).isEmpty()) {
                throw new ProtocolException("missing CRLF after a chunk");
            }
        }
    }

    private static byte[] upTo(InputStream in, int max) throws IOException {
        byte[] b = in.readNBytes(max + 1);
        if (b.length > max) {
            throw new ProtocolException("answer too large");
        }
        return b;
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1, without the terminator. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(sb.length() == 0 ? "the daemon closed the connection" : "the daemon closed the connection mid-line");
            }
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new ProtocolException("HTTP line too long");
            }
            sb.append((char) b);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
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
