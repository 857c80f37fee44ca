package io.stackwire.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSelector;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.StackSpec;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.plan.Planner;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A select: entry's matches are shown as their own attachment lines, grouped under the entry. */
class SelectorRenderTest {

    static Plan plan() {
        NetworkSpec app = new NetworkSpec("app", "shop", "bridge", false, false, false, false,
                new Ipam(null, List.of(new IpamPool("10.7.0.0/24", null, null, null)), null), null, null, false, false, null);
        ContainerSpec web = new ContainerSpec("web", "shop", List.of(new Attachment("app", List.of("web"), null, null, null)),
                List.of(), null, null, false, new ContainerSelector("web", Map.of(ContainerSelector.COMPOSE_PROJECT, "shop",
                        ContainerSelector.COMPOSE_SERVICE, "web"), null));
        ContainerSpec db = new ContainerSpec("db", "shop", List.of(new Attachment("app", List.of(), null, null, null)),
                List.of(), null, null);
        DesiredState desired = DesiredState.of("h", "r1", List.of(new StackSpec("shop", "shop.yaml", List.of(app),
                List.of(web, db), null)), RepoPolicy.DEFAULT);
        LiveNetwork net = new LiveNetwork("id-app", "app", "bridge", "local", false, false, false,
                new Ipam("default", List.of(new IpamPool("10.7.0.0/24", null, null, null)), null), Map.of(),
                Map.of(Labels.MANAGED, "true", Labels.STACK, "shop"));
        TreeMap<String, LiveContainer> containers = new TreeMap<>();
        for (String n : List.of("shop-web-1", "shop-web-2")) {
            containers.put(n, new LiveContainer("id-" + n, n, true, "shop_default", Map.of(ContainerSelector.COMPOSE_PROJECT, "shop",
                    ContainerSelector.COMPOSE_SERVICE, "web"), List.of(), List.of(), List.of()));
        }
        containers.put("db", new LiveContainer("id-db", "db", true, "bridge", Map.of(), List.of(), List.of(), List.of()));
        LiveState live = new LiveState(new TreeMap<>(Map.of("app", net)), containers, SwarmInfo.NONE, "1.41");
        return Planner.plan(desired, live, PlanPolicy.from(RepoPolicy.DEFAULT));
    }

    @Test
    void textGroupsEachMatchedContainersLinesUnderItsEntry() throws Exception {
        String text = new TextPlan(false).render(plan());
        GoldenFiles.assertMatches("selector.txt", text);
        assertThat(text.indexOf("+ attachment.db/app")).isLessThan(text.indexOf("Entry web selects"));
        assertThat(text).contains("Entry web selects compose project shop, service web, matching shop-web-1, shop-web-2:");
    }

    @Test
    void markdownNamesTheEntryOfEachMatchedContainer() {
        String md = MarkdownPlan.render(plan());
        assertThat(md).contains("| `+` | `attachment.shop-web-1/app` (selected by `web`) | shop |")
                .contains("| `+` | `attachment.db/app` | shop |");
    }

    @Test
    void jsonCarriesTheEntryAndTheMatchedContainerAndReadsBack() throws Exception {
        Plan plan = plan();
        String json = JsonPlan.write(plan);
        JsonNode tree = JsonPlan.toTree(plan);
        JsonNode first = tree.get("changes").get(1);
        assertThat(first.get("address").asText()).isEqualTo("attachment.shop-web-1/app");
        assertThat(first.get("selected_by").asText()).isEqualTo("web");
        assertThat(tree.get("changes").get(0).has("selected_by")).isFalse();
        assertThat(tree.get("dependencies").get("selector.web").get("containers").toString())
                .isEqualTo("[\"shop-web-1\",\"shop-web-2\"]");
        Plan back = JsonPlan.read(json);
        assertThat(JsonPlan.write(back)).isEqualTo(json);
        assertThat(new TextPlan(false).render(back)).isEqualTo(new TextPlan(false).render(plan));
    }
}
