package io.stackwire.controller.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Helpers shared with tests in other packages. */
public final class GitSourceTestSupport {

    private GitSourceTestSupport() {}

    /** Removes a folder tree, read-only files included (a repository that "goes away"). */
    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.delete(p);
            }
        }
    }
}
