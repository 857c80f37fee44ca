package io.stackwire.model.yaml;

import io.stackwire.model.Diagnostic;
import io.stackwire.model.SourceRef;
import java.nio.file.Path;
import java.util.List;

/** Loads a spec repository (a folder of stack files, host overlays and an optional stackwire.yaml). */
public final class SpecLoader {

    private SpecLoader() {}

    /**
     * Loads every stack file under {@code root}, applies the overlay of {@code host} and validates.
     * Never throws for bad input: every problem is a diagnostic.
     *
     * @param host the host overlay to apply; null for the machine's hostname
     */
    public static LoadResult load(Path root, String host) {
        // Placeholder until the loader lands (foundation issue); reports instead of throwing.
        return new LoadResult(null, List.of(Diagnostic.error("not-implemented", new SourceRef(root.toString(), 0, 0),
                "spec loading is not implemented yet", "")));
    }
}
