package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.ep;
import static io.stackwire.reconcile.plan.Fx.net;
import static io.stackwire.reconcile.plan.Fx.predefined;
import static io.stackwire.reconcile.plan.Fx.running;
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.stopped;
import static io.stackwire.reconcile.plan.Fx.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo.Role;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    private static LiveState base() {
        return state(with(predefined(), net("front").subnet("10.1.0.0/24").label("a", "1").label("b", "2").live()),
                List.of(Fx.withPorts(running("web", ep("web", "front", "x", "y")), "8080:80")));
    }

    @Test
    void isHexSha256() {
        assertThat(Fingerprint.of(base())).matches("[0-9a-f]{64}");
    }

    @Test
    void equalStatesGiveEqualFingerprintsRegardlessOfOrder() {
        Random r = new Random(3);
        for (int i = 0; i < 10; i++) {
            assertThat(Fingerprint.of(PlanOrderingTest.shuffle(base(), r))).isEqualTo(Fingerprint.of(base()));
        }
    }

    @Test
    void ignoresRunningStateRuntimeAddressesAndApiVersion() {
        LiveContainer web = base().container("web");
        LiveEndpoint e = web.endpoint("front");
        LiveContainer stoppedWeb = new LiveContainer(web.id(), web.name(), false, web.networkMode(), web.labels(),
                List.of(new LiveEndpoint(e.network(), e.networkId(), e.aliases(), e.ipv4Config(), e.ipv6Config(), "10.1.0.77", "fd00::9")),
                web.configuredPorts(), List.of(io.stackwire.model.PortBinding.parse("32768:80")));
        LiveState other = new LiveState(base().networks(), new java.util.TreeMap<>(Map.of("web", stoppedWeb)), base().swarm(), "1.44");
        assertThat(Fingerprint.of(other)).isEqualTo(Fingerprint.of(base()));
    }

    @Test
    void changesWhenAnythingPlanningReadsChanges() {
        String fp = Fingerprint.of(base());
        LiveNetwork front = base().network("front");
        LiveState newId = state(with(predefined(), new LiveNetwork("other-id", "front", front.driver(), front.scope(), front.internal(),
                front.attachable(), front.ipv6(), front.ipam(), front.options(), front.labels())), List.copyOf(base().containers().values()));
        LiveState unlabelled = state(with(predefined(), net("front").subnet("10.1.0.0/24").label("a", "1").label("b", "2").unmanaged()),
                List.copyOf(base().containers().values()));
        LiveState aliasGone = state(List.copyOf(base().networks().values()), List.of(Fx.withPorts(running("web", ep("web", "front", "x")), "8080:80")));
        LiveState portsGone = state(List.copyOf(base().networks().values()), List.of(running("web", ep("web", "front", "x", "y"))));
        LiveState newContainer = state(List.copyOf(base().networks().values()),
                List.of(base().container("web"), stopped("db")));
        LiveState manager = state(List.copyOf(base().networks().values()), List.copyOf(base().containers().values()), Role.MANAGER);
        for (LiveState s : List.of(newId, unlabelled, aliasGone, portsGone, newContainer, manager)) {
            assertThat(Fingerprint.of(s)).isNotEqualTo(fp);
        }
    }

    @Test
    void isPinnedSoOlderSavedPlansStillMatch() {
        assertThat(Fingerprint.of(base())).isEqualTo(PINNED);
    }

    @Test
    void keepsNoStateBetweenCalls() {
        // The observation is hashed where it is needed, once; no static memo ties threads together.
        assertThat(Fingerprint.class.getDeclaredFields()).allMatch(f -> f.isSynthetic() || !Modifier.isStatic(f.getModifiers()));
    }

    private static final String PINNED = "ab02fbc80d1cf8fbe5fb354c84e837ba074fee194b84733ef7e49fd1d4cfab39";
}
