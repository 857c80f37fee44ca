package io.stackwire.controller.source;

/** The one checked exception of the spec-source boundary; its message is one clear, secret-free line. */
public class SourceException extends Exception {

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceException(String message) {
        super(message);
    }
}
