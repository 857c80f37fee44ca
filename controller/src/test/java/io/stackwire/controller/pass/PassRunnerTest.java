package io.stackwire.controller.pass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.plan.HostPorts;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The runner's stages called directly: no threads, no daemon, no sleeps. */
class PassRunnerTest {

    private static final HostPorts PROBED = new HostPorts(true, Set.of("10.0.0.1"), new TreeMap<>());

    /** The executor is never asked to do anything here. */
    private static final DockerGateway NO_DAEMON = (DockerGateway) Proxy.newProxyInstance(
            DockerGateway.class.getClassLoader(), new Class<?>[] {DockerGateway.class}, (p, m, a) -> {
                throw new UnsupportedOperationException(m.getName());
            });

    private final List<PlanPolicy> planned = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final PassRunner runner = new PassRunner((root, host) -> null, (d, l, p) -> {
        planned.add(p);
        return new Plan(Plan.FORMAT_VERSION, "h", "r", "", null, null, null);
    }, (d, l) -> {
        calls.add("probe");
        return PROBED;
    });

    @Test
    void aPlanSeesThisHostUnlessItDestroys() {
        PlanPolicy apply = new PlanPolicy(true, false, false, Set.of(), false, HostPorts.UNKNOWN, PlanPolicy.Peers.NONE);
        assertThat(runner.checkHost(null, LiveState.empty(), apply).host()).isEqualTo(PROBED);
        PlanPolicy destroy = PlanPolicy.destroy(Set.of());
        assertThat(runner.checkHost(null, LiveState.empty(), destroy).host()).isEqualTo(HostPorts.UNKNOWN);
        assertThat(calls).containsExactly("probe");
        assertThat(runner.withoutHostCheck().checkHost(null, LiveState.empty(), apply).host()).isEqualTo(HostPorts.UNKNOWN);
    }

    @Test
    void theLeaseIsReleasedAfterTheApplyHasSaidItsPieceEvenWhenItThrows() {
        HeldLease lost = lease(false);
        PassRunner.Leased<String> r = PassRunner.underLease(lost, NO_DAEMON, 1, executor -> {
            calls.add("apply");
            return "done";
        });
        assertThat(r).isEqualTo(new PassRunner.Leased<>("done", false));
        assertThatThrownBy(() -> PassRunner.underLease(lease(true), NO_DAEMON, 1, executor -> {
            calls.add("apply");
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(calls).containsExactly("guard", "apply", "release", "guard", "apply", "release");
    }

    private HeldLease lease(boolean kept) {
        return new HeldLease() {
            @Override
            public DockerGateway guard(DockerGateway gateway) {
                calls.add("guard");
                return gateway;
            }

            @Override
            public boolean release() {
                calls.add("release");
                return kept;
            }
        };
    }
}
