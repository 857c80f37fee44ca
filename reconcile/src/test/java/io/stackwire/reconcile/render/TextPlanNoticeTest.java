package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Severity;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextPlanNoticeTest {

    @Test
    void printsANoticeWithoutASubjectAfterItsLevelAlone() {
        Plan plan = new Plan(Plan.FORMAT_VERSION, "h", "r", "", List.of(), List.of(), List.of(
                new Notice(Severity.INFO, "other-owners-networks", null, "", "2 networks of 1 other repository left alone",
                        "other repositories: github.com/acme/billing"),
                new Notice(Severity.WARNING, "legacy-network-not-pruned", ResourceKey.network("old"), "app", "not removed", "")));

        assertThat(new TextPlan(false).render(plan))
                .contains("Info: 2 networks of 1 other repository left alone [other-owners-networks]\n"
                        + "  other repositories: github.com/acme/billing\n")
                .contains("Warning: network.old: not removed [legacy-network-not-pruned]\n");
    }
}
