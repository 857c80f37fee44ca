package io.stackwire.controller.cli;

import io.stackwire.controller.lease.Lease;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How apply and destroy take the daemon lease that {@code stackwire run} takes too (docs/operations.md). */
final class LeaseOptions {

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "60s", converter = Durations.class,
            description = "Wait this long for another stackwire (a controller's apply, another apply) to release"
                    + " the daemon lease (default: ${DEFAULT-VALUE}; 0 fails at once).")
    Duration timeout;

    /** For tests that must never touch the real lease. */
    @Option(names = "--lease-name", hidden = true, defaultValue = Lease.DEFAULT_NAME)
    String name;
}
