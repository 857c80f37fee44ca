package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class MainTest {

    private static final String VERBOSITY = "slf4j.internal.verbosity";

    @Test
    void slf4jsNotesAboutItsOwnStartUpAreOffUnlessTheUserAskedForThem() {
        Properties unset = new Properties();
        Main.quietLoggingStartUp(unset);
        assertThat(unset.getProperty(VERBOSITY)).isEqualTo("ERROR");

        Properties asked = new Properties();
        asked.setProperty(VERBOSITY, "DEBUG");
        Main.quietLoggingStartUp(asked);
        assertThat(asked.getProperty(VERBOSITY)).isEqualTo("DEBUG");
    }
}
