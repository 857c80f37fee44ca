package io.stackwire.reconcile.docker;

import java.util.List;

/**
 * Test-only fault injection seam: stops a real {@code stackwire apply} at one point of a container
 * replacement, so that a test can {@code kill -9} it exactly there (KilledApplyIT). It does nothing
 * unless the environment variable {@value #ENV} is {@code <point>:<container name>} with one of
 * {@link #POINTS} and the name of the container being replaced; it is read once, at start.
 *
 * <p>It cannot hang a real apply by accident: any other value does nothing (and says so once on
 * stderr), and a pause prints {@code STACKWIRE_TEST_PAUSED <point> <name>} on stderr and lasts at
 * most {@link #MAX_PAUSE_MILLIS}, after which the replacement simply goes on.
 */
final class FaultPause {

    static final String ENV = "STACKWIRE_TEST_PAUSE_AT";
    /** The points of {@link DockerJavaGateway#replaceContainer}, in order. */
    static final List<String> POINTS = List.of("before-stop", "after-stop", "between-renames", "before-start", "before-remove-old");
    static final long MAX_PAUSE_MILLIS = 60_000;

    private static final String AT = parse(System.getenv(ENV));

    private FaultPause() {}

    /** The {@code point:name} to pause at, or null when the value is absent or not one we know. */
    static String parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        int colon = value.indexOf(':');
        if (colon > 0 && colon < value.length() - 1 && POINTS.contains(value.substring(0, colon))) {
            return value;
        }
        System.err.println("stackwire: ignoring " + ENV + "=" + value + " (test-only; expects <point>:<container>, points "
                + String.join(", ", POINTS) + ")");
        return null;
    }

    /** Pauses here when the test asked for this point of this container's replacement. */
    static void at(String point, String container) {
        if (AT == null || !AT.equals(point + ":" + container)) {
            return;
        }
        System.err.println("STACKWIRE_TEST_PAUSED " + point + " " + container);
        System.err.flush();
        try {
            Thread.sleep(MAX_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
