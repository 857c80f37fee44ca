package io.stackwire.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which containers a {@code select:} entry stands for: every container (running or stopped) whose
 * labels include all of {@code labels} and whose name matches {@code namePattern}. Only the name
 * and the labels are read, both of which {@code GET /containers/json} lists, so matching never
 * needs a container inspect.
 *
 * @param entry the entry's key under {@code containers:}, unique across the spec
 * @param labels label key to exact value, all required; the compose shorthand is written here as
 *     {@link #COMPOSE_PROJECT} / {@link #COMPOSE_SERVICE}
 * @param namePattern a glob over the whole name ({@code *} any run, {@code ?} one character), or
 *     null for any name
 */
public record ContainerSelector(String entry, Map<String, String> labels, String namePattern) {

    public static final String COMPOSE_PROJECT = "com.docker.compose.project";
    public static final String COMPOSE_SERVICE = "com.docker.compose.service";

    public ContainerSelector {
        Objects.requireNonNull(entry, "entry");
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels == null ? Map.of() : labels));
        if (labels.isEmpty() && namePattern == null) {
            throw new IllegalArgumentException("a selector needs labels or a name pattern");
        }
    }

    /** Whether a container of this name (no leading slash) and these labels is selected. */
    public boolean matches(String name, Map<String, String> containerLabels) {
        for (Map.Entry<String, String> l : labels.entrySet()) {
            if (!l.getValue().equals(containerLabels.get(l.getKey()))) {
                return false;
            }
        }
        return namePattern == null || globMatches(namePattern, name);
    }

    /** At most one container can ever match: a name pattern without wildcards (a name, in effect). */
    public boolean single() {
        return namePattern != null && namePattern.indexOf('*') < 0 && namePattern.indexOf('?') < 0;
    }

    /** For people: {@code compose project shop, service web; labels tier=front; name shop-*}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        Map<String, String> rest = new TreeMap<>(labels);
        String project = rest.remove(COMPOSE_PROJECT);
        String service = rest.remove(COMPOSE_SERVICE);
        if (project != null || service != null) {
            parts.add("compose " + (project == null ? "" : "project " + project) + (project != null && service != null ? ", " : "")
                    + (service == null ? "" : "service " + service));
        }
        if (!rest.isEmpty()) {
            List<String> kv = new ArrayList<>();
            rest.forEach((k, v) -> kv.add(k + "=" + v));
            parts.add("labels " + String.join(", ", kv));
        }
        if (namePattern != null) {
            parts.add("name " + namePattern);
        }
        return String.join("; ", parts);
    }

    /**
     * Whether {@code text} matches the glob as a whole: {@code *} any run (also empty), {@code ?}
     * one character, everything else literal. Linear backtracking on the last {@code *}, no regular
     * expression: the loop matches every container event against every entry.
     */
    static boolean globMatches(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = t;
            } else if (star >= 0) {
                g = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
