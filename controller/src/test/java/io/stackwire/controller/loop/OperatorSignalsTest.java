package io.stackwire.controller.loop;

import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.controller.pass.HostCheck;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.stackwire.controller.PrometheusText;
import io.stackwire.controller.loop.PassReport.Outcome;
import io.stackwire.controller.source.Snapshot;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.plan.Planner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What operators watch: the loop's log lines (quiet when idle) and the gauges of /metrics, parsed by a real parser. */
class OperatorSignalsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T05:00:00Z");
    private static final String SPEC = """
            stack: t
            networks:
              t-front:
                driver: bridge
            containers:
              t-web:
                networks:
                  t-front:
                    aliases: [www]
            """;

    @TempDir
    Path dir;

    private final InMemoryDaemon daemon = new InMemoryDaemon("fake");
    private final ReconcileLoopTest.FakeSource source = new ReconcileLoopTest.FakeSource();
    private final MutableClock clock = new MutableClock();
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger loopLog = (Logger) LoggerFactory.getLogger("io.stackwire.loop");
    private Level levelBefore;

    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        source.next = snap("c1", SPEC);
        daemon.withContainer("t-web", "bridge");
        events.start();
        loopLog.addAppender(events);
        levelBefore = loopLog.getLevel();
        loopLog.setLevel(Level.DEBUG);
    }

    @AfterEach
    void tearDown() {
        loopLog.detachAppender(events);
        loopLog.setLevel(levelBefore);
    }

    private Snapshot snap(String revision, String yaml) throws IOException {
        Path d = Files.createDirectories(dir.resolve(revision));
        Files.writeString(d.resolve("stack.yaml"), yaml);
        return new Snapshot(revision, d, "", "", "test.example/acme/spec");
    }

    private ReconcileLoop loop(boolean dryRun) {
        LoopConfig c = new LoopConfig("edge", Duration.ofSeconds(30), Duration.ofMinutes(5), null, null, null,
                dryRun, false, 0.5, false, "me", "lease-test", Duration.ofMinutes(5), 1);
        ReconcileLoop loop = new ReconcileLoop(c, source, SpecLoader::load, Planner::plan, HostCheck.NONE,
                daemon, () -> daemon.calls().size(), clock, new Random(1));
        loop.subscribe();
        return loop;
    }

    private static PassQueue.Work work(Trigger t) {
        return new PassQueue.Work(t.fetch, t.observe, Set.of(t));
    }

    private List<String> linesAt(Level level) {
        return events.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    // ------------------------------------------------------------------ logs

    @Test
    void anIdleLoopLogsItsPassesAtDebugAndAHeartbeatAtInfoEveryTenMinutes() throws Exception {
        ReconcileLoop loop = loop(false);
        assertThat(loop.runPass(work(Trigger.START)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(linesAt(Level.INFO)).as("a new revision and a pass that changed something")
                .anySatisfy(l -> assertThat(l).isEqualTo("revision c1 loaded"))
                .anySatisfy(l -> assertThat(l).startsWith("pass [START] rev c1: applied, 2 of 2 step(s) applied"));
        events.list.clear();

        for (int i = 0; i < 19; i++) { // 9.5 minutes of idle passes every 30 s
            clock.now = clock.now.plusSeconds(30);
            assertThat(loop.runPass(work(Trigger.INTERVAL)).outcome()).isEqualTo(Outcome.NO_CHANGES);
        }
        assertThat(linesAt(Level.INFO)).as("idle passes say nothing at info").isEmpty();
        assertThat(linesAt(Level.DEBUG)).hasSize(19).allSatisfy(l -> assertThat(l).contains("rev c1: no changes"));

        clock.now = clock.now.plusSeconds(30);
        loop.runPass(work(Trigger.INTERVAL));
        assertThat(linesAt(Level.INFO)).singleElement().asString()
                .isEqualTo("alive: 20 quiet pass(es) since 2026-11-28T05:00:00Z, last no_changes at rev c1, converged");
        ILoggingEvent heartbeat = events.list.stream().filter(e -> e.getLevel() == Level.INFO).findFirst().orElseThrow();
        assertThat(fields(heartbeat)).containsEntry("event", "heartbeat").containsEntry("quietPasses", 20)
                .containsEntry("revision", "c1").containsEntry("converged", true);
        events.list.clear();

        daemon.disconnect("t-web", "t-front", true); // drift: healed, and logged at info again
        clock.now = clock.now.plusSeconds(30);
        loop.runPass(work(Trigger.RESYNC));
        assertThat(linesAt(Level.INFO)).singleElement().asString().startsWith("pass [RESYNC] rev c1: applied, 1 of 1 step(s) applied");
    }

    @Test
    void passLinesCarryTheirFieldsForJsonLogs() {
        loop(false).runPass(work(Trigger.START));

        ILoggingEvent pass = events.list.stream().filter(e -> e.getFormattedMessage().startsWith("pass ")).findFirst().orElseThrow();
        assertThat(fields(pass)).containsEntry("event", "pass").containsEntry("outcome", "applied")
                .containsEntry("revision", "c1").containsEntry("triggers", "start").containsEntry("steps", 2)
                .containsEntry("applied", 2).containsEntry("failures", 0).containsKey("durationMs");
    }

    @Test
    void aRepeatedDryRunOrHeldPassIsLoggedOnceAtInfo() {
        ReconcileLoop loop = loop(true);
        loop.runPass(work(Trigger.START));
        loop.runPass(work(Trigger.INTERVAL));
        loop.runPass(work(Trigger.INTERVAL));

        assertThat(linesAt(Level.INFO)).filteredOn(l -> l.startsWith("pass ")).singleElement().asString()
                .contains("dry_run, 0 of 2 step(s) applied");
        assertThat(linesAt(Level.DEBUG)).hasSize(2);
    }

    @Test
    void aLeaseHeldByAnotherControllerIsLoggedOnceAtInfoWhileItWaits() {
        daemon.withNetwork("lease-test", Map.of(io.stackwire.reconcile.Labels.LEASE, "true",
                io.stackwire.reconcile.Labels.LEASE_OWNER, "other-host-42",
                io.stackwire.reconcile.Labels.LEASE_EXPIRES, Long.toString(NOW.plusSeconds(60).getEpochSecond())));
        ReconcileLoop loop = loop(false);
        for (int i = 0; i < 4; i++) {
            assertThat(loop.runPass(work(i == 0 ? Trigger.START : Trigger.RETRY)).outcome()).isEqualTo(Outcome.LEASE_BUSY);
            clock.now = clock.now.plusSeconds(2);
        }

        assertThat(linesAt(Level.INFO)).filteredOn(l -> l.startsWith("pass ")).singleElement().asString()
                .contains("lease_busy", "other-host-42");
        assertThat(linesAt(Level.DEBUG)).hasSize(3);
    }

    @Test
    void aFailedPassIsAlwaysLoggedAtErrorOrWarn() {
        ReconcileLoop loop = loop(false);
        loop.runPass(work(Trigger.START));
        daemon.unavailable(new GatewayException(GatewayException.Kind.UNAVAILABLE, "cannot reach the Docker daemon"));
        loop.runPass(work(Trigger.RESYNC));
        loop.runPass(work(Trigger.RESYNC));

        assertThat(linesAt(Level.ERROR)).hasSize(2).allSatisfy(l -> assertThat(l).contains("error").contains("cannot reach the Docker daemon"));
    }

    private static Map<String, Object> fields(ILoggingEvent e) {
        Map<String, Object> m = new java.util.TreeMap<>();
        if (e.getKeyValuePairs() != null) {
            e.getKeyValuePairs().forEach(kv -> m.put(kv.key, kv.value));
        }
        return m;
    }

    // ------------------------------------------------------------------ metrics

    @Test
    void gaugesSayWhatIsInDriftHeldAndWhenTheLoopLastConverged() throws IOException {
        ReconcileLoop dry = loop(true);
        dry.runPass(work(Trigger.START));
        String held = dry.metrics().render();
        assertThat(held).contains("stackwire_drift_resources{kind=\"network\"} 1\n", "stackwire_drift_resources{kind=\"attachment\"} 1\n",
                "stackwire_drift_resources{kind=\"container\"} 0\n", "stackwire_held_changes{reason=\"dry-run\"} 2\n",
                "stackwire_held_changes{reason=\"refused\"} 0\n", "stackwire_seconds_since_last_converged -1.0\n",
                "stackwire_last_converged_timestamp_seconds 0.0\n");

        ReconcileLoop loop = loop(false);
        loop.runPass(work(Trigger.START));
        clock.now = clock.now.plusSeconds(90);
        String applied = loop.metrics().render();
        double convergedAt = gauge(applied, "stackwire_last_converged_timestamp_seconds");
        assertThat(convergedAt).as("the end of the applying pass").isBetween((double) NOW.getEpochSecond(), NOW.getEpochSecond() + 5.0);
        assertThat(gauge(applied, "stackwire_seconds_since_last_converged")).isEqualTo(NOW.getEpochSecond() + 90 - convergedAt);
        assertThat(applied).contains("stackwire_drift_resources{kind=\"network\"} 0\n", "stackwire_drift_resources{kind=\"attachment\"} 0\n",
                "stackwire_held_changes{reason=\"dry-run\"} 0\n",
                "stackwire_revision_info{kind=\"applied\",revision=\"c1\"} 1\n",
                "stackwire_revision_info{kind=\"fetched\",revision=\"c1\"} 1\n");

        // A revision with a refused network and a broken one after it.
        daemon.withNetwork("t-back", Map.of());
        source.next = snap("c2", SPEC.replace("networks:\n  t-front:", "networks:\n  t-back:\n    driver: bridge\n  t-front:"));
        loop.runPass(work(Trigger.INTERVAL));
        source.next = snap("c3", "stack: [");
        clock.now = clock.now.plusSeconds(30);
        assertThat(loop.runPass(work(Trigger.INTERVAL)).outcome()).isEqualTo(Outcome.PLAN_ERRORS);
        String refused = loop.metrics().render();
        assertThat(gauge(refused, "stackwire_last_converged_timestamp_seconds")).as("plan errors: not converged").isEqualTo(convergedAt);
        assertThat(refused).contains("stackwire_notices{severity=\"error\",code=\"conflict-unmanaged-network\"} 1\n",
                "stackwire_held_changes{reason=\"refused\"} 1\n",
                "stackwire_revision_info{kind=\"applied\",revision=\"c2\"} 1\n",
                "stackwire_revision_info{kind=\"fetched\",revision=\"c3\"} 1\n",
                "stackwire_plan_errors{code=\"conflict-unmanaged-network\"");

        for (String exposition : List.of(held, applied, refused)) {
            assertThat(parse(exposition)).contains("stackwire_drift_resources gauge 3", "stackwire_held_changes gauge 4",
                    "stackwire_revision_info gauge 2", "stackwire_passes counter 9", "stackwire_pass_duration_seconds histogram 14");
        }
        assertThat(parse(refused)).contains("stackwire_notices gauge 1");
    }

    private static double gauge(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ")).map(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElseThrow();
    }

    @Test
    void theExpositionCheckerRejectsBrokenText() throws IOException {
        assertThat(check("# HELP a x\n# TYPE a gauge\na{b=\"1} 1\n").exit()).isEqualTo(1);
        assertThat(check("a 1\n").output()).contains("without a # TYPE line");
        assertThat(check("# HELP a x\n# TYPE a gauge\na 1\na 2\n").output()).contains("series repeated");
    }

    /** The families scripts/check-metrics (the Prometheus client's parser) found, one "name type samples" each. */
    private static List<String> parse(String exposition) throws IOException {
        return PrometheusText.families(exposition);
    }

    private static PrometheusText.Checked check(String exposition) throws IOException {
        return PrometheusText.check(exposition);
    }
}
