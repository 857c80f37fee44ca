package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.DEFAULT;
import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.codes;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
import static io.stackwire.reconcile.plan.Fx.ep;
import static io.stackwire.reconcile.plan.Fx.net;
import static io.stackwire.reconcile.plan.Fx.notice;
import static io.stackwire.reconcile.plan.Fx.ops;
import static io.stackwire.reconcile.plan.Fx.predefined;
import static io.stackwire.reconcile.plan.Fx.running;
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.stopped;
import static io.stackwire.reconcile.plan.Fx.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.PortBinding;
import io.stackwire.model.Protocol;
import io.stackwire.model.ReplacePolicy;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.render.PlanSummary;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PlannerPortsTest {

    private static ContainerSpec spec(String name, ReplacePolicy replace, String... ports) {
        return new ContainerSpec(name, "app", List.of(), Arrays.stream(ports).map(PortBinding::parse).toList(), replace, null, true);
    }

    private static ContainerSpec spec(String... ports) {
        return spec("web", ReplacePolicy.ALLOW, ports);
    }

    /** A container as the daemon reports it: configured bindings, and the runtime ones. */
    private static LiveContainer live(String name, boolean running, List<String> configured, List<String> actual) {
        LiveContainer base = running ? running(name) : stopped(name);
        return new LiveContainer(base.id(), name, running, "bridge", Map.of(), base.endpoints(),
                configured.stream().map(PortBinding::parse).toList(), actual.stream().map(PortBinding::parse).toList());
    }

    private static LiveContainer live(String... configured) {
        return live("web", true, List.of(configured), List.of());
    }

    private static Plan plan(ContainerSpec c, LiveContainer... live) {
        return plan(DEFAULT, RepoPolicy.DEFAULT, c, live);
    }

    private static Plan plan(PlanPolicy policy, RepoPolicy repo, ContainerSpec c, LiveContainer... live) {
        DesiredState d = desired(List.of(), List.of(c));
        d = new DesiredState(d.host(), d.revision(), d.stacks(), d.networks(), d.containers(), repo);
        return Planner.plan(d, state(predefined(), List.of(live)), policy);
    }

    // spec | live configured bindings (; separated) -> no change
    @ParameterizedTest(name = "{0} equals live {1}")
    @CsvSource(delimiter = '|', value = {
        "443                       | 443",
        "0.0.0.0:8080:80           | 8080:80",
        "8080:80                   | 0.0.0.0:8080:80;[::]:8080:80",
        "5000-5002:2000-2002       | 5000:2000;5001:2001;5002:2002",
        "2000-2002                 | 2000;2001;2002",
        "53:53/udp                 | 53:53/udp",
        "80/tcp                    | 80",
        "[::1]:8080:80             | [0:0::1]:8080:80",
        "[::]:8080:80              | [::]:8080:80",
        "127.0.0.1::5432           | 127.0.0.1::5432",
        "8000-8010:80              | 8000-8010:80",
    })
    void equalBindingsPlanNothing(String spec, String configured) {
        Plan plan = plan(spec(spec.split(";")), live(configured.split(";")));
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).isEmpty();
    }

    // spec | live configured -> replaced, with this reason
    @ParameterizedTest(name = "{0} differs from live {1}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:444:443 | 444:443      | ports changed: 444:443 -> 127.0.0.1:444:443 forces replacement",
        "8080:80           | 80           | ports changed: 80 -> 8080:80 forces replacement",
        "53:53/udp         | 53:53        | ports changed: 53:53 -> 53:53/udp forces replacement",
        "[::]:8080:80      | 8080:80      | ports changed: 8080:80 -> [::]:8080:80 forces replacement",
        "5000-5100:2000-2100 | 5000:2000  | ports changed: (none) -> 5001-5100:2001-2100 forces replacement",
        "80                | 80;443       | ports changed: 443 -> (none) forces replacement",
    })
    void differentBindingsReplaceTheContainer(String spec, String configured, String reason) {
        Plan plan = plan(spec(spec.split(";")), live(configured.split(";")));
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo(ResourceKey.container("web"));
            assertThat(c.action()).isEqualTo(Action.REPLACE);
            assertThat(c.reason()).isEqualTo(reason);
            assertThat(c.forcesReplacement()).containsExactly("ports");
            assertThat(c.disruptive()).isTrue();
        });
        assertThat(ops(plan)).containsExactly("REPLACE_CONTAINER  web");
    }

    @Test
    void randomHostPortMatchesWhateverDockerPicked() {
        var lc = live("web", true, List.of("443"), List.of("0.0.0.0:49153:443", "[::]:49153:443"));
        Plan plan = plan(spec("443"), lc);
        assertThat(plan.changes()).isEmpty();
    }

    @Test
    void showsTheLivePortsAsTheyReallyAreBeforeAReplace() {
        var lc = live("web", true, List.of("443", "444:443"), List.of("0.0.0.0:49153:443", "[::]:49153:443", "0.0.0.0:444:443"));
        Plan plan = plan(spec("127.0.0.1:444:443"), lc);
        Change c = plan.changes().get(0);
        assertThat(c.before()).isEqualTo(new TreeMap<>(Map.of("ports", List.of("444:443", "49153:443"))));
        assertThat(c.after()).isEqualTo(new TreeMap<>(Map.of("ports", List.of("127.0.0.1:444:443"))));
    }

    @Test
    void theReplaceStepCarriesTheObservedContainerAndEveryWantedBinding() {
        var lc = live("444:443");
        Plan plan = plan(spec("127.0.0.1:444:443", "5000-5001:2000-2001/udp"), lc);
        assertThat(plan.steps().get(0).op()).isEqualTo(StepOp.REPLACE_CONTAINER);
        Step.ReplaceContainer s = (Step.ReplaceContainer) plan.steps().get(0);
        assertThat(s.replace().containerId()).isEqualTo(lc.id());
        assertThat(s.replace().ports()).extracting(PortBinding::toString)
                .containsExactly("127.0.0.1:444:443", "5000:2000/udp", "5001:2001/udp");
        assertThat(s.replace().needsApproval()).isFalse();
    }

    @Test
    void blastRadiusIsEveryEndpointOfTheContainer() {
        var front = net("front");
        var back = net("back");
        var c = new ContainerSpec("web", "app", List.of(att("front"), att("back")), List.of(PortBinding.parse("8080:80")),
                ReplacePolicy.ALLOW, null, true);
        LiveContainer base = running("web", ep("web", "back"), ep("web", "front"));
        var lc = new LiveContainer(base.id(), "web", true, "back", Map.of(), base.endpoints(), List.of(PortBinding.parse("80")), List.of());
        Plan plan = Planner.plan(desired(List.of(front.spec(), back.spec()), List.of(c)),
                state(with(predefined(), front.live(), back.live()), List.of(lc)), DEFAULT);
        assertThat(Fx.change(plan, ResourceKey.container("web")).endpoints()).extracting(EndpointRef::network)
                .containsExactly("back", "front");
    }

    @Test
    void replaceWaitsForTheContainersAttachmentSteps() {
        var front = net("front");
        var c = new ContainerSpec("web", "app", List.of(att("front", "www")), List.of(PortBinding.parse("8080:80")),
                ReplacePolicy.ALLOW, null, true);
        LiveContainer lc = new LiveContainer(Fx.idOf("web"), "web", true, "bridge", Map.of(), List.of(),
                List.of(PortBinding.parse("80")), List.of());
        Plan plan = Planner.plan(desired(List.of(front.spec()), List.of(c)),
                state(with(predefined(), front.live()), List.of(lc)), DEFAULT);
        assertThat(ops(plan)).containsExactly("CONNECT front web", "REPLACE_CONTAINER  web");
        assertThat(plan.steps().get(1).dependsOn()).containsExactly(0);
    }

    @Test
    void containerWithoutPortsKeyIsNotManaged() {
        var c = new ContainerSpec("web", "app", List.of(), List.of(), ReplacePolicy.ALLOW, null);
        Plan plan = plan(c, live("8080:80", "0.0.0.0:9000:9000"));
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void emptyPortsListUnpublishesEverything() {
        Plan plan = plan(spec("web", ReplacePolicy.ALLOW), live("8080:80"));
        assertThat(plan.changes()).singleElement().satisfies(c ->
                assertThat(c.reason()).isEqualTo("ports changed: 8080:80 -> (none) forces replacement"));
    }

    @Test
    void planOnlyIsPlannedButMarkedForApproval() {
        Plan plan = plan(spec("web", ReplacePolicy.PLAN_ONLY, "8080:80"), live("80"));
        assertThat(plan.changes().get(0).reason()).endsWith("(replace: plan-only: only a confirmed apply performs it)");
        assertThat(((Step.ReplaceContainer) plan.steps().get(0)).replace().needsApproval()).isTrue();
    }

    @Test
    void planOnlyIsOnlyReportedWhenUnattended() {
        Plan plan = plan(DEFAULT.unattended(true), RepoPolicy.DEFAULT, spec("web", ReplacePolicy.PLAN_ONLY, "8080:80"), live("80"));
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "replace-needs-approval").severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void allowIsPlannedEvenWhenUnattended() {
        Plan plan = plan(DEFAULT.unattended(true), RepoPolicy.DEFAULT, spec("web", ReplacePolicy.ALLOW, "8080:80"), live("80"));
        assertThat(plan.steps()).hasSize(1);
    }

    @Test
    void neverReportsTheDriftWithoutAStep() {
        Plan plan = plan(spec("web", ReplacePolicy.NEVER, "8080:80"), live("80"));
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "ports-drift").message())
                .isEqualTo("container web: ports changed: 80 -> 8080:80, but its replace policy is never; left alone");
    }

    @Test
    void containerPolicyOverridesTheRepoPolicy() {
        RepoPolicy repoNever = new RepoPolicy(true, false, ReplacePolicy.NEVER, false);
        assertThat(plan(DEFAULT, repoNever, spec("web", ReplacePolicy.ALLOW, "8080:80"), live("80")).steps()).hasSize(1);
        assertThat(plan(DEFAULT, repoNever, spec("web", (ReplacePolicy) null, "8080:80"), live("80")).steps()).isEmpty();
        RepoPolicy repoAllow = new RepoPolicy(true, false, ReplacePolicy.ALLOW, false);
        assertThat(plan(DEFAULT, repoAllow, spec("web", (ReplacePolicy) null, "8080:80"), live("80")).steps()).hasSize(1);
    }

    @Test
    void hostPortHeldByAnotherContainerStopsTheReplace() {
        var other = live("db", true, List.of("5432:5432"), List.of("0.0.0.0:5432:5432", "[::]:5432:5432"));
        Plan plan = plan(spec("127.0.0.1:5432:80"), live("80"), other);
        assertThat(plan.changes()).isEmpty();
        Notice n = notice(plan, "port-conflict");
        assertThat(n.severity()).isEqualTo(Severity.ERROR);
        assertThat(n.message()).isEqualTo("container web wants host port 127.0.0.1:5432:80, which is held by container db"
                + " (5432:5432); not replaced");
    }

    @Test
    void randomPortOfAnotherContainerIsSeenThroughItsRuntimeBinding() {
        var other = live("db", true, List.of("5432"), List.of("0.0.0.0:40000:5432"));
        assertThat(codes(plan(spec("40000:80"), live("80"), other))).containsExactly("port-conflict");
    }

    @Test
    void differentAddressesOrProtocolsDoNotConflict() {
        var other = live("dns", true, List.of("127.0.0.1:53:53"), List.of("127.0.0.1:53:53"));
        assertThat(plan(spec("127.0.0.2:53:53", "53:53/udp"), live("80"), other).steps()).hasSize(1);
    }

    @Test
    void stoppedContainersHoldNoPorts() {
        var other = live("db", false, List.of("5432:5432"), List.of());
        assertThat(plan(spec("5432:80"), live("80"), other).steps()).hasSize(1);
    }

    @Test
    void portTheContainerItselfHoldsIsNoConflict() {
        var lc = live("web", true, List.of("444:443"), List.of("0.0.0.0:444:443"));
        HostPorts host = new HostPorts(true, Set.of("127.0.0.1"), new TreeMap<>());
        Plan plan = plan(DEFAULT.withHost(host), RepoPolicy.DEFAULT, spec("127.0.0.1:444:443"), lc);
        assertThat(plan.steps()).hasSize(1);
    }

    @Test
    void hostPortHeldByAProcessStopsTheReplace() {
        TreeMap<String, String> busy = new TreeMap<>(Map.of(HostPorts.key("127.0.0.1", 8080, Protocol.TCP), "Address already in use"));
        HostPorts host = new HostPorts(true, Set.of("127.0.0.1"), busy);
        Plan plan = plan(DEFAULT.withHost(host), RepoPolicy.DEFAULT, spec("127.0.0.1:8080:80"), live("80"));
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "port-conflict").message())
                .isEqualTo("container web wants host port 127.0.0.1:8080:80, which is in use on this host: Address already in use; not replaced");
    }

    @Test
    void addressTheHostDoesNotHaveStopsTheReplace() {
        HostPorts host = new HostPorts(true, Set.of("127.0.0.1", "::1"), new TreeMap<>());
        Plan plan = plan(DEFAULT.withHost(host), RepoPolicy.DEFAULT, spec("192.0.2.7:8080:80"), live("80"));
        assertThat(plan.changes()).isEmpty();
        assertThat(notice(plan, "port-address-not-on-host").message()).startsWith("container web publishes ports on 192.0.2.7,");
    }

    @Test
    void withoutAProbeAddressesAreNotChecked() {
        assertThat(plan(spec("192.0.2.7:8080:80"), live("80")).steps()).hasSize(1);
    }

    @Test
    void portsOnAHostModeContainerAreAnError() {
        LiveContainer base = running("web");
        var lc = new LiveContainer(base.id(), "web", true, "host", Map.of(), List.of(), List.of(), List.of());
        assertThat(codes(plan(spec("8080:80"), lc))).containsExactly("ports-without-network");
    }

    @Test
    void reportsLeftoversItDidNotMake() {
        var c = spec("80");
        // No io.stackwire.replaces label: not stackwire's replacement, so only reported.
        assertThat(codes(plan(c, live("80"), live("web-stackwire-new", false, List.of("80"), List.of()))))
                .containsExactly("replace-leftover");
        assertThat(codes(plan(c, live("80"), live("web-stackwire-old", false, List.of("80"), List.of()))))
                .containsExactly("replace-leftover");
        Plan onlyNew = plan(c, live("web-stackwire-new", false, List.of("80"), List.of()));
        assertThat(notice(onlyNew, "replace-interrupted").severity()).isEqualTo(Severity.ERROR);
        assertThat(notice(onlyNew, "replace-interrupted").hint()).startsWith("put it back with `docker rename web-stackwire-new web`");
        assertThat(onlyNew.steps()).isEmpty();
        assertThat(onlyNew.hasErrors()).as("apply exits 1 while it is there").isTrue();
        assertThat(PlanSummary.headline(onlyNew)).startsWith("No changes can be made, and the daemon does not match the spec");
    }

    // ---- repair of a replacement interrupted by a kill (the states its order can leave) ----

    private static final String OLD_ID = "01d".repeat(21) + "0";

    /** A container with an exact ID and labels: the states a killed replacement leaves. */
    private static LiveContainer at(String name, String id, boolean running, String ports, Map<String, String> labels) {
        return new LiveContainer(id, name, running, "bridge", labels, running("x").endpoints(),
                List.of(PortBinding.parse(ports)), List.of());
    }

    /** The replacement of OLD_ID, as ContainerReplacer labels it. */
    private static Map<String, String> replacing(boolean oldRan) {
        return Map.of("io.stackwire.replaces", OLD_ID, "io.stackwire.replaces.running", "" + oldRan);
    }

    private static List<String> repairs(Plan plan) {
        return plan.changes().stream().map(ch -> ch.action() + " " + ch.key() + ": " + ch.reason()).toList();
    }

    @Test
    void killedBeforeTheStopRemovesTheUnstartedNewOneThenReplacesAsPlannedBefore() {
        Plan plan = plan(spec("8081:80"), at("web", OLD_ID, true, "8080:80", Map.of()),
                at("web-stackwire-new", "ee".repeat(32), false, "8081:80", replacing(true)));

        assertThat(ops(plan)).containsExactly("REPAIR_REPLACEMENT  web", "REPLACE_CONTAINER  web");
        assertThat(plan.steps().get(1).dependsOn()).contains(0);
        assertThat(repairs(plan)).containsExactly(
                "REPLACE container.web: ports changed: 8080:80 -> 8081:80 forces replacement",
                "DELETE container.web-stackwire-new: left by a replacement of web interrupted before the swap; removed");
        assertThat(codes(plan)).isEmpty();
    }

    @Test
    void killedAfterTheStopAlsoStartsTheOldOneAgainBecauseTheNewOneRecordsThatItRan() {
        Plan plan = plan(spec("8081:80"), at("web", OLD_ID, false, "8080:80", Map.of()),
                at("web-stackwire-new", "ee".repeat(32), false, "8081:80", replacing(true)));

        assertThat(ops(plan)).containsExactly("REPAIR_REPLACEMENT  web", "REPLACE_CONTAINER  web");
        assertThat(repairs(plan).get(1)).endsWith("removed, and web (the old container, which ran) started again");
        assertThat(plan.changes().get(1).disruptive()).isTrue();
    }

    @Test
    void aStoppedContainersReplacementLeftoverIsRemovedWithoutStartingAnything() {
        Plan plan = plan(spec("8080:80"), at("web", OLD_ID, false, "8080:80", Map.of()),
                at("web-stackwire-new", "ee".repeat(32), false, "8080:80", replacing(false)));

        assertThat(ops(plan)).containsExactly("REPAIR_REPLACEMENT  web");
        assertThat(repairs(plan).get(0)).doesNotContain("started");
    }

    @Test
    void killedBetweenTheRenamesFinishesWithTheCompleteNewContainer() {
        Plan plan = plan(spec("8081:80"), at("web-stackwire-old", OLD_ID, false, "8080:80", Map.of()),
                at("web-stackwire-new", "ee".repeat(32), false, "8081:80", replacing(true)));

        assertThat(ops(plan)).containsExactly("REPAIR_REPLACEMENT  web");
        assertThat(repairs(plan)).containsExactly("CREATE container.web: missing after a replacement interrupted between the renames;"
                + " finished: rename web-stackwire-new (complete) to web, start it, remove web-stackwire-old (its volumes stay)");
        assertThat(codes(plan)).as("the repair puts it back, so it is not pending").isEmpty();
        assertThat(PlanSummary.headline(plan)).isNotEqualTo(PlanSummary.NO_CHANGES);
    }

    @Test
    void killedAfterTheNewOneTookTheNameStartsItAndRemovesTheOldOne() {
        Plan plan = plan(spec("8081:80"), at("web", "ee".repeat(32), false, "8081:80", replacing(true)),
                at("web-stackwire-old", OLD_ID, false, "8080:80", Map.of()));

        assertThat(ops(plan)).containsExactly("REPAIR_REPLACEMENT  web");
        assertThat(repairs(plan)).containsExactly("DELETE container.web-stackwire-old: the old web, left by a replacement"
                + " interrupted after the swap; removed (its volumes stay), and the new web started");
    }

    @Test
    void anOldLeftoverNextToItsHealthyReplacementIsRemoved() {
        Plan plan = plan(spec("8081:80"), at("web", "ee".repeat(32), true, "8081:80", replacing(true)),
                at("web-stackwire-old", OLD_ID, false, "8080:80", Map.of()));

        assertThat(ops(plan)).containsExactly("REPAIR_REPLACEMENT  web");
        assertThat(repairs(plan).get(0)).endsWith("removed (its volumes stay)");
        assertThat(plan.changes().get(0).disruptive()).isFalse();
    }

    @Test
    void onlyTheOldOneLeftIsRenamedBack() {
        Plan plan = plan(spec("8081:80"), at("web-stackwire-old", OLD_ID, false, "8080:80", Map.of()));

        assertThat(ops(plan)).containsExactly("REPAIR_REPLACEMENT  web");
        assertThat(repairs(plan).get(0)).contains("restored: rename web-stackwire-old back to web (left stopped");
    }

    @Test
    void aNewLeftoverThatReplacesSomeOtherContainerIsOnlyReported() {
        Plan plan = plan(spec("8081:80"), at("web-stackwire-old", OLD_ID, false, "8080:80", Map.of()),
                at("web-stackwire-new", "ee".repeat(32), false, "8081:80", Map.of("io.stackwire.replaces", "f".repeat(64))));

        assertThat(plan.steps()).isEmpty();
        assertThat(codes(plan)).contains("replace-interrupted");
    }

    @Test
    void normalisedPortsPrintBackAsRanges() {
        List<PortBinding> ports = Normalizer.ports(List.of(PortBinding.parse("5000-5100:2000-2100"), PortBinding.parse("3000-3001"),
                PortBinding.parse("0.0.0.0:80:80"), PortBinding.parse("[::]:80:80"), PortBinding.parse("53:53/udp")));
        assertThat(ports).hasSize(101 + 2 + 1 + 1);
        assertThat(Normalizer.portTexts(ports)).containsExactly("80:80", "5000-5100:2000-2100", "3000-3001", "53:53/udp");
    }

    @Test
    void liveStateWithPortsFingerprintsStably() {
        LiveState a = state(predefined(), List.of(live("8080:80", "443")));
        LiveState b = state(predefined(), List.of(live("443", "0.0.0.0:8080:80")));
        assertThat(Fingerprint.of(a)).isEqualTo(Fingerprint.of(b));
    }
}
