package io.stackwire.model.yaml;

import io.stackwire.model.Diagnostic;
import io.stackwire.model.DesiredState;
import java.util.List;

/**
 * The outcome of loading a spec for one host.
 *
 * @param state the desired state, or null when any diagnostic is an error
 * @param diagnostics every error and warning, sorted by file, line, column
 */
public record LoadResult(DesiredState state, List<Diagnostic> diagnostics) {

    public LoadResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
