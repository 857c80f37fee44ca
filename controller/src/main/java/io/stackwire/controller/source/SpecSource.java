package io.stackwire.controller.source;

/**
 * Where the spec comes from: a local folder, or a Git repository at a ref. Each fetch yields the
 * files of one exact revision, so a reconcile pass never reads a tree someone is editing.
 */
public interface SpecSource extends AutoCloseable {

    /**
     * Brings the source up to date (for Git: fetch) and returns the current revision's files.
     *
     * @throws SourceException when the source cannot be read; callers keep their last good snapshot
     */
    Snapshot fetch() throws SourceException;

    /** For logs and status: never contains a secret (credentials in URLs are redacted). */
    String describe();

    @Override
    default void close() {}
}
