package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;

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

        assertThat(s).isEqualTo(new PlanSummary(2, 1, 2, 1, 1, 1));
        assertThat(s.line()).isEqualTo("Plan: 2 to add, 1 to change, 2 to destroy, 1 to connect, 1 to disconnect.");
    }
}
