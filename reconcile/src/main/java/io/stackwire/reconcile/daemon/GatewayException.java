package io.stackwire.reconcile.daemon;

/** The one checked exception of the Docker boundary, classified so callers can react without parsing text. */
public class GatewayException extends Exception {

    public enum Kind {
        /** 404: the container or network is gone. */
        NOT_FOUND,
        /** 409 or "already exists": somebody else got there first, or the object is in use. */
        CONFLICT,
        /** 304 or "already connected/not connected": the wanted state is already there. */
        ALREADY,
        /** The daemon cannot be reached. */
        UNAVAILABLE,
        /** 400/403/500 and anything else: the daemon refused. */
        REFUSED
    }

    private final Kind kind;

    public GatewayException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public GatewayException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
