package io.stackwire.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.DesiredState;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.reconcile.daemon.NetworkCreate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a plan's steps on a strict {@link InMemoryDaemon}, which checks Docker's rules as it goes
 * (no removal with endpoints, no joining from {@code host} or {@code none}, overlays need
 * {@code attachable}): anything it refuses fails the test. Not a Docker mock: it never stands in
 * for the real daemon in integration tests.
 */
final class DaemonModel {

    private final InMemoryDaemon daemon;

    DaemonModel(LiveState state) {
        this(state, null);
    }

    DaemonModel(LiveState state, DesiredState desired) {
        this.daemon = new InMemoryDaemon(state, "model://").strict();
        if (desired != null && state.swarm().role() == SwarmInfo.Role.WORKER) {
            Map<String, NetworkCreate> swarmWide = new TreeMap<>();
            desired.networks().values().stream()
                    .filter(n -> NetworkSpec.OVERLAY.equals(n.driver()) && !n.external())
                    .forEach(n -> swarmWide.put(n.name(), NetworkChanges.networkCreate(n)));
            daemon.withSwarmWide(swarmWide);
        }
    }

    /** Refuses overlapping pools and addresses in use, as the daemon does. */
    DaemonModel refusingClashes() {
        daemon.refusingClashes();
        return this;
    }

    /** The daemon the steps run on, e.g. for an executor to apply to. */
    InMemoryDaemon daemon() {
        return daemon;
    }

    LiveState state() {
        return daemon.state();
    }

    /** Runs the steps in plan order; fails the test on anything Docker would refuse. */
    void apply(Plan plan) {
        for (Step s : plan.steps()) {
            for (int dep : s.dependsOn()) {
                assertThat(dep).as("dependency of step %s comes earlier", s.id()).isLessThan(s.id());
            }
            run(s);
        }
    }

    /**
     * Runs the steps in another order the executor may pick: whichever ready step comes last in the
     * plan first. An order that matters but is only list order, not a {@code dependsOn} edge, fails here.
     */
    void applyLatestReadyFirst(Plan plan) {
        List<Step> steps = plan.steps();
        boolean[] done = new boolean[steps.size()];
        for (int n = 0; n < steps.size(); n++) {
            Step next = null;
            for (int i = steps.size() - 1; i >= 0 && next == null; i--) {
                if (!done[i] && steps.get(i).dependsOn().stream().allMatch(d -> done[d])) {
                    next = steps.get(i);
                }
            }
            assertThat(next).as("a step is ready (dependencies form no cycle)").isNotNull();
            done[next.id()] = true;
            run(next);
        }
    }

    private void run(Step s) {
        try {
            if (s instanceof Step.CreateNetwork c) {
                daemon.createNetwork(c.create());
            } else if (s instanceof Step.RemoveNetwork r) {
                LiveNetwork n = daemon.network(r.network());
                assertThat(n).as("remove %s: exists", r.network()).isNotNull();
                assertThat(n.id()).as("remove %s by its observed id", r.network()).isEqualTo(r.networkId());
                daemon.removeNetwork(r.networkId());
            } else if (s instanceof Step.Connect c) {
                daemon.connect(c.container(), c.network(), c.endpoint());
            } else if (s instanceof Step.Disconnect d) {
                daemon.disconnect(d.container(), d.network(), false);
            } else if (s instanceof Step.ReplaceContainer r) {
                daemon.replaceContainer(r.container(), r.replace());
            }
        } catch (GatewayException e) {
            throw new AssertionError(s.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The network a daemon reports after a create (see {@link InMemoryDaemon#realise}). */
    static LiveNetwork realise(NetworkCreate c, String id, int seed) {
        return InMemoryDaemon.realise(c, id, seed);
    }
}
