package io.stackwire.controller.cli;

import io.stackwire.controller.source.Snapshot;
import io.stackwire.model.Diagnostic;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.LoadResult;
import java.nio.file.Path;

/**
 * Diagnostics name files so the user can open them from where the command ran: relative to the
 * working directory for a folder, by their path inside the repository for {@code --repo}. The
 * loader names them relative to the spec root; this is the one place that changes that.
 */
final class ShownPaths {

    private ShownPaths() {}

    static LoadResult of(LoadResult load, Snapshot snapshot) {
        return of(load, snapshot, Path.of("").toAbsolutePath());
    }

    static LoadResult of(LoadResult load, Snapshot snapshot, Path cwd) {
        if (load.diagnostics().isEmpty() && load.skipped().isEmpty()) {
            return load;
        }
        return new LoadResult(load.state(), load.diagnostics().stream().map(d -> {
            SourceRef s = d.source();
            SourceRef shown = new SourceRef(snapshot.shownPath(s.file(), cwd), s.line(), s.column());
            return new Diagnostic(d.severity(), d.code(), shown, d.message(), d.hint());
        }).toList(), load.skipped().stream()
                .map(k -> new LoadResult.Skipped(snapshot.shownPath(k.file(), cwd), k.reason())).toList());
    }
}
