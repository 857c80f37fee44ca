package io.stackwire.controller.cli;

import io.stackwire.controller.source.Snapshot;
import io.stackwire.controller.source.SourceException;
import io.stackwire.controller.source.SpecSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns a command's PATH argument and {@link SourceOptions} into the snapshot it reads, or one error line. */
final class SpecInput {

    private SpecInput() {}

    /**
     * Checks the arguments, opens the source, fetches it once and closes it (the snapshot's files stay).
     *
     * @return the snapshot, or null after printing why there is none
     */
    static Snapshot fetch(SourceOptions options, Path pathArg, String pathLabel, Env env, PrintWriter err) {
        String usage = options.usageError(pathArg, pathLabel);
        if (usage != null) {
            err.println("error: " + usage);
            return null;
        }
        if (!options.git()) {
            Path path = pathArg == null ? Path.of(".") : pathArg;
            if (!Files.exists(path)) {
                err.println("error: " + path + ": no such file or directory");
                return null;
            }
        }
        try (SpecSource source = options.open(pathArg, env.environment())) {
            Snapshot snapshot = source.fetch();
            if (!snapshot.isLocal()) {
                // On stderr, so machine formats on stdout stay clean; the plan carries the commit too.
                err.println("Spec: " + source.describe() + " at commit " + snapshot.revision());
            }
            return snapshot;
        } catch (SourceException e) {
            err.println("error: " + e.getMessage());
            return null;
        }
    }
}
