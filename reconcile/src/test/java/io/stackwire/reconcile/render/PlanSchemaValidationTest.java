package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.plan.Plan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every plan stackwire writes is valid against docs/schemas/plan-v1.schema.json, and so is what it reads back and writes again. */
class PlanSchemaValidationTest {

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of("every action", SamplePlans.everyAction()),
                Arguments.of("container replacement", SamplePlans.replaceContainer()),
                Arguments.of("no changes", SamplePlans.empty()),
                Arguments.of("selector, with dependencies", SelectorRenderTest.plan()),
                Arguments.of("planned, with dependencies", PlanSchemaTest.planned()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void everySamplePlanIsValid(String name, Plan plan) {
        PublishedSchema.PLAN.assertValid(JsonPlan.write(plan));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void aPlanReadBackAndWrittenAgainIsValid(String name, Plan plan) throws Exception {
        PublishedSchema.PLAN.assertValid(JsonPlan.write(JsonPlan.read(JsonPlan.write(plan))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"every-action.json", "no-changes.json"})
    void everyGoldenPlanIsValid(String golden) throws Exception {
        PublishedSchema.PLAN.assertValid(Files.readString(Path.of("src", "test", "resources", "render", golden), StandardCharsets.UTF_8));
    }

    /** A saved plan with the repair of an interrupted replacement, as written by hand; read, then written again. */
    @Test
    void aReadRepairPlanWrittenAgainIsValid() throws Exception {
        String saved = """
                {"format_version": 1, "host": "edge-1", "revision": "3f2a9c1", "live_fingerprint": "",
                 "changes": [{"address": "container.web-stackwire-old", "kind": "container", "stack": "shop", "action": "delete",
                              "before": {}, "after": {}, "reason": "left by an interrupted replacement",
                              "forces_replacement": [], "disruptive": false, "endpoints": []}],
                 "steps": [{"id": 0, "op": "repair_replacement", "network": "", "network_id": null, "container": "web",
                            "create": null, "endpoint": null, "depends_on": [], "change": 0}],
                 "notices": []}
                """;
        String written = JsonPlan.write(JsonPlan.read(saved));

        assertThat(written).contains("\"op\": \"repair_replacement\"");
        PublishedSchema.PLAN.assertValid(written);
    }

    /** The validator really validates: these edits of a valid plan are each refused. */
    @Test
    void theSchemaRefusesWhatNoWriterEmits() {
        String json = JsonPlan.write(SamplePlans.everyAction());
        assertThat(PublishedSchema.PLAN.errors(json.replace("\"op\": \"disconnect\"", "\"op\": \"explode\""))).isNotEmpty();
        assertThat(PublishedSchema.PLAN.errors(json.replace("\"host\": \"edge-1\",", ""))).isNotEmpty();
        assertThat(PublishedSchema.PLAN.errors(json.replace("\"add\": ", "\"added\": "))).isNotEmpty();
        assertThat(PublishedSchema.PLAN.errors(json.replace("\"address\": \"network.front\"", "\"address\": \"front\""))).isNotEmpty();
    }
}
