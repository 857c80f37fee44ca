package io.stackwire.controller.source;

import java.nio.file.Files;
import java.nio.file.Path;

/** A folder (or single file) on this machine, read as it is on every fetch. */
public final class LocalSource implements SpecSource {

    private final Path root;
    /** Computed on the first fetch (the folder may not exist before); a folder keeps its identity. */
    private String owner;

    public LocalSource(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Snapshot fetch() throws SourceException {
        if (!Files.exists(root)) {
            throw new SourceException("spec path " + root + " does not exist");
        }
        if (owner == null) {
            owner = RepoIdentity.ofFolder(root);
        }
        return new Snapshot("local:" + root, root, "", "", owner);
    }

    @Override
    public String describe() {
        return root.toString();
    }
}
