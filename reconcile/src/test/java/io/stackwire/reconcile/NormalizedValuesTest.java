package io.stackwire.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwire.model.Attachment;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What Normalizer hands out cannot be changed by whoever receives it, nested values included. */
class NormalizedValuesTest {

    private static final Ipam IPAM = new Ipam("default",
            List.of(new IpamPool("10.1.0.0/24", "10.1.0.1", "10.1.0.0/25", Map.of("router", "10.1.0.2"))),
            Map.of("k", "v"));

    private static final NetworkSpec SPEC = new NetworkSpec("app", "s", "bridge", false, true, false, false, IPAM,
            Map.of("com.docker.network.driver.mtu", "1400"), Map.of("team", "web"), false, false, null);

    private static final LiveNetwork LIVE = new LiveNetwork("id1", "app", "bridge", "local", false, true, false, IPAM,
            Map.of("com.docker.network.driver.mtu", "1400"), Map.of("team", "web"), null);

    @Test
    void networkAttributesAreUnmodifiableAllTheWayDown() {
        for (SortedMap<String, Object> m : List.of(Normalizer.network(SPEC), Normalizer.network(LIVE),
                Normalizer.network(LIVE, SPEC))) {
            assertUnmodifiable(m);
            assertUnmodifiable(map(m.get("options")));
            assertUnmodifiable(map(m.get("labels")));
            assertUnmodifiable(map(m.get("ipam.options")));
            List<?> pools = (List<?>) m.get("ipam.config");
            assertThatThrownBy(() -> pools.remove(0)).isInstanceOf(UnsupportedOperationException.class);
            assertUnmodifiable(map(pools.get(0)));
            assertUnmodifiable(map(map(pools.get(0)).get("aux_addresses")));
        }
        assertThat(Normalizer.network(LIVE, SPEC)).isEqualTo(Normalizer.network(SPEC));
    }

    @Test
    void endpointAttributesAndTheWellKnownOptionsAreUnmodifiable() {
        LiveContainer c = new LiveContainer("0123456789abcdef", "web", true, "app", Map.of(),
                List.of(new LiveEndpoint("app", "id1", List.of("api"), "10.1.0.5", null, null, null, Map.of())),
                List.of(), List.of());
        SortedMap<String, Object> wanted = Normalizer.attachment(
                new Attachment("app", List.of("api"), "10.1.0.5", null, null), "web", c);

        assertUnmodifiable(wanted);
        assertUnmodifiable(Normalizer.endpoint(c.endpoint("app"), c));
        assertThat(Normalizer.endpoint(c.endpoint("app"), c)).isEqualTo(wanted);
        assertThatThrownBy(() -> Normalizer.WELL_KNOWN_OPTIONS.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void canonicalJsonSortsEveryMapAndEscapesStrings() {
        SortedMap<String, Object> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.put("a", "x\"y\n");
        reversed.put("b", List.of(true, 1));
        Map<String, Object> unsorted = Map.of("z", reversed, "c", "\u0001");

        assertThat(CanonicalJson.of(unsorted)).isEqualTo("{\"c\":\"\\u0001\",\"z\":{\"a\":\"x\\\"y\\n\",\"b\":[true,1]}}");
        assertThat(Normalizer.canonicalJson(Normalizer.network(SPEC)))
                .isEqualTo(Normalizer.canonicalJson(new TreeMap<>(Normalizer.network(SPEC))));
        assertThat(Normalizer.sha256Hex("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static void assertUnmodifiable(Map<String, Object> m) {
        assertThat(m).isNotNull();
        assertThatThrownBy(() -> m.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }
}
