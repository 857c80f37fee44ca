package io.stackwire.controller.source;



/** An unreadable local clone: thrown inside the Git source, answered by one fresh clone. */
final class CorruptCache extends Exception {

    CorruptCache(String message, Throwable cause) {
        super(message, cause);
    }
}
