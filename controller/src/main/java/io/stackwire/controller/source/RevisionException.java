package io.stackwire.controller.source;

/**
 * The fetch worked, but the revision it found cannot be read as a spec (its {@code --path} folder
 * is gone, it has no files, it holds a link): an error of that revision, not of the source, so
 * the loop shows it with the revision and does not back off fetching.
 */
public class RevisionException extends SourceException {

    private final String revision;

    public RevisionException(String revision, String message) {
        super(message);
        this.revision = revision;
    }

    /** The full commit id that cannot be read. */
    public String revision() {
        return revision;
    }
}
