package io.stackwire.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.controller.lease.Renewals;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;

/** The loop's lease renewals run on its Quartz scheduler, and on a thread of their own only without one. */
class LoopTimersTest {

    private final Set<String> threads = ConcurrentHashMap.newKeySet();

    @Test
    void renewalsRunOnTheLoopsSchedulerAndStopWhenAsked() throws Exception {
        Scheduler s = LoopTimers.start(LoopConfig.defaults("edge", "timers-test"), (t, d) -> { });
        try {
            Renewals.Ticking ticking = LoopTimers.renewals(() -> s).every(Duration.ofMillis(20),
                    () -> threads.add(Thread.currentThread().getName()));
            await().atMost(Duration.ofSeconds(10)).until(() -> !threads.isEmpty());
            ticking.stop();
            assertThat(s.getJobGroupNames().stream().flatMap(g -> {
                try {
                    return s.getJobKeys(org.quartz.impl.matchers.GroupMatcher.jobGroupEquals(g)).stream();
                } catch (org.quartz.SchedulerException e) {
                    throw new IllegalStateException(e);
                }
            }).toList()).as("the renewal job is gone").isEmpty();
        } finally {
            s.shutdown(true);
        }
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("stackwire-timers-test"));
    }

    @Test
    void withoutARunningSchedulerRenewalsHaveTheirOwnThread() {
        Renewals.Ticking ticking = LoopTimers.renewals(() -> null).every(Duration.ofMillis(20),
                () -> threads.add(Thread.currentThread().getName()));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !threads.isEmpty());
        } finally {
            ticking.stop();
        }
        assertThat(threads).containsOnly("stackwire-lease-renewal");
    }
}
