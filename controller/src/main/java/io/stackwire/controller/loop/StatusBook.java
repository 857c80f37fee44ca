package io.stackwire.controller.loop;

import io.stackwire.controller.source.SpecSource;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.plan.NoticeCode;
import io.stackwire.reconcile.plan.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code /status} shows: the last pass, what its plan said, and the state of the source and
 * the daemon, published as one immutable {@link LoopStatus} after each pass. Written by the thread
 * running passes; read by HTTP.
 */
final class StatusBook {

    private final LoopConfig config;
    private final SpecSource source;
    private final SpecTracker spec;
    private final LiveCache cache;
    private final Instant startedAt;

    private volatile LoopStatus status;
    volatile PassReport lastPass;
    volatile Instant lastSuccess;
    /** A spec has been loaded and the daemon read: the loop knows what to do. */
    volatile boolean ready;
    /** Why the plan in force is held back (dry run, mass delete), or null. */
    volatile String held;
    volatile String lastApply;
    volatile String daemonError;
    private volatile List<String> pendingContainers = List.of();
    private volatile List<LoopStatus.NoticeView> notices = List.of();
    private volatile List<LoopStatus.ErrorView> planErrors = List.of();

    StatusBook(LoopConfig config, SpecSource source, SpecTracker spec, LiveCache cache, Instant startedAt) {
        this.config = config;
        this.source = source;
        this.spec = spec;
        this.cache = cache;
        this.startedAt = startedAt;
    }

    LoopStatus status() {
        return status;
    }

    Instant startedAt() {
        return startedAt;
    }

    List<LoopStatus.ErrorView> planErrors() {
        return planErrors;
    }

    /** What a plan says, for the status: the pending containers, its notices and errors. */
    void noticesFrom(Plan plan, DesiredState desired) {
        pendingContainers = plan.notices().stream().filter(n -> n.code().equals(NoticeCode.PENDING_CONTAINER.code()))
                .map(n -> n.subject() == null ? n.message() : n.subject().name()).toList();
        notices = plan.notices().stream()
                .map(n -> new LoopStatus.NoticeView(n.severity().name().toLowerCase(Locale.ROOT), n.code(),
                        n.subject() == null ? null : n.subject().address(), n.message()))
                .toList();
        planErrors = plan.notices().stream().filter(n -> n.severity() == Severity.ERROR)
                .map(n -> new LoopStatus.ErrorView("plan", desired.revision(), null, 0, 0, n.message(), n.hint(), n.code(),
                        n.subject() == null ? null : n.subject().address()))
                .toList();
    }

    /**
     * @param running the loop runs and is not stopping
     * @param queueFailures passes failed in a row
     * @param fetchFailures fetches failed in a row
     */
    void publish(boolean running, int queueFailures, int fetchFailures) {
        DesiredState desired = spec.desired();
        List<LoopStatus.ErrorView> errors = new ArrayList<>(spec.specErrors());
        errors.addAll(planErrors);
        String sourceError = spec.sourceError();
        if (sourceError != null) {
            // No revision: a failed fetch produced none. fetchError and fetchFailingSince say it too.
            errors.add(new LoopStatus.ErrorView("source", null, null, 0, 0, sourceError, ""));
        }
        if (daemonError != null) {
            errors.add(new LoopStatus.ErrorView("daemon", null, null, 0, 0, daemonError, ""));
        }
        PassReport p = lastPass;
        if (p != null) {
            p.failures().forEach(f -> errors.add(new LoopStatus.ErrorView("apply", p.revision(), null, 0, 0, f, "")));
        }
        LoopStatus.LastPass last = p == null ? null : new LoopStatus.LastPass(
                p.outcome().name().toLowerCase(Locale.ROOT), p.revision(),
                p.triggers().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).sorted().toList(),
                p.started().toString(), p.millis(), p.steps(), p.applied(), p.failures(), p.message());
        Instant failingSince = spec.fetchFailingSince();
        Instant fetched = spec.lastFetchSuccess();
        status = new LoopStatus(
                desired != null ? desired.host() : config.host(),
                source.describe(),
                config.instanceId(),
                running,
                config.dryRun(),
                spec.currentRevision(),
                spec.fetchedRevision(),
                startedAt.toString(),
                last,
                p != null && p.outcome().converged(),
                lastSuccess == null ? null : lastSuccess.toString(),
                pendingContainers,
                notices,
                held,
                errors,
                lastApply,
                cache.connected(),
                queueFailures,
                desired == null ? List.of() : ContainerViews.of(desired, cache.get()),
                sourceError,
                failingSince == null ? null : failingSince.toString(),
                fetched == null ? null : fetched.toString(),
                fetchFailures);
    }
}
