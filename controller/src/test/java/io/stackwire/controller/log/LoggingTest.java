package io.stackwire.controller.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.controller.log.Logging.LogFormat;
import io.stackwire.controller.log.Logging.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {

    private static final Logger LOOP = LoggerFactory.getLogger("io.stackwire.loop");
    private static final Logger LIBRARY = LoggerFactory.getLogger("com.github.dockerjava.core.DockerClientImpl");

    @AfterEach
    void backToTheDefault() {
        Logging.configure(LogLevel.INFO, LogFormat.TEXT);
    }

    /** What is logged to stderr while {@code r} runs. */
    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesCarryTimeLevelLoggerMessageAndTheEventsFields() throws Exception {
        Logging.configure(LogLevel.INFO, LogFormat.JSON);
        String out = stderrOf(() -> LOOP.atInfo().addKeyValue("outcome", "applied").addKeyValue("steps", 3)
                .log("pass {}: applied \"quoted\"", "[START]"));

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.get("timestamp").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("loggerName").asText()).isEqualTo("io.stackwire.loop");
        assertThat(line.get("formattedMessage").asText()).isEqualTo("pass [START]: applied \"quoted\"");
        assertThat(line.get("kvpList").toString()).contains("\"outcome\":\"applied\"", "\"steps\":\"3\"");
    }

    @Test
    void textLinesHaveAUtcTimestampLevelAndShortLoggerName() {
        Logging.configure(LogLevel.INFO, LogFormat.TEXT);
        String out = stderrOf(() -> LOOP.info("pass [START] rev c1: no changes (3 ms)"));

        assertThat(out).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\[INFO] loop - pass \\[START] rev c1: no changes \\(3 ms\\)\\R");
    }

    @Test
    void theLevelAppliesToStackwireWhileLibrariesStayAtWarnings() {
        Logging.configure(LogLevel.DEBUG, LogFormat.TEXT);
        String debug = stderrOf(() -> {
            LOOP.debug("our debug");
            LIBRARY.info("library chatter");
            LIBRARY.warn("library warning");
        });
        assertThat(debug).contains("our debug", "library warning").doesNotContain("library chatter");

        Logging.configure(LogLevel.WARN, LogFormat.TEXT);
        assertThat(stderrOf(() -> LOOP.info("pass ..."))).isEmpty();

        Logging.configure(LogLevel.ERROR, LogFormat.TEXT);
        assertThat(stderrOf(() -> {
            LIBRARY.warn("library warning");
            LOOP.warn("our warning");
            LOOP.error("our error");
        })).doesNotContain("warning").contains("our error");
    }

    @Test
    void systemLoggerCallsGoThroughTheSameSetup() {
        Logging.configure(LogLevel.INFO, LogFormat.JSON);
        String out = stderrOf(() -> System.getLogger("io.stackwire.reconcile.docker.DockerJavaGateway")
                .log(System.Logger.Level.WARNING, "create network x: a warning"));

        assertThat(out).contains("\"loggerName\":\"io.stackwire.reconcile.docker.DockerJavaGateway\"",
                "\"formattedMessage\":\"create network x: a warning\"");
    }

    @Test
    void theEnvironmentSetsLevelAndFormatAndABadValueIsNamed() {
        assertThat(Logging.Settings.from(Map.of())).isEqualTo(new Logging.Settings(LogLevel.INFO, LogFormat.TEXT, null));
        assertThat(Logging.Settings.from(Map.of(Logging.LEVEL_ENV, "Debug", Logging.FORMAT_ENV, "JSON")))
                .isEqualTo(new Logging.Settings(LogLevel.DEBUG, LogFormat.JSON, null));
        assertThat(Logging.Settings.from(Map.of(Logging.LEVEL_ENV, "loud")).problem())
                .isEqualTo("STACKWIRE_LOG_LEVEL=loud is not a log level; use error, warn, info, debug or trace");
        assertThat(Logging.Settings.from(Map.of(Logging.FORMAT_ENV, "xml")).problem())
                .isEqualTo("STACKWIRE_LOG_FORMAT=xml is not a log format; use text or json");
    }
}
