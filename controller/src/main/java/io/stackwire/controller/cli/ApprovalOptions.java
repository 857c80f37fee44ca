package io.stackwire.controller.cli;

import io.stackwire.reconcile.apply.Executor;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** What apply and destroy share about carrying a plan out: asking, parallelism, colour. */
final class ApprovalOptions {

    @Option(names = "--auto-approve", description = "Do not ask; required when there is no terminal.")
    boolean autoApprove;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "" + Executor.DEFAULT_PARALLELISM,
            description = "Independent steps run at most N at a time (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--no-color", description = "No ANSI colours.")
    boolean noColor;

    /** False, after saying why on {@code err}, when the values cannot be used. */
    boolean valid(PrintWriter err) {
        if (parallelism < 1) {
            err.println("error: --parallelism must be at least 1, got " + parallelism);
            return false;
        }
        return true;
    }
}
