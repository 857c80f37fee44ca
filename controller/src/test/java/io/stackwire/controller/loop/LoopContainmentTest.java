package io.stackwire.controller.loop;

import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.controller.pass.Planning;
import io.stackwire.controller.pass.Loader;
import io.stackwire.controller.pass.HostCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.controller.http.StatusServer;
import io.stackwire.controller.http.WebhookAuth;
import io.stackwire.controller.loop.PassReport.Outcome;
import io.stackwire.controller.source.Snapshot;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.plan.Planner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pass that throws anything, Errors included, is contained: the revision is rejected, the last
 * good one stays, and the loop goes on; when the loop itself cannot go on, it says so.
 */
class LoopContainmentTest {

    @TempDir
    Path dir;

    private final InMemoryDaemon daemon = new InMemoryDaemon("fake");
    private final ReconcileLoopTest.FakeSource source = new ReconcileLoopTest.FakeSource();
    private final List<String> loads = new ArrayList<>();
    /** Folder names whose load throws an OutOfMemoryError, as a hostile spec has been seen to. */
    private final Set<String> hostile = Set.of("hostile");
    /** Revisions whose plan throws a StackOverflowError. */
    private final Set<String> unplannable = Set.of("c2-deep");

    private final Loader loader = (root, host) -> {
        loads.add(root.getFileName().toString());
        if (hostile.contains(root.getFileName().toString())) {
            throw new OutOfMemoryError("Java heap space");
        }
        return SpecLoader.load(root, host);
    };

    private final Planning planner = (desired, live, policy) -> {
        if (unplannable.contains(desired.revision())) {
            throw new StackOverflowError();
        }
        return Planner.plan(desired, live, policy);
    };

    @BeforeEach
    void spec() throws IOException {
        source.next = new Snapshot("c1", write("good", "t-front"));
        daemon.withContainer("t-web", "bridge");
    }

    private Path write(String folder, String network) throws IOException {
        Path d = Files.createDirectories(dir.resolve(folder));
        Files.writeString(d.resolve("stack.yaml"), """
                stack: t
                networks:
                  %s:
                    driver: bridge
                containers:
                  t-web:
                    networks: [%s]
                """.formatted(network, network));
        return d;
    }

    private ReconcileLoop loop(Clock clock, HostCheck hostCheck) {
        LoopConfig c = new LoopConfig("edge", Duration.ofSeconds(30), Duration.ofMinutes(5), null,
                Duration.ofMillis(50), Duration.ofMillis(200), false, false, 0.5, false, "me", "lease-test", Duration.ofMinutes(5), 1);
        ReconcileLoop loop = new ReconcileLoop(c, source, loader, planner, hostCheck, daemon, () -> daemon.calls().size(), clock,
                new Random(1));
        loop.subscribe();
        return loop;
    }

    private static PassQueue.Work work(Trigger t) {
        return new PassQueue.Work(t.fetch, t.observe, Set.of(t));
    }

    @Test
    void aLoadThatRunsOutOfMemoryRejectsThatRevisionOnceAndTheNextGoodOneIsApplied() throws IOException {
        ReconcileLoop loop = loop(Clock.systemUTC(), HostCheck.NONE);
        assertThat(loop.runPass(work(Trigger.START)).outcome()).isEqualTo(Outcome.APPLIED);

        source.next = new Snapshot("c2", write("hostile", "t-evil"));
        PassReport r = loop.runPass(work(Trigger.INTERVAL));
        loop.runPass(work(Trigger.INTERVAL));

        assertThat(r.outcome()).as("the last good revision is still reconciled").isEqualTo(Outcome.NO_CHANGES);
        assertThat(r.revision()).isEqualTo("c1");
        assertThat(loads).as("a rejected commit is not loaded again").containsExactly("good", "hostile");
        assertThat(loop.status().errors()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("spec");
            assertThat(e.revision()).isEqualTo("c2");
            assertThat(e.message()).isEqualTo("internal error while loading the spec: OutOfMemoryError: Java heap space");
        });
        assertThat(daemon.networks()).doesNotContainKey("t-evil");

        source.next = new Snapshot("c3", write("better", "t-back"));
        PassReport next = loop.runPass(work(Trigger.INTERVAL));

        assertThat(next.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(next.revision()).isEqualTo("c3");
        assertThat(daemon.networks()).containsKey("t-back");
        assertThat(loop.status().errors()).isEmpty();
    }

    @Test
    void aPlanThatOverflowsTheStackRejectsThatRevisionAndKeepsTheLastOneThatPlanned() throws IOException {
        ReconcileLoop loop = loop(Clock.systemUTC(), HostCheck.NONE);
        loop.runPass(work(Trigger.START));

        source.next = new Snapshot("c2-deep", write("deep", "t-deep"));
        PassReport r = loop.runPass(work(Trigger.INTERVAL));

        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).isEqualTo("revision c2-deep rejected: internal error while planning (StackOverflowError); keeping revision c1");
        assertThat(loop.status().errors()).anySatisfy(e -> assertThat(e.message()).contains("StackOverflowError"));
        PassReport retry = loop.runPass(work(Trigger.INTERVAL));
        assertThat(retry.outcome()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(retry.revision()).isEqualTo("c1");
        assertThat(loads).containsExactly("good", "deep");

        source.next = new Snapshot("c3", write("better", "t-back"));
        PassReport next = loop.runPass(work(Trigger.INTERVAL));

        assertThat(next.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(next.revision()).isEqualTo("c3");
        assertThat(daemon.networks()).containsKey("t-back").doesNotContainKey("t-deep");
    }

    @Test
    void anErrorAnywhereElseInAPassIsAnErrorOutcomeThatBacksOff() {
        ReconcileLoop loop = loop(Clock.systemUTC(), (d, l) -> {
            throw new StackOverflowError();
        });

        PassReport r = loop.runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).isEqualTo("internal error: StackOverflowError");
        assertThat(loop.metrics().render()).contains("stackwire_errors_total{kind=\"internal\"} 1");
    }

    @Test
    void theRunningLoopOutlivesErrorsInItsPassesAndAppliesTheNextGoodRevisionWhileHealthy() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        source.next = new Snapshot("c2", write("hostile", "t-evil"));
        ReconcileLoop loop = loop(Clock.systemUTC(), (d, l) -> {
            if (probes.incrementAndGet() == 1) {
                throw new OutOfMemoryError("Java heap space");
            }
            return io.stackwire.reconcile.plan.HostPorts.UNKNOWN;
        });
        HttpClient http = HttpClient.newHttpClient();
        try (loop; StatusServer server = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), loop, new WebhookAuth(null))) {
            URI healthz = URI.create("http://127.0.0.1:" + server.address().getPort() + "/healthz");
            loop.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> loads.contains("hostile"));
            assertThat(http.send(HttpRequest.newBuilder(healthz).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            source.next = new Snapshot("c1", write("good", "t-front"));
            loop.request(Trigger.WEBHOOK, Duration.ZERO);
            // The first pass with a spec throws from the host probe; the retry after the backoff applies it.
            await().atMost(Duration.ofSeconds(10)).until(() -> daemon.networks().containsKey("t-front"));

            assertThat(probes.get()).isGreaterThanOrEqualTo(2);
            assertThat(loop.status().revision()).isEqualTo("c1");
            assertThat(loop.failure()).isNull();
            assertThat(loop.healthy()).isTrue();
            assertThat(http.send(HttpRequest.newBuilder(healthz).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void aWorkerThatEndsMakesTheLoopUnhealthyWithAReason() throws Exception {
        ReconcileLoop loop = loop(Clock.systemUTC(), HostCheck.NONE);
        HttpClient http = HttpClient.newHttpClient();
        try (loop; StatusServer server = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), loop, new WebhookAuth(null))) {
            loop.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().lastPass() != null);
            assertThat(loop.healthy()).isTrue();

            loop.worker.interrupt();
            loop.worker.join(5_000);

            assertThat(loop.failure()).isEqualTo("the loop's worker thread was interrupted");
            assertThat(loop.healthy()).isFalse();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.address().getPort() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("the loop's worker thread was interrupted");
        }
    }

    @Test
    void aSchedulerThatWasShutDownMakesTheLoopUnhealthy() throws Exception {
        ReconcileLoop loop = loop(Clock.systemUTC(), HostCheck.NONE);
        try (loop) {
            loop.start();
            assertThat(loop.failure()).isNull();

            loop.scheduler.shutdown(false);

            assertThat(loop.failure()).isEqualTo("the loop's timer scheduler was shut down");
            assertThat(loop.healthy()).isFalse();
        }
    }

    @Test
    void aStoppedLoopIsNoFailure() throws Exception {
        ReconcileLoop loop = loop(Clock.systemUTC(), HostCheck.NONE);
        loop.start();
        loop.close();
        assertThat(loop.failure()).isNull();
    }
}
