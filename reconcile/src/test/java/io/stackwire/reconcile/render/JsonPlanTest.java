package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonPlanTest {

    @Test
    void readsBackExactlyThePlanItWrote() throws Exception {
        Plan plan = SamplePlans.everyAction();

        Plan back = JsonPlan.read(JsonPlan.write(plan));

        assertThat(back).isEqualTo(plan);
        assertThat(JsonPlan.write(back)).isEqualTo(JsonPlan.write(plan));
    }

    @Test
    void readsBackAContainerReplacementWithItsPortsAndApprovalFlag() throws Exception {
        Plan plan = SamplePlans.replaceContainer();
        String json = JsonPlan.write(plan);
        JsonNode replace = JsonFormat.VALUES.readTree(json).get("steps").get(0).get("replace");
        assertThat(replace.get("ports")).extracting(JsonNode::asText)
                .containsExactly("80", "127.0.0.1:444:443", "5000-5001:2000-2001/udp");
        assertThat(replace.get("needs_approval").asBoolean()).isTrue();
        assertThat(JsonPlan.read(json)).isEqualTo(plan);
    }

    @Test
    void readsBackTheRepairOfAnInterruptedReplacementAndTheSchemaKnowsEveryOp() throws Exception {
        Plan plan = new Plan(Plan.FORMAT_VERSION, "edge-1", "3f2a9c1", "sha256:5d41402abc4b2a76b9719d911017c592",
                List.of(new io.stackwire.reconcile.plan.Change(ResourceKey.container("web-stackwire-old"), "shop",
                        io.stackwire.reconcile.plan.Action.DELETE, null, null, "the old web, left by a replacement interrupted after the swap",
                        List.of(), false, List.of())),
                List.of(new io.stackwire.reconcile.plan.Step.RepairReplacement(0, "web", null, 0)), null);
        String json = JsonPlan.write(plan);

        assertThat(JsonFormat.VALUES.readTree(json).get("steps").get(0).get("op").asText()).isEqualTo("repair_replacement");
        assertThat(JsonPlan.read(json)).isEqualTo(plan);
        JsonNode ops = JsonFormat.VALUES.readTree(Path.of("..", "docs", "schemas", "plan-v1.schema.json").toFile())
                .at("/$defs/step/properties/op/enum");
        List<String> documented = new ArrayList<>();
        ops.forEach(o -> documented.add(o.asText()));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(io.stackwire.reconcile.plan.StepOp.values())
                .map(o -> o.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }

    @Test
    void readsBackAnEmptyPlan() throws Exception {
        assertThat(JsonPlan.read(JsonPlan.write(SamplePlans.empty()))).isEqualTo(SamplePlans.empty());
    }

    @Test
    void writesTopLevelKeysInDocumentedOrder() throws Exception {
        JsonNode root = JsonFormat.VALUES.readTree(JsonPlan.write(SamplePlans.everyAction()));
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);

        assertThat(keys).containsExactly("format_version", "host", "revision", "live_fingerprint", "changes", "steps", "notices", "summary");
        assertThat(root.get("format_version").asInt()).isEqualTo(Plan.FORMAT_VERSION);
    }

    @Test
    void rejectsAnotherFormatVersionWithAClearMessage() {
        String future = JsonPlan.write(SamplePlans.empty()).replace("\"format_version\": 1", "\"format_version\": 2");

        assertThatThrownBy(() -> JsonPlan.read(future))
                .isInstanceOf(PlanFormatException.class)
                .hasMessage("saved plan has format_version 2, but this stackwire reads only format_version 1;"
                        + " run plan again with this version of stackwire");
    }

    @Test
    void rejectsJsonThatIsNotAPlan() {
        assertThatThrownBy(() -> JsonPlan.read("{\"stacks\": []}"))
                .isInstanceOf(PlanFormatException.class)
                .hasMessageContaining("no \"format_version\"");
        assertThatThrownBy(() -> JsonPlan.read("{\"format_version\": 1,"))
                .isInstanceOf(PlanFormatException.class)
                .hasMessageStartingWith("not a saved plan: invalid JSON at line 1");
        assertThatThrownBy(() -> JsonPlan.read("{\"format_version\": 1, \"host\": \"h\", \"steps\": [{\"id\": 0, \"op\": \"explode\"}]}"))
                .isInstanceOf(PlanFormatException.class)
                .hasMessage("not a valid saved plan: unknown stepop \"explode\"");
    }

    @Test
    void tellsSavedPlansFromSpecFolders(@TempDir Path dir) throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.json"), JsonPlan.write(SamplePlans.empty()));
        Path yaml = Files.writeString(dir.resolve("stack.yaml"), "stack: shop\n");

        assertThat(JsonPlan.looksLikeSavedPlan(plan)).isTrue();
        assertThat(JsonPlan.looksLikeSavedPlan(yaml)).isFalse();
        assertThat(JsonPlan.looksLikeSavedPlan(dir)).isFalse();
    }

    @Test
    void parsesEveryKindOfAddress() {
        for (ResourceKey k : List.of(ResourceKey.network("front.v2"), ResourceKey.container("web"), ResourceKey.attachment("web.1", "front"))) {
            assertThat(JsonPlan.key(k.address())).isEqualTo(k);
        }
    }
}
