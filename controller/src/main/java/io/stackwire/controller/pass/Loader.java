package io.stackwire.controller.pass;

import io.stackwire.model.yaml.LoadResult;
import java.nio.file.Path;

/** Loads a spec folder for a host; the real one is {@code SpecLoader::load}. Injected so tests can count or break loads. */
public interface Loader {
    LoadResult load(Path root, String host);

    /** Validation across every host overlay, for {@code validate} without {@code --host}. */
    default LoadResult validateAll(Path root) {
        return load(root, null);
    }
}
