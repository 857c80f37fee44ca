package io.stackwire.controller.pass;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.apply.ApplyResult;
import io.stackwire.reconcile.apply.StepResult;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.plan.Step;
import io.stackwire.reconcile.plan.StepOp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VerifierTest {

    private static final LiveState WEB_ON_FRONT = new LiveState(new TreeMap<>(), new TreeMap<>(Map.of("web",
            new LiveContainer("id1", "web", true, "", Map.of(), List.of(new LiveEndpoint("front", "n1", List.of("www"), null, null, "10.0.0.2", "")),
                    List.of(), List.of()))), SwarmInfo.NONE, "1.41");

    private static StepResult applied(int id, StepOp op, String... aliases) {
        EndpointConfig cfg = op == StepOp.CONNECT ? new EndpointConfig(List.of(aliases), null, null) : null;
        return new StepResult(Step.of(id, op, "front", null, "web", null, cfg, null, List.of(), 0), StepResult.Status.APPLIED, "", 1);
    }

    @Test
    void aReconnectIsCheckedByItsConnectNotFlaggedAsStillAttached() {
        var reconnect = new ApplyResult(List.of(applied(0, StepOp.DISCONNECT), applied(1, StepOp.CONNECT, "www")));
        assertThat(Verifier.verify(reconnect, WEB_ON_FRONT)).isEmpty();
    }

    @Test
    void aDisconnectThatDidNotTakeAndAMissingAliasAreReported() {
        assertThat(Verifier.verify(new ApplyResult(List.of(applied(0, StepOp.DISCONNECT))), WEB_ON_FRONT))
                .singleElement().asString().contains("web is still attached to front");
        var reconnect = new ApplyResult(List.of(applied(0, StepOp.DISCONNECT), applied(1, StepOp.CONNECT, "www", "api")));
        assertThat(Verifier.verify(reconnect, WEB_ON_FRONT)).singleElement().asString().contains("aliases [api] missing on front");
    }
}
