package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every snapshot stackwire writes is valid against docs/schemas/live-state-v1.schema.json, and so
 * is what it reads back (from a full or a minimal hand-written file) and writes again.
 */
class LiveStateSchemaValidationTest {

    static final String MINIMAL = """
            {"format_version": 1, "swarm": {"role": "manager"},
             "networks": [{"id": "n1", "name": "front"}],
             "containers": [{"id": "c1", "name": "web", "endpoints": [{"network": "front"}]}]}
            """;

    static Stream<Arguments> states() {
        return Stream.of(
                Arguments.of("every field", LiveStateJsonTest.everything()),
                Arguments.of("empty", LiveState.empty()),
                Arguments.of("a swarm worker", LiveStateJsonTest.state(List.of(), List.of(),
                        new SwarmInfo(SwarmInfo.Role.WORKER, "node-2"), "1.45")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void everyWrittenSnapshotIsValid(String name, LiveState live) {
        PublishedSchema.LIVE_STATE.assertValid(LiveStateJson.write(live));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void aSnapshotReadBackAndWrittenAgainIsValid(String name, LiveState live) throws Exception {
        PublishedSchema.LIVE_STATE.assertValid(LiveStateJson.write(LiveStateJson.read(LiveStateJson.write(live))));
    }

    @Test
    void aMinimalHandWrittenSnapshotIsValidAndSoIsWhatItReadsAs() throws Exception {
        PublishedSchema.LIVE_STATE.assertValid(MINIMAL);
        PublishedSchema.LIVE_STATE.assertValid(LiveStateJson.write(LiveStateJson.read(MINIMAL)));
    }

    /** The validator really validates: these edits of a valid snapshot are each refused, as the reader refuses them. */
    @Test
    void theSchemaRefusesWhatTheReaderRefuses() {
        String json = LiveStateJson.write(LiveStateJsonTest.everything());
        assertThat(PublishedSchema.LIVE_STATE.errors(json.replace("\"role\": \"manager\"", "\"role\": \"boss\""))).isNotEmpty();
        assertThat(PublishedSchema.LIVE_STATE.errors(json.replace("\"format_version\": 1", "\"format_version\": 2"))).isNotEmpty();
        assertThat(PublishedSchema.LIVE_STATE.errors(json.replace("\"running\": true", "\"running\": \"yes\""))).isNotEmpty();
        assertThat(PublishedSchema.LIVE_STATE.errors(json.replace("\"created\": \"2024-05-01T09:00:00Z\"", "\"created\": \"yesterday\"")))
                .as("format: date-time is asserted").isNotEmpty();
    }
}
