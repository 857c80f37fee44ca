package io.stackwire.controller.cli;

import io.stackwire.controller.pass.Planning;
import io.stackwire.controller.pass.HostCheck;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.controller.loop.LoopConfig;
import io.stackwire.controller.loop.ReconcileLoop;
import io.stackwire.controller.source.LocalSource;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.reconcile.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code stackwire run} waits: until SIGTERM, or until the loop cannot go on (then it exits non-zero). */
class RunWatchdogTest {

    @TempDir
    Path dir;

    private ReconcileLoop loop() throws Exception {
        Files.writeString(dir.resolve("stack.yaml"), "stack: t\nnetworks:\n  t-a: {}\n");
        InMemoryDaemon docker = new InMemoryDaemon("fake:///docker.sock");
        return new ReconcileLoop(LoopConfig.defaults("edge", "me"), new LocalSource(dir), SpecLoader::load, Planner::plan,
                HostCheck.NONE, docker, () -> 0, Clock.systemUTC(), new Random(1));
    }

    @Test
    void returnsTheReasonWhenTheLoopCannotGoOn() throws Exception {
        try (ReconcileLoop loop = loop()) {
            loop.start();
            Thread killer = new Thread(() -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(300);
                    // What a dead Quartz looks like to the loop: its timers will never fire again.
                    stopTimers(loop);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            killer.start();

            String why = RunCommand.supervise(loop, new CountDownLatch(1), Duration.ofMillis(50));

            assertThat(why).isEqualTo("the loop's timer scheduler was shut down");
            killer.join();
        }
    }

    @Test
    void returnsNothingWhenStoppedBySignal() throws Exception {
        try (ReconcileLoop loop = loop()) {
            loop.start();
            CountDownLatch stopped = new CountDownLatch(1);
            stopped.countDown();

            assertThat(RunCommand.supervise(loop, stopped, Duration.ofMillis(50))).isNull();
        }
    }

    @Test
    void returnsWhyWhenAPassMakesNoProgressForThePassTimeoutAndStopsWithoutWaitingForIt() throws Exception {
        Files.writeString(dir.resolve("stack.yaml"), "stack: t\nnetworks:\n  t-a: {}\n");
        SteppedClock clock = new SteppedClock(Instant.parse("2026-01-01T00:00:00Z"));
        AtomicLong apiCalls = new AtomicLong();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A pass that never returns, like a call on a connection that is never answered.
        Planning hangs = (desired, live, policy) -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Planner.plan(desired, live, policy);
        };
        ReconcileLoop loop = new ReconcileLoop(LoopConfig.defaults("edge", "me"), new LocalSource(dir), SpecLoader::load, hangs,
                HostCheck.NONE, new InMemoryDaemon("fake:///docker.sock"), apiCalls::get, clock, new Random(1));
        try {
            loop.start();
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("the pass started").isTrue();
            assertThat(loop.passTimeout()).isEqualTo(Duration.ofMinutes(2)); // more than 3 × the 30 s interval

            // Docker calls are progress: the clock runs from the last one seen.
            clock.now = clock.now.plusSeconds(100);
            apiCalls.incrementAndGet();
            assertThat(loop.failure()).isNull();
            assertThat(loop.healthy()).as("a long pass that makes progress is alive (past 3 intervals)").isTrue();
            clock.now = clock.now.plusSeconds(120);
            assertThat(loop.failure()).as("at the timeout, not yet").isNull();
            clock.now = clock.now.plusSeconds(1);

            String why = RunCommand.supervise(loop, new CountDownLatch(1), Duration.ofMillis(10));

            assertThat(why).startsWith("a pass has made no progress for 121 s (it started at 2026-01-01T00:00:00Z,"
                    + " last Docker call seen at 2026-01-01T00:01:40Z), longer than the pass timeout of 120 s:"
                    + " it is stuck in io.stackwire.controller.cli.RunWatchdogTest");
            assertThat(loop.healthy()).isFalse();
            long start = System.nanoTime();
            loop.close(); // what run does before it exits 1: it must not wait for the stuck pass
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            release.countDown();
            loop.close();
        }
    }

    @Test
    void thePassTimeoutIsThreeIntervalsWhenThatIsLonger() throws Exception {
        Files.writeString(dir.resolve("stack.yaml"), "stack: t\n");
        LoopConfig slow = new LoopConfig("edge", Duration.ofMinutes(5), Duration.ofMinutes(5), null, null, null, false, false,
                0.5, false, "me", null, null, 8);
        try (ReconcileLoop loop = new ReconcileLoop(slow, new LocalSource(dir), SpecLoader::load, Planner::plan,
                HostCheck.NONE, new InMemoryDaemon("fake:///docker.sock"), () -> 0, Clock.systemUTC(), new Random(1))) {
            assertThat(loop.passTimeout()).isEqualTo(Duration.ofMinutes(15));
        }
    }

    @Test
    void thePassTimeoutIsAtLeastTwoMinutes() throws Exception {
        Files.writeString(dir.resolve("stack.yaml"), "stack: t\n");
        LoopConfig fast = new LoopConfig("edge", Duration.ofSeconds(1), Duration.ofMinutes(5), null, null, null, false, false,
                0.5, false, "me", null, null, 8);
        try (ReconcileLoop loop = new ReconcileLoop(fast, new LocalSource(dir), SpecLoader::load, Planner::plan,
                HostCheck.NONE, new InMemoryDaemon("fake:///docker.sock"), () -> 0, Clock.systemUTC(), new Random(1))) {
            assertThat(loop.passTimeout()).isEqualTo(Duration.ofMinutes(2));
        }
    }

    /** A clock the test moves by hand. */
    private static final class SteppedClock extends Clock {
        volatile Instant now;

        SteppedClock(Instant now) {
            this.now = now;
        }

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

    private static void stopTimers(ReconcileLoop loop) throws Exception {
        var f = ReconcileLoop.class.getDeclaredField("scheduler");
        f.setAccessible(true);
        ((org.quartz.Scheduler) f.get(loop)).shutdown(false);
    }
}
