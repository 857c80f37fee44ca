package io.stackwire.model;

import java.util.regex.Pattern;

/**
 * Reads and prints IP literals by hand on small int arrays: no DNS, no {@code InetAddress}, and
 * cheap enough for the planner, which canonicalises every address it compares. {@code strict} is
 * the spec's reading (see {@link IpAddress#parse}); lenient is for text from the daemon and the host.
 */
final class IpLiterals {

    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private IpLiterals() {}

    /**
     * Four octets, or null if not a dotted quad. Strict refuses leading zeros, as Go's net.ParseIP
     * (and so Docker) does; lenient reads {@code 010} as 10.
     */
    static int[] v4(String s, boolean strict) {
        int[] out = new int[4];
        int part = 0;
        int digits = 0;
        int value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3 || (strict && digits == 2 && value == 0)) {
                    return null;
                }
                value = value * 10 + (c - '0');
            } else if (c == '.' && digits > 0 && part < 3) {
                if (value > 255) {
                    return null;
                }
                out[part++] = value;
                digits = 0;
                value = 0;
            } else {
                return null;
            }
        }
        if (part != 3 || digits == 0 || value > 255) {
            return null;
        }
        out[3] = value;
        return out;
    }

    /**
     * Eight 16-bit groups, or null if not an IPv6 literal. Lenient takes only ASCII and a dotted
     * quad only at the very end; strict, as the spec loader always did, also takes one just before
     * the "::" and any Unicode hex digit.
     */
    static int[] v6(String s, boolean strict) {
        if (s.indexOf(':') < 0 || (!strict && !IPV6_CHARS.matcher(s).matches())) {
            return null;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head, strict || dbl < 0, strict);
        int[] t = groups(tail, true, strict);
        if (h == null || t == null) {
            return null;
        }
        int total = h.length + t.length;
        if (dbl < 0 ? total != 8 : total > 7) {
            return null;
        }
        int[] out = new int[8];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(t, 0, out, 8 - t.length, t.length);
        return out;
    }

    /** 16-bit groups of one side of "::"; a dotted quad at the end, where allowed, counts as two. */
    private static int[] groups(String s, boolean quadAllowedAtEnd, boolean strict) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int n = parts.length;
        boolean quad = quadAllowedAtEnd && parts[n - 1].indexOf('.') >= 0;
        int[] out = new int[quad ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (i == n - 1 && quad) {
                int[] q = v4(p, strict);
                if (q == null) {
                    return null;
                }
                out[i] = (q[0] << 8) | q[1];
                out[i + 1] = (q[2] << 8) | q[3];
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int g = 0;
            for (int j = 0; j < p.length(); j++) {
                int d = Character.digit(p.charAt(j), 16);
                if (d < 0) {
                    return null;
                }
                g = g * 16 + d;
            }
            out[i] = g;
        }
        return out;
    }

    /** An address as 16-bit groups (two for IPv4, eight for IPv6), lenient; null if not one. */
    static int[] groups16(String s) {
        int[] q = v4(s, false);
        if (q != null) {
            return new int[] {(q[0] << 8) | q[1], (q[2] << 8) | q[3]};
        }
        return v6(s, false);
    }

    static String format4(int[] q) {
        return q[0] + "." + q[1] + "." + q[2] + "." + q[3];
    }

    /**
     * RFC 5952 text: lower case, the first longest run (two or more) of zero groups as "::", and,
     * with {@code dottedMapped}, an IPv4-mapped address's tail as a dotted quad (section 5).
     */
    static String format6(int[] g, boolean dottedMapped) {
        if (dottedMapped && g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + "." + (g[7] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }
}
