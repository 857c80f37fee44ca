package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/schemas/plan-v1.schema.json in step with the writer: every object the writer emits
 * has exactly the keys the schema requires, in the schema's order (a validator does not check
 * order; {@link PlanSchemaValidationTest} validates the same output with one).
 */
class PlanSchemaTest {

    private static final Path SCHEMA = Path.of("..", "docs", "schemas", "plan-v1.schema.json");

    @Test
    void writerEmitsExactlyTheKeysTheSchemaRequires() throws Exception {
        JsonNode schema = JsonFormat.VALUES.readTree(SCHEMA.toFile());
        JsonNode plan = JsonFormat.VALUES.readTree(JsonPlan.write(SamplePlans.everyAction()));
        JsonNode defs = schema.get("$defs");

        assertThat(keys(plan)).isEqualTo(required(schema));
        assertThat(keys(plan.get("changes").get(1))).isEqualTo(required(defs.get("change")));
        assertThat(keys(plan.get("changes").get(1).get("endpoints").get(0)))
                .isEqualTo(required(defs.get("change").get("properties").get("endpoints").get("items")));
        for (JsonNode step : plan.get("steps")) {
            assertThat(keys(step)).isEqualTo(required(defs.get("step")));
        }
        assertThat(keys(plan.get("steps").get(5).get("create")))
                .isEqualTo(required(defs.get("step").get("properties").get("create").get("oneOf").get(1)));
        assertThat(keys(plan.get("steps").get(6).get("endpoint")))
                .isEqualTo(required(defs.get("step").get("properties").get("endpoint").get("oneOf").get(1)));
        assertThat(keys(plan.get("notices").get(0))).isEqualTo(required(defs.get("notice")));
        assertThat(keys(plan.get("summary"))).isEqualTo(required(defs.get("summary")));
        assertThat(schema.get("properties").get("format_version").get("const").asInt()).isEqualTo(plan.get("format_version").asInt());
    }

    @Test
    void replaceStepsAddTheOptionalReplaceObject() throws Exception {
        JsonNode schema = JsonFormat.VALUES.readTree(SCHEMA.toFile());
        JsonNode step = JsonFormat.VALUES.readTree(JsonPlan.write(SamplePlans.replaceContainer())).get("steps").get(0);
        JsonNode stepSchema = schema.get("$defs").get("step");
        List<String> expected = new ArrayList<>(required(stepSchema));
        expected.add("replace");
        assertThat(keys(step)).isEqualTo(expected);
        assertThat(keys(step.get("replace"))).isEqualTo(required(stepSchema.get("properties").get("replace")));
    }

    @Test
    void aPlannedPlanAddsItsDependenciesLastAsTheSchemaDescribes() throws Exception {
        JsonNode schema = JsonFormat.VALUES.readTree(SCHEMA.toFile());
        JsonNode json = JsonFormat.VALUES.readTree(JsonPlan.write(planned()));

        List<String> expected = new ArrayList<>(required(schema));
        expected.add("dependencies");
        assertThat(keys(json)).isEqualTo(expected);
        assertThat(schema.get("properties").get("dependencies").get("additionalProperties").get("type").toString())
                .isEqualTo("[\"object\",\"null\"]");
        assertThat(json.get("dependencies").has("network.front")).isTrue();
        assertThat(json.get("dependencies").get("network.front").isNull()).as("absent when planned").isTrue();
    }

    /** A plan the planner made for one network on an empty daemon: it records its dependencies. */
    static io.stackwire.reconcile.plan.Plan planned() {
        var front = new io.stackwire.model.NetworkSpec("front", "app", "bridge", false, false, false, false, null, null, null,
                false, false, null);
        var desired = io.stackwire.model.DesiredState.of("h", "r",
                List.of(new io.stackwire.model.StackSpec("app", "app.yaml", List.of(front), List.of(), null)),
                io.stackwire.model.RepoPolicy.DEFAULT);
        return io.stackwire.reconcile.plan.Planner.plan(desired, io.stackwire.reconcile.LiveState.empty(),
                io.stackwire.reconcile.plan.PlanPolicy.from(io.stackwire.model.RepoPolicy.DEFAULT));
    }

    private static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<String> required(JsonNode schemaObject) {
        List<String> keys = new ArrayList<>();
        schemaObject.get("required").forEach(k -> keys.add(k.asText()));
        return keys;
    }
}
