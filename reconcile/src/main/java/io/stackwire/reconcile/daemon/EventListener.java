package io.stackwire.reconcile.daemon;

/**
 * Hears the daemon's event stream. Called from the stream's own thread; implementations should
 * only record that something happened and return quickly.
 */
public interface EventListener {

    void onEvent(DockerEvent event);

    /**
     * The stream is (re)connected: events may have been missed while it was down (or before it
     * first connected), so anything cached from the daemon must be read again.
     */
    default void onResyncNeeded(String why) {}

    /**
     * The stream broke; it reconnects by itself after {@code retryInMillis}, and keeps trying every
     * second without calling this again until it was connected once more.
     */
    default void onDisconnected(String why, long retryInMillis) {}
}
