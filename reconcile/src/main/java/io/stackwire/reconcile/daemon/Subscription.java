package io.stackwire.reconcile.daemon;

/** An open event subscription; closing it stops the stream and its reconnects. */
public interface Subscription extends AutoCloseable {

    /** True while the stream is connected (false while it waits to reconnect). */
    boolean connected();

    @Override
    void close();
}
