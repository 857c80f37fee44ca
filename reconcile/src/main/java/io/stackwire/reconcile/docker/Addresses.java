package io.stackwire.reconcile.docker;

import java.util.Locale;

/**
 * Canonical text for IP addresses and CIDR subnets: IPv6 compressed and lower case (RFC 5952),
 * IPv4 untouched. The daemon echoes IPv6 in whatever form it was given, so both sides of a
 * comparison go through here.
 */
final class Addresses {

    private Addresses() {}

    /** Canonical form of an address or {@code addr/prefix}; null and blank give null; unparsable text is returned as is. */
    static String canonical(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        if (!s.contains(":")) {
            return s;
        }
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        String suffix = slash < 0 ? "" : s.substring(slash);
        int[] groups = parseIpv6(addr);
        return groups == null ? s.toLowerCase(Locale.ROOT) : format(groups) + suffix;
    }

    /** The eight 16-bit groups, or null when the text is not an IPv6 literal. */
    private static int[] parseIpv6(String s) {
        int zone = s.indexOf('%');
        if (zone >= 0) {
            return null;
        }
        String head = s;
        String tail = "";
        int dbl = s.indexOf("::");
        if (dbl >= 0) {
            if (s.indexOf("::", dbl + 1) >= 0) {
                return null;
            }
            head = s.substring(0, dbl);
            tail = s.substring(dbl + 2);
        }
        int[] h = parseGroups(head);
        int[] t = parseGroups(tail);
        if (h == null || t == null) {
            return null;
        }
        if (dbl < 0 ? h.length != 8 : h.length + t.length > 7) {
            return null;
        }
        int[] out = new int[8];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(t, 0, out, 8 - t.length, t.length);
        return out;
    }

    private static int[] parseGroups(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int n = parts.length;
        boolean dotted = parts[n - 1].contains(".");
        int[] out = new int[dotted ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (dotted && i == n - 1) {
                String[] q = p.split("\\.", -1);
                if (q.length != 4) {
                    return null;
                }
                int[] b = new int[4];
                for (int j = 0; j < 4; j++) {
                    if (q[j].isEmpty() || q[j].length() > 3 || !q[j].chars().allMatch(Character::isDigit)) {
                        return null;
                    }
                    b[j] = Integer.parseInt(q[j]);
                    if (b[j] > 255) {
                        return null;
                    }
                }
                out[i] = b[0] << 8 | b[1];
                out[i + 1] = b[2] << 8 | b[3];
            } else {
                if (p.isEmpty() || p.length() > 4) {
                    return null;
                }
                try {
                    out[i] = Integer.parseInt(p, 16);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return out;
    }

    private static String format(int[] g) {
        // Longest run of two or more zero groups becomes "::" (first one wins on a tie).
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
