package io.stackwire.model.yaml;

import java.util.Collection;

/** "Did you mean" suggestions by edit distance. */
final class Suggest {

    private Suggest() {}

    /** The closest candidate within a small edit distance, or null. */
    static String closest(String input, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int limit = Math.max(1, Math.min(3, input.length() / 3));
        for (String c : candidates) {
            if (Math.abs(c.length() - input.length()) > limit) {
                continue;
            }
            int d = distance(input.toLowerCase(), c.toLowerCase());
            if (d <= limit && (d < bestDistance || (d == bestDistance && c.compareTo(best) < 0))) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** " (did you mean 'x'?)"-style hint, or the fallback when nothing is close. */
    static String hint(String input, Collection<String> candidates, String fallback) {
        String c = closest(input, candidates);
        return c != null ? "did you mean '" + c + "'?" : fallback;
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
