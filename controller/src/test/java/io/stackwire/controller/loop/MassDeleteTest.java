package io.stackwire.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.DesiredState;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.StackSpec;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MassDeleteTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            trailer says yes                    | Drop old nets\\n\\nStackwire-Allow-Mass-Delete: yes            | true
            key case and value case ignored     | Drop old nets\\n\\nstackwire-allow-mass-delete: YES            | true
            true is yes                         | Drop old nets\\n\\nStackwire-Allow-Mass-Delete: true           | true
            among other trailers                | Drop\\n\\nSigned-off-by: A <a@x>\\nStackwire-Allow-Mass-Delete: yes | true
            value no                            | Drop old nets\\n\\nStackwire-Allow-Mass-Delete: no             | false
            only in the body, not a trailer     | Drop\\n\\nStackwire-Allow-Mass-Delete: yes\\n\\nMore text.     | false
            subject line alone is no trailer    | Stackwire-Allow-Mass-Delete: yes                              | false
            no trailer                          | Drop old nets                                                 | false
            empty (a local folder)              | ''                                                            | false
            """)
    void aCommitTrailerConfirmsAMassDelete(String what, String message, boolean confirmed) {
        assertThat(MassDelete.confirmedBy(message.replace("\\n", "\n"))).as(what).isEqualTo(confirmed);
    }

    private static final String A = "github.com/acme/infra";

    private static LiveNetwork managed(String name, String owner) {
        Map<String, String> labels = new TreeMap<>(Map.of(Labels.MANAGED, "true", Labels.STACK, "app"));
        if (owner != null) {
            labels.put(Labels.REPO, owner);
        }
        return new LiveNetwork("id-" + name, name, "bridge", "local", false, false, false, null, null, labels);
    }

    private static LiveState live(List<LiveNetwork> networks) {
        TreeMap<String, LiveNetwork> m = new TreeMap<>();
        networks.forEach(n -> m.put(n.name(), n));
        return new LiveState(m, null, null, null);
    }

    private static Plan deleting(String... networks) {
        List<Change> changes = new ArrayList<>();
        for (String n : networks) {
            changes.add(new Change(ResourceKey.network(n), "app", Action.DELETE, null, null, "gone", null, false, null));
        }
        return new Plan(Plan.FORMAT_VERSION, "h", "r", "", changes, List.of(), List.of());
    }

    @Test
    void countsOnlyThisRepositorysNetworksSoOthersCannotDiluteTheRatio() {
        List<LiveNetwork> networks = new ArrayList<>(List.of(managed("front", A), managed("old", A),
                managed("legacy-declared", null), managed("legacy-other", null), managed("by-hand", null)));
        networks.set(4, new LiveNetwork("id-x", "by-hand", "bridge", "local", false, false, false, null, null, null));
        for (int i = 0; i < 20; i++) {
            networks.add(managed("b" + i, "github.com/acme/billing"));
        }
        NetworkSpec declared = new NetworkSpec("legacy-declared", "app", null, false, false, false, false, null, null, null,
                false, false, null);
        DesiredState desired = DesiredState.of("h", "r", List.of(new StackSpec("app", "app.yaml", List.of(declared), List.of(), null)),
                RepoPolicy.DEFAULT).withOwner(A);

        MassDelete m = MassDelete.of(deleting("old", "front"), live(networks), desired);

        assertThat(m.managed()).as("front, old, and the legacy network this spec declares").isEqualTo(3);
        assertThat(m.removed()).isEqualTo(2);
        assertThat(m.exceeds(0.5)).as("2 of 3, whatever the 20 networks of another repository").isTrue();
    }
}
