package io.stackwire.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.apply.ApplyResult;
import io.stackwire.reconcile.apply.Executor;
import io.stackwire.reconcile.apply.StepResult;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random plans (the generator of {@link PlannerPropertyTest}) applied by the real {@link Executor}
 * to the strict {@link InMemoryDaemon} of a {@link DaemonModel}, with one Docker call refused at random: no container ends
 * the apply without an attachment it had, unless the change that took it away completed, and a
 * second apply without failures converges.
 */
class RollbackPropertyTest {

    private static final long SEED = 20261202L;
    private static final int CASES = 1500;

    @Test
    void aRefusedStepNeverStrandsAContainerAndTheNextApplyConverges() {
        Random r = new Random(SEED);
        int failedRuns = 0;
        int rollbacks = 0;
        for (int i = 0; i < CASES; i++) {
            PlannerPropertyTest.Scenario s = PlannerPropertyTest.scenario(r);
            Plan plan = Planner.plan(s.desired(), s.live(), s.policy());
            if (plan.steps().isEmpty() || !possible(s.live()) || swapsAddressSpace(plan, s)) {
                continue;
            }
            int refused = r.nextInt(plan.steps().size());
            DaemonModel model = new DaemonModel(s.live(), s.desired()).refusingClashes();
            InMemoryDaemon docker = model.daemon().refusingChange(refused);
            try {
                ApplyResult result = new Executor(docker, 1).applyFresh(plan, s.live(), null);
                assertThat(docker.refusals()).as("calls Docker would have refused").isEmpty();
                failedRuns += result.converged() ? 0 : 1;
                rollbacks += result.rollbacks().size();
                assertThat(result.rollbacks()).as("every rollback step succeeds on a daemon that refused one call")
                        .allMatch(StepResult::ok);
                for (LiveContainer before : s.live().containers().values()) {
                    LiveContainer after = model.state().container(before.name());
                    for (LiveEndpoint e : before.endpoints()) {
                        if (after.endpoint(e.network()) == null && !completedChangeDetaches(plan, result, before.name(), e.network())) {
                            throw new AssertionError(before.name() + " lost " + e.network() + " though no completed change removed it"
                                    + "\nresults " + result.results() + "\nrollbacks " + result.rollbacks());
                        }
                    }
                }
                DaemonModel again = model;
                Plan next = Planner.plan(s.desired(), again.state(), s.policy());
                again.apply(next);
                assertThat(Planner.plan(s.desired(), again.state(), s.policy()).changes()).as("converges on the next apply").isEmpty();
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + " (refused step " + refused + ")\n" + s + "\nplan steps " + Fx.ops(plan), e);
            }
        }
        assertThat(failedRuns).as("the generator makes failing applies").isGreaterThan(100);
        assertThat(rollbacks).as("and some of them are rolled back").isGreaterThan(50);
    }

    /**
     * The generator also makes states no daemon reaches, such as a plain container on an overlay
     * that is not attachable; a rollback cannot put those back, and need not.
     */
    private static boolean possible(LiveState live) {
        for (LiveContainer c : live.containers().values()) {
            for (LiveEndpoint e : c.endpoints()) {
                LiveNetwork n = live.network(e.network());
                if (n != null && "swarm".equals(n.scope()) && !n.attachable()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Replaced networks that move into each other's old address space (a swap, or a longer
     * cycle): one of them must be created first, in the other's old space, so if the other's
     * create is refused, its old network cannot be put back (documented in docs/planning.md,
     * "Rollback"). Every other shape is covered.
     */
    private static boolean swapsAddressSpace(Plan plan, PlannerPropertyTest.Scenario s) {
        java.util.Set<String> replaced = PlannerPropertyTest.replaced(plan);
        java.util.Map<String, java.util.List<String>> into = new java.util.HashMap<>();
        for (String a : replaced) {
            for (String b : replaced) {
                var spec = s.desired().networks().get(a);
                var old = s.live().network(b);
                if (!a.equals(b) && spec != null && old != null && spec.ipam().pools().stream().anyMatch(p -> old.ipam().pools().stream()
                        .anyMatch(q -> AddressSpace.subnetsOverlap(p.subnet(), q.subnet())))) {
                    into.computeIfAbsent(a, k -> new java.util.ArrayList<>()).add(b);
                }
            }
        }
        for (String start : into.keySet()) {
            java.util.Deque<String> todo = new java.util.ArrayDeque<>(into.get(start));
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (!todo.isEmpty()) {
                String n = todo.pop();
                if (n.equals(start)) {
                    return true;
                }
                if (seen.add(n)) {
                    todo.addAll(into.getOrDefault(n, java.util.List.of()));
                }
            }
        }
        return false;
    }

    /**
     * Whether the plan meant the container to leave the network and did what that took: it has no
     * CONNECT for that endpoint, and the network's removal (prune, destroy) ran, or without one,
     * the disconnect (self-heal, destroy of an attachment, a replacement that does not reconnect it).
     */
    private static boolean completedChangeDetaches(Plan plan, ApplyResult result, String container, String network) {
        StepResult connect = null;
        StepResult disconnect = null;
        StepResult remove = null;
        for (StepResult x : result.results()) {
            Step s = x.step();
            if (network.equals(Fx.network(s)) && container.equals(Fx.container(s))) {
                connect = s.op() == StepOp.CONNECT ? x : connect;
                disconnect = s.op() == StepOp.DISCONNECT ? x : disconnect;
            }
            remove = s.op() == StepOp.REMOVE_NETWORK && network.equals(Fx.network(s)) ? x : remove;
        }
        if (connect != null) {
            return false;
        }
        return remove != null ? remove.ok() : disconnect != null && disconnect.ok();
    }
}
