package io.stackwire.controller.pass;

import io.stackwire.model.IpAddress;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.apply.ApplyResult;
import io.stackwire.reconcile.apply.StepResult;
import io.stackwire.reconcile.plan.Step;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.plan.Plan;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import java.util.Objects;

/**
 * Checks, on a fresh observation after applying, that what each successful step promised is
 * really there: the network exists (or is gone), the endpoint exists with every declared alias
 * and the declared static addresses (or is gone). Pure but for the one read; a mismatch becomes a failed step in the
 * loop's status rather than being trusted.
 */
public final class Verifier {

    private Verifier() {}

    /**
     * Reads again only what the plan touched (the network list and the containers of its steps)
     * and checks it: the state read (null when the daemon could not be read) and the problems.
     */
    public static Verified readAndVerify(DockerGateway gateway, LiveState live, Plan plan, ApplyResult result) {
        try {
            LiveState after = gateway.refresh(live, stepContainers(plan));
            return new Verified(after, verify(result, after));
        } catch (GatewayException e) {
            return new Verified(null, List.of("verify: cannot read the daemon after applying: " + e.getMessage()));
        }
    }

    /** What verification read (null when it could not) and found wrong. */
    public record Verified(LiveState after, List<String> problems) {}

    /** The containers a plan's steps change (by name): what verification reads again. */
    static Set<String> stepContainers(Plan plan) {
        Set<String> out = new TreeSet<>();
        for (Step s : plan.steps()) {
            if (s instanceof Step.OnContainer c && c.container() != null && !c.container().isEmpty()) {
                out.add(c.container());
            }
        }
        return out;
    }

    /** One line per broken promise, in step order; empty when everything checked out. */
    static List<String> verify(ApplyResult result, LiveState after) {
        List<String> problems = new ArrayList<>();
        // A reconnect (and a replace) disconnects then connects the same endpoint: the connect's
        // check covers it, and "still attached" would be a false alarm.
        java.util.Set<String> reconnected = new java.util.HashSet<>();
        for (StepResult r : result.results()) {
            if (r.ok() && r.step() instanceof Step.Connect c) {
                reconnected.add(c.container() + "\n" + c.network());
            }
        }
        for (StepResult r : result.results()) {
            if (!r.ok()) {
                continue; // already reported as failed or skipped
            }
            if (r.step() instanceof Step.Disconnect d && reconnected.contains(d.container() + "\n" + d.network())) {
                continue;
            }
            String problem = check(r.step(), after);
            if (problem != null) {
                problems.add(r.step().describe() + ": verify failed: " + problem);
            }
        }
        return List.copyOf(problems);
    }

    private static String check(Step step, LiveState live) {
        if (step instanceof Step.CreateNetwork s) {
            return live.network(s.network()) == null ? "network " + s.network() + " does not exist" : null;
        }
        if (step instanceof Step.RemoveNetwork s) {
            LiveNetwork n = live.network(s.network());
            return n != null && n.id().equals(s.networkId()) ? "network " + s.network() + " still exists" : null;
        }
        if (step instanceof Step.Disconnect s) {
            LiveContainer c = live.container(s.container());
            return c != null && c.endpoint(s.network()) != null
                    ? s.container() + " is still attached to " + s.network() : null;
        }
        if (step instanceof Step.Connect s) {
            return checkEndpoint(s, live);
        }
        return null; // container replacement is verified by the port-binding work
    }

    private static String checkEndpoint(Step.Connect s, LiveState live) {
        LiveContainer c = live.container(s.container());
        if (c == null) {
            return "container " + s.container() + " is gone";
        }
        LiveEndpoint ep = c.endpoint(s.network());
        if (ep == null) {
            return s.container() + " is not attached to " + s.network();
        }
        List<String> missing = s.endpoint() == null ? List.of()
                : s.endpoint().aliases().stream().filter(a -> !ep.aliases().contains(a)).toList();
        if (!missing.isEmpty()) {
            return "aliases " + missing + " missing on " + s.network() + " (has " + ep.aliases() + ")";
        }
        if (s.endpoint() != null) {
            String v4 = mismatch("IPv4", s.endpoint().ipv4Address(), ep.ipv4Config(), c.running() ? ep.ipv4Address() : "");
            if (v4 != null) {
                return v4 + " on " + s.network();
            }
            String v6 = mismatch("IPv6", s.endpoint().ipv6Address(), ep.ipv6Config(), c.running() ? ep.ipv6Address() : "");
            if (v6 != null) {
                return v6 + " on " + s.network();
            }
        }
        return null;
    }

    /** A declared static address must be the configured one and, while running, the one in use. */
    private static String mismatch(String family, String declared, String configured, String inUse) {
        if (declared == null || declared.isEmpty()) {
            return null;
        }
        String want = IpAddress.canonical(declared);
        if (!Objects.equals(want, IpAddress.canonical(configured))) {
            return family + " configured " + (configured == null ? "none" : configured) + ", declared " + declared;
        }
        if (inUse != null && !inUse.isEmpty() && !Objects.equals(want, IpAddress.canonical(inUse))) {
            return family + " in use " + inUse + ", declared " + declared;
        }
        return null;
    }
}
