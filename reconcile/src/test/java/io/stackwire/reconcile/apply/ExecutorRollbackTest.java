package io.stackwire.reconcile.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.apply.StepResult.Status;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.Step;
import io.stackwire.reconcile.plan.StepOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A change that fails half-way never leaves a container with fewer attachments than before the apply. */
class ExecutorRollbackTest {

    private static final Map<String, String> OURS = Map.of(Labels.MANAGED, "true", Labels.STACK, "shop");
    private static final NetworkCreate OLD_FRONT = new NetworkCreate("front", "bridge", false, false, false,
            new Ipam("default", List.of(new IpamPool("10.1.0.0/24", "10.1.0.1", null, null)), Map.of()), Map.of(), OURS);
    private static final NetworkCreate NEW_FRONT = new NetworkCreate("front", "bridge", false, false, false,
            new Ipam("default", List.of(new IpamPool("10.2.0.0/24", null, null, null)), Map.of()), Map.of(), OURS);
    private static final EndpointConfig WEB_BEFORE = new EndpointConfig(List.of("www"), "10.1.0.5", null);
    private static final EndpointConfig API_BEFORE = new EndpointConfig(List.of("api"), null, null);

    private static Step step(int id, StepOp op, String container, NetworkCreate create, EndpointConfig endpoint, int change,
            Integer... deps) {
        return Step.of(id, op, "front", op == StepOp.REMOVE_NETWORK ? "id-front" : null, container, create, endpoint, null,
                List.of(deps), change);
    }

    /** The network replace stackwire plans: disconnect everyone, remove, create, connect everyone. */
    private static Plan replaceFront() {
        return new Plan(Plan.FORMAT_VERSION, "h", "", "", List.of(), List.of(
                step(0, StepOp.DISCONNECT, "api", null, API_BEFORE, 0),
                step(1, StepOp.DISCONNECT, "web", null, WEB_BEFORE, 0),
                step(2, StepOp.REMOVE_NETWORK, null, OLD_FRONT, null, 0, 0, 1),
                step(3, StepOp.CREATE_NETWORK, null, NEW_FRONT, null, 0, 2),
                step(4, StepOp.CONNECT, "api", null, new EndpointConfig(List.of("api"), null, null), 0, 3),
                step(5, StepOp.CONNECT, "web", null, new EndpointConfig(List.of("www"), "10.2.0.5", null), 0, 3)), List.of());
    }

    private static InMemoryDaemon daemonWithFront() {
        return new InMemoryDaemon().withNetwork("front", OURS).withEndpoint("api", "front").withEndpoint("web", "front");
    }

    private static List<String> rollbacks(ApplyResult r) {
        List<String> out = new ArrayList<>();
        r.rollbacks().forEach(x -> out.add(x.step().describe() + " " + x.status()));
        return out;
    }

    @Test
    void aReplaceWhoseCreateIsRefusedPutsTheOldNetworkBackAndReconnectsEveryoneWithTheirOldConfig() {
        InMemoryDaemon docker = daemonWithFront()
                .failingOnce("create front", new GatewayException(GatewayException.Kind.REFUSED, "Pool overlaps with other one on this address space"));

        ApplyResult r = new Executor(docker, 1).applyFresh(replaceFront(), null);

        assertThat(r.converged()).isFalse();
        assertThat(rollbacks(r)).containsExactly("create network front APPLIED", "connect api -> front APPLIED",
                "connect web -> front APPLIED");
        assertThat(docker.network("front").ipam().pools().get(0).subnet()).as("the old network, as it was").isEqualTo("10.1.0.0/24");
        assertThat(docker.endpoint("web", "front").ipv4Config()).isEqualTo("10.1.0.5");
        assertThat(docker.endpoint("web", "front").aliases()).containsExactly("www");
        assertThat(docker.endpoint("api", "front")).isNotNull();
        assertThat(r.summary()).endsWith("; rolled back: 3 restored, 0 could not be restored.");
    }

    @Test
    void aReplaceWhoseRemoveIsRefusedReconnectsWhatItDisconnected() {
        InMemoryDaemon docker = daemonWithFront()
                .failing("remove id-front", new GatewayException(GatewayException.Kind.CONFLICT, "network front has active endpoints"));

        ApplyResult r = new Executor(docker, 8).applyFresh(replaceFront(), null);

        assertThat(rollbacks(r)).containsExactly("connect api -> front APPLIED", "connect web -> front APPLIED");
        assertThat(docker.endpoint("web", "front").ipv4Config()).isEqualTo("10.1.0.5");
    }

    @Test
    void oneConnectRefusedAfterTheReplaceIsRetriedWithTheOldConfigAndTheOthersAreLeftAlone() {
        InMemoryDaemon docker = daemonWithFront()
                .failingOnce("connect web/front", new GatewayException(GatewayException.Kind.REFUSED, "Address already in use"));

        ApplyResult r = new Executor(docker, 1).applyFresh(replaceFront(), null);

        assertThat(rollbacks(r)).containsExactly("connect web -> front APPLIED");
        assertThat(docker.endpoint("web", "front").aliases()).containsExactly("www");
        assertThat(docker.changes()).containsOnlyOnce("connect api/front");
    }

    @Test
    void aReconnectWhoseConnectIsRefusedPutsTheOldEndpointBack() {
        InMemoryDaemon docker = daemonWithFront()
                .failingOnce("connect web/front", new GatewayException(GatewayException.Kind.REFUSED, "Address already in use"));
        Plan reconnect = new Plan(Plan.FORMAT_VERSION, "h", "", "", List.of(), List.of(
                step(0, StepOp.DISCONNECT, "web", null, WEB_BEFORE, 0),
                step(1, StepOp.CONNECT, "web", null, new EndpointConfig(List.of("www"), "10.1.0.9", null), 0, 0)), List.of());

        ApplyResult r = new Executor(docker, 1).applyFresh(reconnect, null);

        assertThat(rollbacks(r)).containsExactly("connect web -> front APPLIED");
        assertThat(docker.endpoint("web", "front").ipv4Config()).isEqualTo("10.1.0.5");
    }

    @Test
    void aNetworkThatCannotBeCreatedAgainIsReportedForEachContainerLeftOff() {
        InMemoryDaemon docker = daemonWithFront()
                .failing("create front", new GatewayException(GatewayException.Kind.CONFLICT, "network with name front already exists"));

        ApplyResult r = new Executor(docker, 1).applyFresh(replaceFront(), null);

        assertThat(rollbacks(r)).containsExactly("create network front FAILED", "connect api -> front FAILED",
                "connect web -> front FAILED");
        assertThat(r.rollbacks().get(1).message()).isEqualTo("network front is gone and could not be created again");
        assertThat(r.summary()).endsWith("; rolled back: 0 restored, 3 could not be restored.");
    }

    @Test
    void completedChangesAndOtherChangesAreNotRolledBack() {
        InMemoryDaemon docker = daemonWithFront().withNetwork("back", OURS)
                .failing("create side", new GatewayException(GatewayException.Kind.REFUSED, "no"));
        Plan p = new Plan(Plan.FORMAT_VERSION, "h", "", "", List.of(), List.of(
                step(0, StepOp.DISCONNECT, "web", null, WEB_BEFORE, 0),
                new Step.CreateNetwork(1, "side", new NetworkCreate("side", "bridge", false, false, false, null, null, OURS),
                        List.of(), 1),
                step(2, StepOp.CONNECT, "web", null, new EndpointConfig(List.of("w2"), null, null), 0, 0)), List.of());

        ApplyResult r = new Executor(docker, 1).applyFresh(p, null);

        assertThat(statuses(r)).containsExactly(Status.APPLIED, Status.FAILED, Status.APPLIED);
        assertThat(r.rollbacks()).isEmpty();
        assertThat(docker.endpoint("web", "front").aliases()).containsExactly("w2");
    }

    private static List<Status> statuses(ApplyResult r) {
        return r.results().stream().map(StepResult::status).toList();
    }
}
