package io.stackwire.controller.loop;

import io.stackwire.controller.lease.Lease;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code stackwire run} behaves; see docs/operations.md.
 *
 * @param host host overlay; null for this machine's hostname
 * @param interval how often the source is fetched
 * @param resync how often the daemon is read in full even when no event said anything changed
 * @param debounce how long a burst of Docker events is collected before one pass runs
 * @param dryRun plan and report, never change anything
 * @param selfHeal also disconnect containers attached by hand to managed networks
 * @param maxDeleteRatio a plan removing more than this share of the managed networks is held
 * @param allowMassDelete apply such plans anyway
 * @param instanceId this controller's identity, stamped on networks it creates and on its lease
 * @param leaseName the lease object's name on the daemon (tests use their own)
 * @param leaseTtl how long a lease stays valid if its holder dies
 */
public record LoopConfig(
        String host,
        Duration interval,
        Duration resync,
        Duration debounce,
        Duration backoffMin,
        Duration backoffMax,
        boolean dryRun,
        boolean selfHeal,
        double maxDeleteRatio,
        boolean allowMassDelete,
        String instanceId,
        String leaseName,
        Duration leaseTtl,
        int parallelism) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(5);

    static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(50);

    public LoopConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(resync, "resync");
        Objects.requireNonNull(instanceId, "instanceId");
        // Short: an event pass reads only what the events named (a few calls), so a burst split
        // over two passes costs little, and a container that starts is attached sooner.
        debounce = debounce == null ? DEFAULT_DEBOUNCE : debounce;
        backoffMin = backoffMin == null ? Duration.ofSeconds(1) : backoffMin;
        backoffMax = backoffMax == null ? Duration.ofMinutes(5) : backoffMax;
        leaseName = leaseName == null ? Lease.DEFAULT_NAME : leaseName;
        leaseTtl = leaseTtl == null ? Lease.DEFAULT_TTL : leaseTtl;
        if (interval.toMillis() < 100 || resync.toMillis() < 100) {
            throw new IllegalArgumentException("--interval and --resync must be at least 100ms");
        }
        if (!(maxDeleteRatio >= 0 && maxDeleteRatio <= 1)) {
            throw new IllegalArgumentException("--max-delete-ratio must be between 0 and 1, got " + maxDeleteRatio);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
    }

    /** Defaults for everything but what identifies the controller. */
    public static LoopConfig defaults(String host, String instanceId) {
        return new LoopConfig(host, DEFAULT_INTERVAL, DEFAULT_RESYNC, null, null, null, false, false, 0.5, false,
                instanceId, null, null, 8);
    }
}
