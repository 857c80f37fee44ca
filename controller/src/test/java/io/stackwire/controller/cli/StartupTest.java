package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupTest {

    @Test
    void onlyPlanAndStatusAreKnownToOnlyReadTheDaemon() {
        assertThat(Startup.of("plan", "dir").readsOnly()).isTrue();
        assertThat(Startup.of("status").readsOnly()).isTrue();
        // These ask the observation for the daemon's clock (the events re-check under the lease).
        assertThat(Startup.of("apply", "dir").readsOnly()).isFalse();
        assertThat(Startup.of("destroy", "dir").readsOnly()).isFalse();
        assertThat(Startup.of("validate", "dir").readsOnly()).isFalse();
        assertThat(Startup.PLAIN.readsOnly()).as("in-process runs of any command").isFalse();
    }

    @Test
    void theLaunchersTrainingRunIsAPlanThatBuildsWhatAChangeNeedsAndNothingElseHeedsIt() {
        Map<String, String> training = Map.of(Startup.TRAINING, "1");
        Startup plan = Startup.of(training, "plan", "dir");
        assertThat(plan.training()).isTrue();
        assertThat(plan.changes()).as("docker-java built as for apply").isTrue();
        assertThat(plan.warmUp()).isTrue();
        // Any other command runs as it would without the variable.
        for (String command : new String[] {"apply", "destroy", "run", "status", "validate", "export-state"}) {
            assertThat(Startup.of(training, command, "dir")).as(command).isEqualTo(Startup.of(command, "dir"));
        }
        assertThat(Startup.of(Map.of(Startup.TRAINING, "0"), "plan", "dir")).isEqualTo(Startup.of("plan", "dir"));
        assertThat(Startup.of("plan", "dir").training()).isFalse();
    }
}
