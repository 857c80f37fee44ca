package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
