package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with a file under src/test/resources/render/. Run the tests with
 * {@code -Dstackwire.golden.update=true} to rewrite the files after an intended change, then review the diff.
 */
final class GoldenFiles {

    private static final Path DIR = Path.of("src", "test", "resources", "render");

    private GoldenFiles() {}

    static void assertMatches(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("stackwire.golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file %s (rerun with -Dstackwire.golden.update=true to create it)", file).exists();
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
