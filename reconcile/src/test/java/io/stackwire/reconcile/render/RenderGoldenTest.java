package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKey;
import org.junit.jupiter.api.Test;

class RenderGoldenTest {

    @Test
    void rendersEveryActionAsText() throws Exception {
        GoldenFiles.assertMatches("every-action.txt", new TextPlan(false).render(SamplePlans.everyAction()));
    }

    @Test
    void rendersEveryActionAsTextInColour() throws Exception {
        GoldenFiles.assertMatches("every-action.ansi.txt", new TextPlan(true).render(SamplePlans.everyAction()));
    }

    @Test
    void rendersEveryActionAsJson() throws Exception {
        GoldenFiles.assertMatches("every-action.json", JsonPlan.write(SamplePlans.everyAction()));
    }

    @Test
    void rendersEveryActionAsMarkdown() throws Exception {
        GoldenFiles.assertMatches("every-action.md", MarkdownPlan.render(SamplePlans.everyAction()));
    }

    @Test
    void saysNoChangesForAnEmptyPlan() throws Exception {
        GoldenFiles.assertMatches("no-changes.txt", new TextPlan(false).render(SamplePlans.empty()));
        GoldenFiles.assertMatches("no-changes.json", JsonPlan.write(SamplePlans.empty()));
        GoldenFiles.assertMatches("no-changes.md", MarkdownPlan.render(SamplePlans.empty()));
    }

    @Test
    void usesNoEscapeCodesWithoutColour() {
        assertThat(new TextPlan(false).render(SamplePlans.everyAction())).doesNotContain("\u001b[");
    }

    @Test
    void rendersTheSamePlanToTheSameBytes() {
        assertThat(JsonPlan.write(SamplePlans.everyAction())).isEqualTo(JsonPlan.write(SamplePlans.everyAction()));
        assertThat(new TextPlan(false).render(SamplePlans.everyAction())).isEqualTo(new TextPlan(false).render(SamplePlans.everyAction()));
    }

    @Test
    void countsAReplacementAsOneAddAndOneDestroy() {
        PlanSummary s = PlanSummary.of(SamplePlans.everyAction());

        assertThat(s).isEqualTo(new PlanSummary(2, 1, 2, 1, 1, 1, 1, 1));
        assertThat(s.line()).isEqualTo("Plan: 2 to add, 1 to change, 2 to destroy, 1 to connect, 1 to disconnect; 1 error, 1 warning.");
    }

    @Test
    void aPlanWithAnErrorNeverSaysTheDaemonMatchesTheSpec() {
        Plan refused = new Plan(Plan.FORMAT_VERSION, "h", "", "", List.of(), List.of(), List.of(
                new Notice(Severity.ERROR, "swarm-required", ResourceKey.network("mesh"), "s", "needs swarm", "docker swarm init"),
                new Notice(Severity.WARNING, "pending-container", ResourceKey.container("w"), "s", "not yet", ""),
                new Notice(Severity.WARNING, "pending-container", ResourceKey.container("x"), "s", "not yet", "")));

        String text = new TextPlan(false).render(refused);
        assertThat(text).doesNotContain("matches the spec")
                .endsWith("No changes can be made, and the daemon does not match the spec: 1 error, 2 warnings (see above).\n");
        assertThat(MarkdownPlan.render(refused)).doesNotContain("matches the spec").contains("**No changes can be made");
        assertThat(JsonPlan.toTree(refused).get("summary").get("errors").asInt()).isEqualTo(1);
        assertThat(JsonPlan.toTree(refused).get("summary").get("warnings").asInt()).isEqualTo(2);
    }

    @Test
    void warningsAloneKeepTheNoChangesLineAndAreCounted() {
        Plan quiet = new Plan(Plan.FORMAT_VERSION, "h", "", "", List.of(), List.of(), List.of(
                new Notice(Severity.WARNING, "pending-container", ResourceKey.container("w"), "s", "not yet", ""),
                new Notice(Severity.INFO, "other-owners-networks", null, "", "2 networks of 1 other repository left alone", "")));

        assertThat(new TextPlan(false).render(quiet)).contains("Info: 2 networks of 1 other repository left alone")
                .endsWith("No changes. The daemon matches the spec; 1 warning.\n");
        assertThat(PlanSummary.headline(new Plan(Plan.FORMAT_VERSION, "h", "", "", List.of(), List.of(), List.of())))
                .isEqualTo(PlanSummary.NO_CHANGES);
    }
}
