package io.stackwire.reconcile.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SlowStepsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> heard = new ArrayList<>();
    private final SlowSteps slow = new SlowSteps(new ProgressListener() {
        @Override
        public void started(Step step) {
            heard.add("started " + step.describe());
        }

        @Override
        public void finished(StepResult result) {
            heard.add("finished " + result.step().describe());
        }

        @Override
        public void stillRunning(Step step, Duration elapsed) {
            heard.add(SlowSteps.line(step, elapsed));
        }
    }, now::get);

    private static final Step REPLACE = new Step.ReplaceContainer(0, "web",
            new io.stackwire.reconcile.daemon.ContainerReplace("id-web", List.of(), false), List.of(), 0);
    private static final Step REMOVE = new Step.RemoveNetwork(1, "back", "id-back", null, List.of(), 1);

    private void at(long millis) {
        now.set(1_000_000 + millis);
        slow.tick();
    }

    @Test
    void reportsARunningStepAfterThreeSecondsThenEveryTenUntilItFinishes() {
        slow.started(REPLACE);
        at(1_000);
        slow.started(REMOVE);
        at(2_999);
        assertThat(heard).containsExactly("started replace container web", "started remove network back");
        heard.clear();

        at(3_200);
        assertThat(heard).containsExactly("container.web: Still replacing... [3s elapsed]");
        at(3_900);
        at(4_000);
        assertThat(heard).containsExactly("container.web: Still replacing... [3s elapsed]",
                "network.back: Still removing... [3s elapsed]");
        heard.clear();

        at(9_999);
        assertThat(heard).isEmpty();
        at(10_400);
        at(10_900);
        assertThat(heard).containsExactly("container.web: Still replacing... [10s elapsed]");
        heard.clear();

        slow.finished(new StepResult(REPLACE, StepResult.Status.APPLIED, "", 12_000));
        at(21_000);
        at(31_000);
        assertThat(heard).containsExactly("finished replace container web", "network.back: Still removing... [20s elapsed]",
                "network.back: Still removing... [30s elapsed]");
    }

    @Test
    void aStepThatFinishesInTimeIsNeverReported() {
        slow.started(REPLACE);
        at(2_500);
        slow.finished(new StepResult(REPLACE, StepResult.Status.APPLIED, "", 2_500));
        at(60_000);

        assertThat(heard).containsExactly("started replace container web", "finished replace container web");
    }

    @Test
    void linesNameTheResourceAndWhatIsGoingOn() {
        Duration d = Duration.ofMillis(10_700);
        assertThat(SlowSteps.line(new Step.CreateNetwork(0, "app", null, List.of(), 0), d))
                .isEqualTo("network.app: Still creating... [10s elapsed]");
        assertThat(SlowSteps.line(new Step.Connect(0, "app", "web", null, List.of(), 0), d))
                .isEqualTo("container.web: Still connecting to app... [10s elapsed]");
        assertThat(SlowSteps.line(new Step.Disconnect(0, "app", "web", null, List.of(), 0), d))
                .isEqualTo("container.web: Still disconnecting from app... [10s elapsed]");
    }

    @Test
    void theTickerStopsWhenClosed() throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        SlowSteps real = SlowSteps.start(new ProgressListener() {
            @Override
            public void stillRunning(Step step, Duration elapsed) {
                lines.add(SlowSteps.line(step, elapsed));
            }
        });
        real.close();
        real.started(REPLACE);
        Thread.sleep(SlowSteps.TICK.toMillis() * 3); // deliberate: three ticks pass, and none may print
        assertThat(lines).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("stackwire-progress") && t.isAlive());
    }
}
