package io.stackwire.model;

import java.util.Locale;

/** Transport protocol of a published port; Docker defaults to tcp. */
public enum Protocol {
    TCP,
    UDP,
    SCTP;

    public String dockerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code tcp|udp|sctp} (any case); returns null for anything else. */
    public static Protocol fromDockerName(String s) {
        for (Protocol p : values()) {
            if (p.dockerName().equalsIgnoreCase(s)) {
                return p;
            }
        }
        return null;
    }
}
