package io.stackwire.controller.loop;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Exponential backoff with a cap and up to 10% random jitter, so a fleet of hosts that failed
 * together does not retry in lock-step. The {@link Random} is injected so tests are deterministic.
 */
final class Backoff {

    private final Duration min;
    private final Duration max;
    private final Random random;

    Backoff(Duration min, Duration max, Random random) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + min + " .. " + max);
        }
        this.min = min;
        this.max = max;
        this.random = Objects.requireNonNull(random);
    }

    /** The wait after {@code failures} consecutive failures (1 = the first): min, 2 min, 4 min ... max, plus jitter. */
    Duration delay(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        long base = min.toMillis();
        for (int i = 1; i < failures && base < max.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toMillis());
        return Duration.ofMillis(base + jitter(base));
    }

    /** 0 .. 10% of {@code millis}. */
    long jitter(long millis) {
        long bound = millis / 10;
        return bound <= 0 ? 0 : (long) (random.nextDouble() * bound);
    }
}
