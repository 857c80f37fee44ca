package io.stackwire.model.yaml;

import io.stackwire.model.Diagnostic;
import io.stackwire.model.DesiredState;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of loading a spec for one host.
 *
 * @param state the desired state, or null when any diagnostic is an error
 * @param diagnostics every error and warning, sorted by file, line, column
 * @param skipped YAML files under the spec root that are not stack files, by path; debug output,
 *     never a problem (see docs/spec.md, "Which files are stack files")
 */
public record LoadResult(DesiredState state, List<Diagnostic> diagnostics, List<Skipped> skipped) {

    /** A {@code *.yaml}/{@code *.yml} file that was not read as a stack file, and why. */
    public record Skipped(String file, String reason) {
        public Skipped {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public LoadResult {
        diagnostics = List.copyOf(diagnostics);
        skipped = List.copyOf(skipped);
    }

    public LoadResult(DesiredState state, List<Diagnostic> diagnostics) {
        this(state, diagnostics, List.of());
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
