package io.stackwire.reconcile.render;

/** A live state snapshot this version of stackwire cannot read; the message says why and what to do. */
public class LiveStateFormatException extends Exception {

    public LiveStateFormatException(String message) {
        super(message);
    }

    public LiveStateFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
