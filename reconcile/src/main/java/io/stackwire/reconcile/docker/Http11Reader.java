package io.stackwire.reconcile.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.Arrays;
import java.util.Locale;

/** Reads one HTTP/1.1 answer off a stream for {@link UnixSocketReads}, with limits far above any answer the daemon gives. */
final class Http11Reader {

    // Far above any answer the daemon gives (a list of 1,000 containers is under 2 MiB).
    private static final int MAX_BODY = 256 << 20;
    private static final int MAX_LINE = 64 << 10;
    private static final int MAX_HEADERS = 200;

    private Http11Reader() {}

    record Parsed(UnixSocketReads.Response response, boolean keepAlive) {}

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
        return new Parsed(new UnixSocketReads.Response(code, apiVersion, date, body), keepAlive);
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
}
