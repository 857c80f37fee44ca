package io.stackwire.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Canonical text of IP literals and CIDRs, so {@code 2001:DB8:0::1} and {@code 2001:db8::1} compare
 * equal. Parses by hand: never resolves names (no DNS), and never turns an IPv4-mapped IPv6 address
 * into an IPv4 one the way {@code InetAddress} does.
 */
public final class Addresses {

    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private Addresses() {}

    /**
     * The canonical form of an IP literal: dotted quad without leading zeros, or RFC 5952 IPv6
     * (lower case, shortest, {@code ::} for the longest zero run). Null and blank give null; text
     * that is not an IP literal comes back trimmed, unchanged.
     */
    public static String ip(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        String zone = "";
        int pct = s.indexOf('%');
        if (pct > 0 && s.contains(":")) {
            zone = s.substring(pct);
            s = s.substring(0, pct);
        }
        int[] v4 = ipv4(s);
        if (v4 != null) {
            return v4[0] + "." + v4[1] + "." + v4[2] + "." + v4[3];
        }
        int[] v6 = ipv6(s);
        if (v6 != null) {
            return format6(v6) + zone;
        }
        return text.trim();
    }

    /** Canonical text of an address or an {@code ADDR/LEN}, whichever it is; null and blank give null. */
    public static String canonical(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return text.contains("/") ? cidr(text) : ip(text);
    }

    /** {@code ADDR/LEN} with a canonical address and a plain prefix length; other text comes back trimmed. */
    public static String cidr(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            return ip(s);
        }
        String len = s.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
            return s;
        }
        return ip(s.substring(0, slash)) + "/" + Integer.parseInt(len);
    }

    /**
     * True if the address lies in the CIDR (same family, same leading prefix bits). False for
     * anything that does not parse.
     */
    public static boolean inSubnet(String address, String cidr) {
        if (address == null || cidr == null || cidr.indexOf('/') < 0) {
            return false;
        }
        String len = cidr.substring(cidr.indexOf('/') + 1).trim();
        int[] a = groups16(address.trim());
        int[] n = groups16(cidr.substring(0, cidr.indexOf('/')).trim());
        if (a == null || n == null || a.length != n.length || len.isEmpty() || !len.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int bits = Integer.parseInt(len);
        int width = 16;
        if (bits > a.length * width) {
            return false;
        }
        for (int i = 0; i < a.length && bits > 0; i++, bits -= width) {
            int take = Math.min(bits, width);
            int mask = (0xffff << (width - take)) & 0xffff;
            if ((a[i] & mask) != (n[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** An address as 16-bit groups: two for IPv4, eight for IPv6. */
    private static int[] groups16(String s) {
        int[] v4 = ipv4(s);
        if (v4 != null) {
            return new int[] {(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]};
        }
        return ipv6(s);
    }

    /** True if the text is an IPv4 or IPv6 literal (optionally in brackets). */
    public static boolean isIp(String text) {
        if (text == null) {
            return false;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int pct = s.indexOf('%');
        if (pct > 0) {
            s = s.substring(0, pct);
        }
        return ipv4(s) != null || ipv6(s) != null;
    }

    /** Four octets, or null if not a dotted quad; parsed by hand (this runs for every address compared). */
    private static int[] ipv4(String s) {
        int[] out = new int[4];
        int part = 0;
        int digits = 0;
        int value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
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

    /** Eight 16-bit groups, or null if not an IPv6 literal. */
    private static int[] ipv6(String s) {
        if (!s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
            return null;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head, dbl < 0);
        int[] t = groups(tail, true);
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

    /** Parses colon-separated hex groups; the last may be a dotted quad (two groups) if allowed. */
    private static int[] groups(String s, boolean quadAllowedAtEnd) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int n = parts.length;
        boolean quad = quadAllowedAtEnd && parts[n - 1].contains(".");
        int[] out = new int[quad ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (i == n - 1 && quad) {
                int[] v4 = ipv4(p);
                if (v4 == null) {
                    return null;
                }
                out[i] = (v4[0] << 8) | v4[1];
                out[i + 1] = (v4[2] << 8) | v4[3];
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || p.contains(".")) {
                return null;
            }
            out[i] = Integer.parseInt(p, 16);
        }
        return out;
    }

    private static String format6(int[] g) {
        // IPv4-mapped addresses keep the dotted tail (RFC 5952 section 5).
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + "." + (g[7] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
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
        if (bestLen < 2) {
            bestStart = -1;
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
            b.append(Integer.toHexString(g[i]).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }
}
