package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The test-only pause of a replacement is off unless asked for exactly. */
class FaultPauseTest {

    @Test
    void onlyAKnownPointWithAContainerNamePauses() {
        assertThat(FaultPause.parse(null)).isNull();
        assertThat(FaultPause.parse("")).isNull();
        assertThat(FaultPause.parse("1")).isNull();
        assertThat(FaultPause.parse("before-stop")).as("no container: would pause any replacement").isNull();
        assertThat(FaultPause.parse("before-stop:")).isNull();
        assertThat(FaultPause.parse("somewhere:web")).isNull();
        assertThat(FaultPause.parse("between-renames:web")).isEqualTo("between-renames:web");
    }

    @Test
    void withoutTheVariableNothingPauses() {
        long start = System.nanoTime();
        FaultPause.at("before-stop", "web"); // STACKWIRE_TEST_PAUSE_AT is not set for unit tests
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }
}
