package io.stackwire.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A published port in {@code docker run -p} syntax: {@code [[HOST_IP:][HOST_PORT[-END]]:]CONTAINER_PORT[-END][/PROTO]}.
 * Parses the user's text and prints the canonical form back ({@link #toString()}).
 *
 * @param hostIp empty for every interface (Docker reports 0.0.0.0 and ::), else an IPv4 or IPv6
 *     address without brackets; may still hold a {@code ${variable}} before host resolution
 * @param hostPortStart 0 when Docker picks a random host port
 * @param hostPortEnd equal to the start for a single port; 0 when random
 */
public record PortBinding(
        String hostIp, int hostPortStart, int hostPortEnd, int containerPortStart, int containerPortEnd, Protocol protocol) {

    public static final int MAX_PORT = 65535;

    public PortBinding {
        hostIp = hostIp == null ? "" : hostIp;
        Objects.requireNonNull(protocol, "protocol");
        if (containerPortStart < 1 || containerPortEnd > MAX_PORT || containerPortEnd < containerPortStart) {
            throw new Invalid(Invalid.Reason.OUT_OF_RANGE, "container port out of range 1-65535: " + containerPortStart + "-" + containerPortEnd);
        }
        if (hostPortStart != 0 || hostPortEnd != 0) {
            if (hostPortStart < 1 || hostPortEnd > MAX_PORT || hostPortEnd < hostPortStart) {
                throw new Invalid(Invalid.Reason.OUT_OF_RANGE, "host port out of range 1-65535: " + hostPortStart + "-" + hostPortEnd);
            }
            int hostLen = hostPortEnd - hostPortStart;
            int containerLen = containerPortEnd - containerPortStart;
            // Docker accepts a host range for one container port (it picks one), otherwise equal lengths.
            if (containerLen != 0 && hostLen != containerLen) {
                throw new Invalid(Invalid.Reason.RANGE_MISMATCH, "host port range " + hostPortStart + "-" + hostPortEnd
                        + " and container port range " + containerPortStart + "-" + containerPortEnd
                        + " differ in length; Docker requires ranges of equal length");
            }
        }
    }

    /** A refused port; its reason says which rule was broken, so callers need not read the message. */
    public static final class Invalid extends IllegalArgumentException {

        /** Which rule the text or values broke. */
        public enum Reason { SYNTAX, OUT_OF_RANGE, RANGE_MISMATCH }

        private final Reason reason;

        Invalid(Reason reason, String message) {
            this(reason, message, null);
        }

        Invalid(Reason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** A single container port on every interface with a random host port, tcp. */
    public static PortBinding of(int containerPort) {
        return new PortBinding("", 0, 0, containerPort, containerPort, Protocol.TCP);
    }

    /**
     * Parses one {@code -p} value.
     *
     * @throws Invalid with a message that names the input and what is wrong
     */
    public static PortBinding parse(String text) {
        if (text == null || text.isBlank()) {
            throw new Invalid(Invalid.Reason.SYNTAX, "empty port mapping");
        }
        String s = text.trim();
        Protocol protocol = Protocol.TCP;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            String proto = s.substring(slash + 1);
            protocol = Protocol.fromDockerName(proto);
            if (protocol == null) {
                throw new Invalid(Invalid.Reason.SYNTAX, "unknown protocol '" + proto + "' in '" + text + "' (use tcp, udp or sctp)");
            }
            s = s.substring(0, slash);
        }
        String hostIp = "";
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new Invalid(Invalid.Reason.SYNTAX, "bad IPv6 host address in '" + text + "' (write it as [ADDR]:HOST:CONTAINER)");
            }
            hostIp = s.substring(1, close);
            if (hostIp.isEmpty()) {
                throw new Invalid(Invalid.Reason.SYNTAX, "empty IPv6 host address in '" + text + "'");
            }
            s = s.substring(close + 2);
            if (!s.contains(":")) {
                // [::1]:80 is ambiguous; Docker wants [::1]::80 or [::1]:8080:80.
                throw new Invalid(Invalid.Reason.SYNTAX, "'" + text + "' names a host address but no host port part;"
                        + " write [" + hostIp + "]::PORT for a random host port");
            }
        }
        String[] parts = s.split(":", -1);
        String hostPorts;
        String containerPorts;
        switch (parts.length) {
            case 1 -> {
                hostPorts = "";
                containerPorts = parts[0];
            }
            case 2 -> {
                hostPorts = parts[0];
                containerPorts = parts[1];
            }
            case 3 -> {
                if (!hostIp.isEmpty()) {
                    throw new Invalid(Invalid.Reason.SYNTAX, "too many ':' in '" + text + "'");
                }
                hostIp = parts[0];
                hostPorts = parts[1];
                containerPorts = parts[2];
                if (hostIp.isEmpty()) {
                    throw new Invalid(Invalid.Reason.SYNTAX, "empty host address in '" + text + "' (drop the leading ':')");
                }
            }
            default -> throw new Invalid(Invalid.Reason.SYNTAX, "too many ':' in '" + text
                    + "' (IPv6 host addresses go in brackets: [::1]:8080:80)");
        }
        int[] container = range(containerPorts, "container", text);
        int[] host = hostPorts.isEmpty() ? new int[] {0, 0} : range(hostPorts, "host", text);
        try {
            return new PortBinding(hostIp.toLowerCase(Locale.ROOT), host[0], host[1], container[0], container[1], protocol);
        } catch (Invalid e) {
            throw new Invalid(e.reason(), e.getMessage() + " in '" + text + "'", e);
        }
    }

    private static int[] range(String s, String what, String text) {
        int dash = s.indexOf('-');
        int start = port(dash < 0 ? s : s.substring(0, dash), what, text);
        int end = dash < 0 ? start : port(s.substring(dash + 1), what, text);
        if (end < start) {
            throw new Invalid(Invalid.Reason.SYNTAX, what + " port range " + s + " ends before it starts in '" + text + "'");
        }
        return new int[] {start, end};
    }

    private static int port(String s, String what, String text) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new Invalid(Invalid.Reason.SYNTAX, "invalid " + what + " port '" + s + "' in '" + text + "'");
        }
        int p = Integer.parseInt(s);
        if (p < 1 || p > MAX_PORT) {
            throw new Invalid(Invalid.Reason.OUT_OF_RANGE, what + " port " + p + " is outside 1-65535 in '" + text + "'");
        }
        return p;
    }

    public boolean randomHostPort() {
        return hostPortStart == 0;
    }

    public boolean allInterfaces() {
        return hostIp.isEmpty();
    }

    /** Number of container ports this binding publishes. */
    public int size() {
        return containerPortEnd - containerPortStart + 1;
    }

    /**
     * One binding per container port, as the daemon stores them: {@code 5000-5100:2000-2100} is 101
     * bindings. A host range for a single container port stays a range (Docker picks one of it).
     */
    public List<PortBinding> expand() {
        if (size() == 1) {
            return List.of(this);
        }
        List<PortBinding> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            int h = randomHostPort() ? 0 : hostPortStart + i;
            out.add(new PortBinding(hostIp, h, h, containerPortStart + i, containerPortStart + i, protocol));
        }
        return out;
    }

    /** The canonical {@code -p} text, e.g. {@code 127.0.0.1::5432/udp} or {@code [::1]:8080:80}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (!hostIp.isEmpty()) {
            b.append(hostIp.contains(":") ? "[" + hostIp + "]" : hostIp).append(':');
        }
        if (!randomHostPort()) {
            b.append(hostPortStart);
            if (hostPortEnd != hostPortStart) {
                b.append('-').append(hostPortEnd);
            }
            b.append(':');
        } else if (!hostIp.isEmpty()) {
            b.append(':');
        }
        b.append(containerPortStart);
        if (containerPortEnd != containerPortStart) {
            b.append('-').append(containerPortEnd);
        }
        if (protocol != Protocol.TCP) {
            b.append('/').append(protocol.dockerName());
        }
        return b.toString();
    }
}
