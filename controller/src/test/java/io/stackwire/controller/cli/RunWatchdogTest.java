package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.controller.loop.LoopConfig;
import io.stackwire.controller.loop.ReconcileLoop;
import io.stackwire.controller.source.LocalSource;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code stackwire run} waits: until SIGTERM, or until the loop cannot go on (then it exits non-zero). */
class RunWatchdogTest {

    @TempDir
    Path dir;

    private ReconcileLoop loop() throws Exception {
        Files.writeString(dir.resolve("stack.yaml"), "stack: t\nnetworks:\n  t-a: {}\n");
        FakeDocker docker = new FakeDocker();
        return new ReconcileLoop(LoopConfig.defaults("edge", "me"), new LocalSource(dir), SpecLoader::load, Planner::plan,
                ReconcileLoop.HostCheck.NONE, docker, () -> 0, Clock.systemUTC(), new Random(1));
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

    private static void stopTimers(ReconcileLoop loop) throws Exception {
        var f = ReconcileLoop.class.getDeclaredField("scheduler");
        f.setAccessible(true);
        ((org.quartz.Scheduler) f.get(loop)).shutdown(false);
    }
}
