package io.stackwire.controller.loop;

import io.stackwire.controller.pass.PassRunner;
import io.stackwire.controller.source.RepoIdentity;
import io.stackwire.controller.source.RevisionException;
import io.stackwire.controller.source.Snapshot;
import io.stackwire.controller.source.SourceException;
import io.stackwire.controller.source.SpecSource;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Diagnostic;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.LoadResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop's view of its spec source: the last snapshot fetched, the revision in force and the
 * last one that planned, the revision rejected and why, and how fetching goes. Written only by the
 * thread running passes; what HTTP and the event thread read is volatile.
 */
final class SpecTracker {

    private static final Logger LOG = LoggerFactory.getLogger("io.stackwire.loop");

    private final SpecSource source;
    private final PassRunner runner;
    private final String host;
    private final Clock clock;
    private final Metrics metrics;
    /** Tells the pass queue whether a fetch worked (it backs off failing fetches on its own). */
    private final Consumer<Boolean> queueFetched;

    private Snapshot snapshot;
    private volatile String sourceError;
    /** The revision the last successful fetch found, loadable or not. */
    private volatile String fetchedRevision;
    private volatile DesiredState desired;
    /** The last desired state the planner did not throw on: what a revision that breaks it falls back to. */
    private DesiredState planned;
    private String desiredMessage = ""; // the commit message of desired's revision
    private String rejectedRevision;
    private volatile List<LoopStatus.ErrorView> specErrors = List.of();
    /** What events are judged against (the event thread reads it). */
    private volatile DesiredState watched;
    /** When the fetches that are failing now began to fail; null while fetching works. */
    private volatile Instant fetchFailingSince;
    private volatile Instant lastFetchSuccess;

    SpecTracker(SpecSource source, PassRunner runner, String host, Clock clock, Metrics metrics, Consumer<Boolean> queueFetched) {
        this.source = source;
        this.runner = runner;
        this.host = host;
        this.clock = clock;
        this.metrics = metrics;
        this.queueFetched = queueFetched;
    }

    DesiredState desired() {
        return desired;
    }

    DesiredState watched() {
        return watched;
    }

    String desiredMessage() {
        return desiredMessage;
    }

    String sourceError() {
        return sourceError;
    }

    String fetchedRevision() {
        return fetchedRevision;
    }

    String rejectedRevision() {
        return rejectedRevision;
    }

    List<LoopStatus.ErrorView> specErrors() {
        return specErrors;
    }

    Instant fetchFailingSince() {
        return fetchFailingSince;
    }

    Instant lastFetchSuccess() {
        return lastFetchSuccess;
    }

    /** The revision in force, or "" for none. */
    String currentRevision() {
        DesiredState d = desired;
        return d == null ? "" : d.revision();
    }

    /** The desired state in force planned without the planner throwing. */
    void planned() {
        planned = desired;
    }

    /**
     * Fetches; a failed fetch keeps the last good snapshot. A revision whose spec has errors is
     * rejected whole (the last good desired state stays) and, for a real commit, not loaded again:
     * it cannot get better until the revision changes. A local folder's revision never changes,
     * so it is re-read on each fetch (cheap, and only once per interval).
     */
    void fetch() {
        Snapshot s;
        long t0 = System.nanoTime();
        try {
            s = source.fetch();
            fetchedOk(t0);
        } catch (RevisionException e) {
            // The server answered; its revision cannot be read as a spec (--path gone): that is an
            // error of that revision, shown with it, and no reason to fetch less often.
            fetchedOk(t0);
            reject(e.revision(), List.of(new LoopStatus.ErrorView("spec", e.revision(), null, 0, 0, e.getMessage(), "")));
            snapshot = null; // whatever comes next is loaded afresh, the last good revision too
            return;
        } catch (SourceException e) {
            if (fetchFailingSince == null) {
                fetchFailingSince = clock.instant();
                LOG.warn("fetch failed: {}; still enforcing {}, retrying with backoff", e.getMessage(),
                        desired == null ? "nothing (no valid revision yet)" : "revision " + PassLog.shortRevision(desired.revision()));
            }
            sourceError = e.getMessage();
            metrics.fetched((System.nanoTime() - t0) / 1e9, false, null);
            metrics.error("source");
            queueFetched.accept(false);
            return;
        }
        fetchedRevision = s.revision();
        metrics.fetchedRevision(fetchedRevision);
        boolean local = s.revision().startsWith("local:");
        boolean same = snapshot != null && snapshot.equals(s);
        snapshot = s;
        if (!local && (s.revision().equals(rejectedRevision) || (same && desired != null))) {
            return;
        }
        LoadResult load;
        try {
            load = runner.load(s.root(), host);
        } catch (Throwable e) { // an Error too: an OutOfMemoryError on a hostile spec is this revision's fault
            LOG.error("loading revision " + s.revision() + " failed", e);
            load = new LoadResult(null, List.of(Diagnostic.error("internal-error", new SourceRef("", 0, 0),
                    "internal error while loading the spec: " + ReconcileLoop.describe(e),
                    "revert or fix the commit; please report it with the spec")));
        }
        if (load.hasErrors() || load.state() == null) {
            reject(s.revision(), load.diagnostics().stream().filter(Diagnostic::isError)
                    .map(d -> new LoopStatus.ErrorView("spec", s.revision(), s.shownPath(d.source().file(), Path.of("")), d.source().line(),
                            d.source().column(), d.message(), d.hint()))
                    .toList());
            return;
        }
        rejectedRevision = null;
        specErrors = List.of();
        if (desired == null || !desired.revision().equals(s.revision())) {
            var line = LOG.atInfo().addKeyValue("event", "revision").addKeyValue("revision", s.revision());
            if (desired != null) {
                line = line.addKeyValue("previous", desired.revision());
            }
            line.log("revision {} loaded{}", PassLog.shortRevision(s.revision()),
                            desired == null ? "" : " (was " + PassLog.shortRevision(desired.revision()) + ")");
        }
        DesiredState st = load.state();
        desired = st.withRevision(s.revision()).withOwner(RepoIdentity.resolve(st.policy(), s));
        desiredMessage = s.message();
        watched = desired;
    }

    private void fetchedOk(long t0) {
        if (fetchFailingSince != null) {
            LOG.info("fetch works again (failing since {})", fetchFailingSince);
        }
        fetchFailingSince = null;
        sourceError = null;
        lastFetchSuccess = clock.instant();
        metrics.fetched((System.nanoTime() - t0) / 1e9, true, lastFetchSuccess);
        queueFetched.accept(true);
    }

    /**
     * Rejects a revision whole: its errors replace whatever was shown (they belong to it, the
     * newest revision), the last good desired state stays. Logged once per revision.
     */
    private void reject(String revision, List<LoopStatus.ErrorView> errors) {
        fetchedRevision = revision;
        metrics.fetchedRevision(revision);
        if (revision.equals(rejectedRevision) && errors.equals(specErrors)) {
            return;
        }
        rejectedRevision = revision;
        specErrors = errors;
        metrics.error("spec");
        LOG.warn("revision {} rejected: {} error(s); keeping {}", revision, errors.size(),
                desired == null ? "nothing (no valid revision yet)" : "revision " + desired.revision());
        errors.forEach(e -> LOG.warn("  {}", e.text()));
    }

    /**
     * The planner threw on the revision in force: that revision is rejected like one with spec
     * errors (not loaded again) and the last revision that planned stays, or none. The message
     * for the pass report.
     */
    String rejectUnplannable(Throwable e) {
        String rev = desired.revision();
        LOG.error("revision " + rev + " cannot be planned", e);
        metrics.error("internal");
        rejectedRevision = rev;
        specErrors = List.of(new LoopStatus.ErrorView("spec", rev, null, 0, 0,
                "internal error while planning: " + ReconcileLoop.describe(e), "revert or fix the commit; please report it with the spec"));
        boolean fallBack = planned != null && !planned.revision().equals(rev);
        desired = fallBack ? planned : null;
        desiredMessage = "";
        watched = desired;
        return "revision " + rev + " rejected: internal error while planning (" + ReconcileLoop.describe(e) + "); "
                + (fallBack ? "keeping revision " + planned.revision() : "no revision in force");
    }
}
