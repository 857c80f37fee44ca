package io.stackwire.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Deterministic JSON text of normalised values and its SHA-256, for hashes and fingerprints. */
final class CanonicalJson {

    private CanonicalJson() {}

    /**
     * Deterministic JSON of a normalised value (String, Boolean, Number, List, Map with its keys
     * sorted), for hashes and fingerprints.
     */
    static String of(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            quote(b, s);
        } else if (v instanceof Boolean || v instanceof Number) {
            b.append(v);
        } else if (v instanceof Map<?, ?> map) {
            Map<?, ?> sorted = map;
            if (!(map instanceof SortedMap<?, ?> sm && sm.comparator() == null && allStringKeys(sm))) {
                TreeMap<String, Object> copy = new TreeMap<>();
                map.forEach((k, x) -> copy.put(String.valueOf(k), x));
                sorted = copy;
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : sorted.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                quote(b, (String) e.getKey());
                b.append(':');
                write(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof Collection<?> list) {
            b.append('[');
            boolean first = true;
            for (Object x : list) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                write(b, x);
            }
            b.append(']');
        } else {
            quote(b, v.toString());
        }
    }

    private static boolean allStringKeys(SortedMap<?, ?> m) {
        return m.isEmpty() || m.firstKey() instanceof String;
    }

    private static void quote(StringBuilder b, String s) {
        if (plain(s)) {
            b.append('"').append(s).append('"');
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes. */
    static String sha256Hex(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
