package io.stackwire.model;

import java.math.BigInteger;

/**
 * An IPv4 or IPv6 address, and the one place that reads IP text. Parses by hand: never resolves
 * names (no DNS), and never turns an IPv4-mapped IPv6 address into an IPv4 one the way
 * {@code InetAddress} does.
 *
 * <p>Two readings: {@link #parse} is the spec's, strict, and gives a value; the static
 * {@code canonical…} methods compare text from the daemon and the host, are lenient and never
 * fail, so that {@code 2001:DB8:0::1} and {@code 2001:db8::1} compare equal.
 */
public record IpAddress(boolean v6, BigInteger value) implements Comparable<IpAddress> {

    /** The longest literal there is: six groups of four and a dotted quad with leading zeros. */
    private static final int MAX_LITERAL = 45;

    public int bits() {
        return v6 ? 128 : 32;
    }

    /**
     * A literal as written in a spec, without brackets or zone; null when {@code s} is not one.
     * Leading zeros in a dotted quad are refused, as Go's net.ParseIP (and so Docker) does.
     */
    public static IpAddress parse(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LITERAL) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            int[] g = IpLiterals.v6(s, true);
            if (g == null) {
                return null;
            }
            BigInteger v = BigInteger.ZERO;
            for (int x : g) {
                v = v.shiftLeft(16).or(BigInteger.valueOf(x));
            }
            return new IpAddress(true, v);
        }
        int[] q = IpLiterals.v4(s, true);
        return q == null ? null : new IpAddress(false, BigInteger.valueOf(((long) q[0] << 24) | (q[1] << 16) | (q[2] << 8) | q[3]));
    }

    /**
     * The canonical form of an IP literal: dotted quad without leading zeros, or RFC 5952 IPv6
     * (lower case, shortest, {@code ::} for the longest zero run, an IPv4-mapped tail dotted),
     * brackets dropped and a zone kept. Null and blank give null; text that is not an IP literal
     * comes back trimmed, unchanged.
     */
    public static String canonical(String text) {
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
        int[] q = IpLiterals.v4(s, false);
        if (q != null) {
            return IpLiterals.format4(q);
        }
        int[] g = IpLiterals.v6(s, false);
        if (g != null) {
            return IpLiterals.format6(g, true) + zone;
        }
        return text.trim();
    }

    /** Canonical text of an address or an {@code ADDR/LEN}, whichever it is; null and blank give null. */
    public static String canonicalAddressOrCidr(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return text.contains("/") ? canonicalCidr(text) : canonical(text);
    }

    /** {@code ADDR/LEN} with a canonical address and a plain prefix length; other text comes back trimmed. */
    public static String canonicalCidr(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            return canonical(s);
        }
        String len = s.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
            return s;
        }
        return canonical(s.substring(0, slash)) + "/" + Integer.parseInt(len);
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
        int[] a = IpLiterals.groups16(address.trim());
        int[] n = IpLiterals.groups16(cidr.substring(0, cidr.indexOf('/')).trim());
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

    /** True if the text is an IPv4 or IPv6 literal (optionally in brackets, with a zone). */
    public static boolean isLiteral(String text) {
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
        return IpLiterals.groups16(s) != null;
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = Boolean.compare(v6, o.v6);
        return c != 0 ? c : value.compareTo(o.value);
    }

    /**
     * Canonical text, as the spec loader has always printed it: like {@link #canonical(String)}
     * except that an IPv4-mapped address keeps hex groups ({@code ::ffff:a00:1}).
     */
    @Override
    public String toString() {
        if (!v6) {
            long v = value.longValue();
            return IpLiterals.format4(new int[] {(int) (v >>> 24 & 255), (int) (v >>> 16 & 255), (int) (v >>> 8 & 255), (int) (v & 255)});
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = value.shiftRight(16 * (7 - i)).intValue() & 0xffff;
        }
        return IpLiterals.format6(g, false);
    }
}
