package io.stackwire.controller.cli;

import java.util.List;

/**
 * SIGTERM and SIGINT for {@code stackwire run}: a clean stop, then exit 0.
 *
 * <p>By default the JVM answers both by running its shutdown hooks and exiting 128+signal (143,
 * 130), which supervisors log as a failure although the stop was clean. Handling the signals
 * ourselves keeps the JVM out of shutdown until the loop has stopped, so {@code run} returns its
 * own exit code through the normal path (and the other shutdown hooks, e.g. log flushing, still run
 * in full). The alternative, {@code Runtime.halt(0)} at the end of a shutdown hook, would cut off
 * any hook still running. {@code sun.misc.Signal} is the JDK's supported-but-unsupported API for
 * this (module jdk.unsupported, in every JDK and in the jlinked image).
 */
final class StopSignals {

    private StopSignals() {}

    /**
     * Runs {@code stop} on SIGTERM and SIGINT (in a thread of the JVM's signal dispatcher).
     *
     * @return false when the signals cannot be handled (e.g. the JVM runs with -Xrs); then the
     *     shutdown hook still stops cleanly, with the JVM's exit code
     */
    @SuppressWarnings("restriction")
    static boolean install(Runnable stop) {
        try {
            for (String name : List.of("TERM", "INT")) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.run());
            }
            return true;
        } catch (IllegalArgumentException | LinkageError e) {
            return false;
        }
    }
}
