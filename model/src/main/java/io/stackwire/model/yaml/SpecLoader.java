package io.stackwire.model.yaml;

import io.stackwire.model.Diagnostic;
import io.stackwire.model.SourceRef;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a spec repository: the {@code *.yaml}/{@code *.yml} files under the root whose top level
 * has a {@code stack:} key are stack files (narrowed by {@code include}/{@code exclude} in
 * {@code stackwire.yaml}; other YAML files are skipped, see {@link StackFiles}), next to
 * {@code stackwire.yaml} (repo policy) and {@code hosts/<name>.yaml} (host overlays). See
 * docs/spec.md. No method throws for bad input: every problem is a diagnostic.
 */
public final class SpecLoader {

    private SpecLoader() {}

    /**
     * Loads every stack file under {@code root}, applies the overlay of {@code host} and validates.
     *
     * @param root the spec folder, or a single stack file
     * @param host the host overlay to apply; null for the machine's hostname ({@link #localHostName()})
     * @return the desired state (null on any error) and every diagnostic, sorted by file, line, column
     */
    public static LoadResult load(Path root, String host) {
        try {
            return Repo.open(root).resolve(host == null ? localHostName() : host);
        } catch (RuntimeException | StackOverflowError e) {
            return internalError(root, e);
        }
    }

    /**
     * Validates the repo for every host overlay in {@code hosts/} (diagnostics merged, duplicates
     * removed), or, when there is none, for a host without overlay (every stack, no variables).
     * For {@code stackwire validate} without {@code --host}; the state is always null.
     */
    public static LoadResult validateAll(Path root) {
        try {
            return Repo.open(root).validateAll();
        } catch (RuntimeException | StackOverflowError e) {
            return internalError(root, e);
        }
    }

    /** Host names that have an overlay file in {@code <root>/hosts/}, sorted; empty when there are none. */
    public static List<String> hosts(Path root) {
        try {
            return Repo.open(root).hosts();
        } catch (RuntimeException | StackOverflowError e) {
            return List.of();
        }
    }

    /** This machine's host name, as {@link #load} uses it when no host is given. Never throws. */
    public static String localHostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            if (h != null && !h.isBlank()) {
                return h;
            }
        } catch (Exception e) {
            // fall through to the environment
        }
        String env = System.getenv("HOSTNAME");
        return env != null && !env.isBlank() ? env : "localhost";
    }

    // A bug of ours must still not surface as a stack trace; tests assert this code never appears.
    private static LoadResult internalError(Path root, Throwable e) {
        return new LoadResult(null, List.of(Diagnostic.error("internal-error", new SourceRef(String.valueOf(root), 0, 0),
                "internal error while loading the spec: " + e, "please report this with the spec that caused it")));
    }
}
