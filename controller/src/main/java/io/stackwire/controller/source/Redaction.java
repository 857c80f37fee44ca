package io.stackwire.controller.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keeps credentials out of everything we print: URLs lose their user info, known secrets become ***. */
final class Redaction {

    // scheme://userinfo@ anywhere in a message (JGit quotes URLs).
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*)://([^/@\\s'\"]+)@");

    private Redaction() {}

    /** {@code https://user:pass@host/x} becomes {@code https://***@host/x}; {@code ssh://git@host} is kept. */
    static String urls(String text) {
        if (text == null) {
            return "";
        }
        // An SSH user name alone (ssh://git@host) is no secret; anything else in user info may be a token.
        return USER_INFO.matcher(text).replaceAll(m -> {
            boolean sshUser = m.group(1).toLowerCase().contains("ssh") && !m.group(2).contains(":");
            return Matcher.quoteReplacement(m.group(1) + "://" + (sshUser ? m.group(2) : "***") + "@");
        });
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
