package io.stackwire.controller.source;

import java.util.regex.Pattern;

/** Keeps credentials out of everything we print: URLs lose their user info, known secrets become ***. */
final class Redaction {

    // scheme://user[:password]@ -> scheme://***@ ; matches anywhere in a message (JGit quotes URLs).
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s'\"]+@");

    private Redaction() {}

    /** {@code https://user:pass@host/x} becomes {@code https://***@host/x}; other text is kept. */
    static String urls(String text) {
        if (text == null) {
            return "";
        }
        return USER_INFO.matcher(text).replaceAll("$1***@");
    }

    /** Redacts URLs and every literal occurrence of the given secrets, and folds the text to one line. */
    static String message(String text, Iterable<String> secrets) {
        String out = urls(text);
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                out = out.replace(s, "***");
            }
        }
        return out.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
