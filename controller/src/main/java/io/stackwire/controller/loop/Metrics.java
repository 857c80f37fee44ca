package io.stackwire.controller.loop;

import io.stackwire.model.Severity;
import io.stackwire.reconcile.plan.Notice;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The loop's counters, rendered in the Prometheus text format (0.0.4) by hand: a handful of lines needs no library. */
public final class Metrics {

    /** Upper bounds (seconds) of the pass duration histogram. */
    static final double[] BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<PassReport.Outcome, AtomicLong> passes = new EnumMap<>(PassReport.Outcome.class);
    private final long[] bucketCounts = new long[BUCKETS.length];
    private long durationCount;
    private double durationSum;
    /** Changes (not steps) with at least one step applied, by the change's action: create, connect, ... */
    private final Map<String, Long> changesApplied = new java.util.TreeMap<>();
    private final AtomicLong driftDetected = new AtomicLong();
    /** Problems by kind: spec (a rejected revision), source (fetch failed), daemon (unreadable), apply (a failed pass). */
    private final Map<String, Long> errors = new java.util.TreeMap<>(Map.of("spec", 0L, "source", 0L, "daemon", 0L, "apply", 0L));
    private long fetches;
    private long fetchFailures;
    private double fetchSeconds;
    private volatile double lastFetchSuccessSeconds;
    private volatile boolean fetchFailing;
    private final AtomicLong events = new AtomicLong();
    private volatile double lastSuccessSeconds;
    private volatile String revision = "";
    private volatile boolean converged;
    /** The last plan's error notices, counted by (code, resource address): a series goes when its error does. */
    private Map<List<String>, Long> planErrors = Map.of();
    private final Map<Severity, Long> planNotices = new EnumMap<>(Severity.class);
    /** The (code, resource) of the last plan's conflict-* errors: a conflict is counted when it begins, not every pass. */
    private java.util.Set<List<String>> conflicts = java.util.Set.of();
    private final Map<String, Long> conflictsBegun = new java.util.TreeMap<>();
    /** Error and warning notices of the last plan by (severity, code). */
    private Map<List<String>, Long> noticesByCode = Map.of();
    private PlanGauges gauges;
    private volatile String fetchedRevision = "";
    private volatile double lastConvergedSeconds;
    private final LongSupplier apiCalls;

    /** Wall-clock milliseconds, for the seconds-since gauges. */
    private final LongSupplier now;

    Metrics(LongSupplier apiCalls) {
        this(apiCalls, System::currentTimeMillis);
    }

    Metrics(LongSupplier apiCalls, LongSupplier now) {
        this.apiCalls = apiCalls;
        this.now = now;
        for (PassReport.Outcome o : PassReport.Outcome.values()) {
            passes.put(o, new AtomicLong());
        }
        for (Severity s : Severity.values()) {
            planNotices.put(s, 0L);
        }
    }

    /** The notices of the plan just made; they replace the last plan's. */
    synchronized void plan(List<Notice> notices) {
        Map<List<String>, Long> errors = new java.util.TreeMap<>(java.util.Comparator
                .comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
        planNotices.replaceAll((s, n) -> 0L);
        for (Notice n : notices) {
            planNotices.merge(n.severity(), 1L, Long::sum);
            if (n.severity() == Severity.ERROR) {
                errors.merge(List.of(n.code(), n.subject() == null ? "" : n.subject().address()), 1L, Long::sum);
            }
        }
        planErrors = errors;
        Map<List<String>, Long> byCode = new java.util.TreeMap<>(java.util.Comparator
                .comparing((List<String> k) -> k.get(0)).thenComparing(k -> k.get(1)));
        for (Notice n : notices) {
            if (n.severity() != Severity.INFO) {
                byCode.merge(List.of(n.severity().name().toLowerCase(java.util.Locale.ROOT), n.code()), 1L, Long::sum);
            }
        }
        noticesByCode = byCode;
        java.util.Set<List<String>> now = new java.util.HashSet<>();
        for (List<String> k : errors.keySet()) {
            if (k.get(0).startsWith("conflict-")) {
                now.add(k);
                if (!conflicts.contains(k)) {
                    conflictsBegun.merge(k.get(0), 1L, Long::sum);
                }
            }
        }
        conflicts = now;
    }

    synchronized void pass(PassReport r) {
        passes.get(r.outcome()).incrementAndGet();
        double seconds = r.millis() / 1000.0;
        durationCount++;
        durationSum += seconds;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                bucketCounts[i]++;
            }
        }
        if (r.outcome().ok() && r.outcome() != PassReport.Outcome.NO_SPEC) {
            lastSuccessSeconds = (r.started().toEpochMilli() + r.millis()) / 1000.0;
        }
        if (!r.revision().isEmpty()) {
            revision = r.revision();
        }
        converged = r.outcome().converged();
        if (converged) {
            lastConvergedSeconds = (r.started().toEpochMilli() + r.millis()) / 1000.0;
        }
    }

    /** What the pass that just planned left in drift and held back; a pass that did not plan leaves the last. */
    synchronized void gauges(PlanGauges g) {
        gauges = g;
    }

    /** The latest revision a fetch found, loadable or not. */
    void fetchedRevision(String revision) {
        fetchedRevision = revision == null ? "" : revision;
    }

    synchronized void changesApplied(Map<String, Long> byAction) {
        byAction.forEach((action, n) -> changesApplied.merge(action, n, Long::sum));
    }

    synchronized void error(String kind) {
        errors.merge(kind, 1L, Long::sum);
    }

    /** One fetch; {@code at} is when it succeeded (null when it failed). */
    synchronized void fetched(double seconds, boolean ok, java.time.Instant at) {
        fetches++;
        fetchSeconds += seconds;
        fetchFailing = !ok;
        if (!ok) {
            fetchFailures++;
        } else if (at != null) {
            lastFetchSuccessSeconds = at.toEpochMilli() / 1000.0;
        }
    }

    void drift() {
        driftDetected.incrementAndGet();
    }

    void event() {
        events.incrementAndGet();
    }

    long passes(PassReport.Outcome o) {
        return passes.get(o).get();
    }

    long driftDetected() {
        return driftDetected.get();
    }

    /** The exposition text for {@code GET /metrics}. */
    public synchronized String render() {
        StringBuilder b = new StringBuilder();
        help(b, "stackwire_passes_total", "counter", "Reconcile passes by result.");
        passes.forEach((o, n) -> b.append("stackwire_passes_total{result=\"").append(o.name().toLowerCase(java.util.Locale.ROOT))
                .append("\"} ").append(n.get()).append('\n'));
        help(b, "stackwire_pass_duration_seconds", "histogram", "Wall time of reconcile passes.");
        for (int i = 0; i < BUCKETS.length; i++) {
            b.append("stackwire_pass_duration_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(bucketCounts[i]).append('\n');
        }
        b.append("stackwire_pass_duration_seconds_bucket{le=\"+Inf\"} ").append(durationCount).append('\n');
        b.append("stackwire_pass_duration_seconds_sum ").append(durationSum).append('\n');
        b.append("stackwire_pass_duration_seconds_count ").append(durationCount).append('\n');
        help(b, "stackwire_changes_applied_total", "counter", "Plan changes applied, by action (create, delete, replace, connect, disconnect, reconnect).");
        changesApplied.forEach((a, n) -> b.append("stackwire_changes_applied_total{action=\"").append(a).append("\"} ").append(n).append('\n'));
        help(b, "stackwire_drift_detected_total", "counter", "Passes that found changes without a new revision (someone changed the daemon).");
        b.append("stackwire_drift_detected_total ").append(driftDetected.get()).append('\n');
        help(b, "stackwire_docker_events_total", "counter", "Docker events that asked for a pass.");
        b.append("stackwire_docker_events_total ").append(events.get()).append('\n');
        help(b, "stackwire_docker_api_calls_total", "counter", "Calls sent to the Docker API.");
        b.append("stackwire_docker_api_calls_total ").append(apiCalls.getAsLong()).append('\n');
        help(b, "stackwire_last_success_timestamp_seconds", "gauge", "End of the last pass that did not fail (Unix time).");
        b.append("stackwire_last_success_timestamp_seconds ").append(lastSuccessSeconds).append('\n');
        help(b, "stackwire_seconds_since_last_success", "gauge", "Seconds since the last pass that did not fail; -1 before the first.");
        b.append("stackwire_seconds_since_last_success ")
                .append(lastSuccessSeconds == 0 ? -1 : Math.max(0, now.getAsLong() / 1000.0 - lastSuccessSeconds)).append('\n');
        help(b, "stackwire_errors_total", "counter", "Problems by kind: spec (revision rejected), source (fetch failed), daemon (unreadable), apply (a pass failed).");
        errors.forEach((k, n) -> b.append("stackwire_errors_total{kind=\"").append(k).append("\"} ").append(n).append('\n'));
        help(b, "stackwire_git_fetch_duration_seconds", "summary", "Wall time of spec fetches (Git or local folder).");
        b.append("stackwire_git_fetch_duration_seconds_sum ").append(fetchSeconds).append('\n');
        b.append("stackwire_git_fetch_duration_seconds_count ").append(fetches).append('\n');
        help(b, "stackwire_git_fetch_failures_total", "counter", "Fetches that failed (network, auth, repo gone); the last good revision stays.");
        b.append("stackwire_git_fetch_failures_total ").append(fetchFailures).append('\n');
        help(b, "stackwire_git_fetch_failing", "gauge", "1 while the last fetch failed (the last good revision stays enforced), else 0.");
        b.append("stackwire_git_fetch_failing ").append(fetchFailing ? 1 : 0).append('\n');
        help(b, "stackwire_git_last_fetch_success_timestamp_seconds", "gauge", "End of the last successful fetch (Unix time); 0 before the first.");
        b.append("stackwire_git_last_fetch_success_timestamp_seconds ").append(lastFetchSuccessSeconds).append('\n');
        help(b, "stackwire_git_seconds_since_last_fetch_success", "gauge", "Seconds since the last successful fetch; -1 before the first.");
        b.append("stackwire_git_seconds_since_last_fetch_success ")
                .append(lastFetchSuccessSeconds == 0 ? -1 : Math.max(0, now.getAsLong() / 1000.0 - lastFetchSuccessSeconds)).append('\n');
        help(b, "stackwire_converged", "gauge", "1 when the last pass left the daemon matching the whole spec (no_changes or applied), else 0.");
        b.append("stackwire_converged ").append(converged ? 1 : 0).append('\n');
        help(b, "stackwire_plan_errors", "gauge", "Error notices in the last plan by code and resource: part of the spec is refused.");
        planErrors.forEach((k, n) -> b.append("stackwire_plan_errors{code=\"").append(escape(k.get(0))).append("\",resource=\"")
                .append(escape(k.get(1))).append("\"} ").append(n).append('\n'));
        help(b, "stackwire_conflicts_total", "counter", "Conflicts that began, by code: a network of another repository"
                + " (conflict-other-owner), of nobody (conflict-unmanaged-network), or another controller that disagrees about a network or an attachment (conflict-other-revision, on both sides).");
        conflictsBegun.forEach((c, n) -> b.append("stackwire_conflicts_total{code=\"").append(escape(c)).append("\"} ").append(n).append('\n'));
        help(b, "stackwire_plan_notices", "gauge", "Notices in the last plan by severity (error, warning, info).");
        planNotices.forEach((s, n) -> b.append("stackwire_plan_notices{severity=\"").append(s.name().toLowerCase(java.util.Locale.ROOT))
                .append("\"} ").append(n).append('\n'));
        help(b, "stackwire_revision_info", "gauge", "Revisions, 1 each: kind=applied is the revision in force (the last"
                + " good one, which every pass applies), kind=fetched the latest fetched (differs while it is rejected).");
        b.append("stackwire_revision_info{kind=\"applied\",revision=\"").append(escape(revision)).append("\"} 1\n");
        b.append("stackwire_revision_info{kind=\"fetched\",revision=\"").append(escape(fetchedRevision)).append("\"} 1\n");
        help(b, "stackwire_notices", "gauge", "Error and warning notices of the last plan, by severity and code.");
        noticesByCode.forEach((k, n) -> b.append("stackwire_notices{severity=\"").append(k.get(0)).append("\",code=\"")
                .append(escape(k.get(1))).append("\"} ").append(n).append('\n'));
        help(b, "stackwire_drift_resources", "gauge", "Resources the last pass left different from the spec (changes"
                + " planned and not completed), by kind: network, container, attachment.");
        if (gauges != null) {
            gauges.drift().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.append(
                    "stackwire_drift_resources{kind=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n'));
        }
        help(b, "stackwire_held_changes", "gauge", "Changes the last pass held back, by reason: refused (plan error"
                + " notices), plan-only (replacements left to a confirmed apply), mass-delete, dry-run.");
        if (gauges != null) {
            gauges.held().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.append(
                    "stackwire_held_changes{reason=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n'));
        }
        help(b, "stackwire_last_converged_timestamp_seconds", "gauge", "End of the last converged pass (no_changes or"
                + " applied: the daemon matched the whole spec in force), Unix time; 0 before the first.");
        b.append("stackwire_last_converged_timestamp_seconds ").append(lastConvergedSeconds).append('\n');
        help(b, "stackwire_seconds_since_last_converged", "gauge", "Seconds since the last converged pass; -1 before the first.");
        b.append("stackwire_seconds_since_last_converged ")
                .append(lastConvergedSeconds == 0 ? -1 : Math.max(0, now.getAsLong() / 1000.0 - lastConvergedSeconds)).append('\n');
        return b.toString();
    }

    private static void help(StringBuilder b, String name, String type, String text) {
        b.append("# HELP ").append(name).append(' ').append(text).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
