package io.stackwire.model.yaml;

import java.util.Collection;

/** "Did you mean" suggestions by edit distance. */
public final class Suggest {

    private Suggest() {}

    /** The closest candidate within a small edit distance, or null. */
    public static String closest(String input, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int limit = Math.max(1, Math.min(3, (input.length() + 1) / 3));
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

    /** Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
