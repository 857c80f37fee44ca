package io.stackwire.reconcile.plan;

import static io.stackwire.reconcile.plan.Fx.DEFAULT;
import static io.stackwire.reconcile.plan.Fx.att;
import static io.stackwire.reconcile.plan.Fx.change;
import static io.stackwire.reconcile.plan.Fx.codes;
import static io.stackwire.reconcile.plan.Fx.container;
import static io.stackwire.reconcile.plan.Fx.desired;
import static io.stackwire.reconcile.plan.Fx.idOf;
import static io.stackwire.reconcile.plan.Fx.net;
import static io.stackwire.reconcile.plan.Fx.notice;
import static io.stackwire.reconcile.plan.Fx.ops;
import static io.stackwire.reconcile.plan.Fx.predefined;
import static io.stackwire.reconcile.plan.Fx.shortId;
import static io.stackwire.reconcile.plan.Fx.state;
import static io.stackwire.reconcile.plan.Fx.step;
import static io.stackwire.reconcile.plan.Fx.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.PortBinding;
import io.stackwire.model.ReplacePolicy;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Aliases Docker adds by itself (API 1.41 and 1.44+ shapes), endpoints left on a network that is
 * gone, and the rule for {@code bridge}, {@code host} and {@code none} in a container's list.
 */
class PlannerAliasesAndModesTest {

    private final Fx.N front = net("front").subnet("10.1.0.0/24");

    /** {@code docker run --hostname myhost --network front --network-alias web}, as the daemon reports it. */
    private static LiveContainer withHostname(String name, boolean running, String hostname, LiveEndpoint... endpoints) {
        return new LiveContainer(idOf(name), name, running, endpoints[0].network(), Map.of(), List.of(endpoints), List.of(),
                List.of(), hostname);
    }

    private static LiveEndpoint endpoint(String network, String networkId, String... aliases) {
        return new LiveEndpoint(network, networkId, List.of(aliases), null, null, "", "");
    }

    private Plan plan(ContainerSpec spec, LiveContainer lc, LiveNetwork... networks) {
        return Planner.plan(desired(List.of(front.spec()), List.of(spec)),
                state(with(predefined(), networks), List.of(lc)), DEFAULT);
    }

    @Test
    void hostnameDockerAddsOnApi141IsNoDrift() {
        // 20.10 lists the user's alias, then the short ID, then the hostname.
        LiveContainer lc = withHostname("web", true, "myhost", endpoint("front", "id-front", "web", shortId("web"), "myhost"));
        Plan plan = plan(container("web", att("front", "web")), lc, front.live());
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).isEmpty();
    }

    @Test
    void currentApisListOnlyTheUsersAliasesAndThatIsNoDriftEither() {
        // 1.44 and later: no short ID, no hostname in Aliases (they are in DNSNames, which is not read).
        LiveContainer lc = withHostname("web", true, "myhost", endpoint("front", "id-front", "web"));
        assertThat(plan(container("web", att("front", "web")), lc, front.live()).changes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"api141", "api144", "api144-declared"})
    void aDeclaredAliasEqualToTheHostnameIsNoDifference(String shape) {
        List<String> aliases = switch (shape) {
            case "api141" -> List.of("myhost", "web", shortId("web")); // Docker does not add a declared hostname twice
            case "api144" -> List.of("web");
            default -> List.of("myhost", "web");
        };
        LiveContainer lc = withHostname("web", true, "myhost",
                endpoint("front", "id-front", aliases.toArray(String[]::new)));
        Plan plan = plan(container("web", att("front", "web", "myhost")), lc, front.live());
        assertThat(plan.changes()).isEmpty();
    }

    @Test
    void aDeclaredHostnameIsSentOnceWhenConnecting() {
        LiveContainer lc = new LiveContainer(idOf("web"), "web", true, "bridge", Map.of(),
                List.of(endpoint("bridge", "id-bridge")), List.of(), List.of(), "myhost");
        Plan plan = plan(container("web", att("front", "myhost", "web", "myhost")), lc, front.live());
        assertThat(step(plan, Step.Connect.class, "front", "web").endpoint().aliases()).containsExactly("myhost", "web");
    }

    @Test
    void aRealAliasDifferenceIsStillAReconnectAndItsPayloadLeavesOutTheHostname() {
        LiveContainer lc = withHostname("web", true, "myhost", endpoint("front", "id-front", "api", shortId("web"), "myhost"));
        Plan plan = plan(container("web", att("front", "api", "www")), lc, front.live());
        Change c = change(plan, ResourceKey.attachment("web", "front"));
        assertThat(c.action()).isEqualTo(Action.RECONNECT);
        assertThat(c.reason()).startsWith("aliases changed: [api] -> [api, www]");
        assertThat(step(plan, Step.Connect.class, "front", "web").endpoint().aliases()).containsExactly("api", "www");
    }

    // ---- endpoints on a network that is gone ----

    @Test
    void anEndpointOnANetworkThatWasReCreatedIsReconnected() {
        // `docker network rm front` while web was stopped, then front made again: a new ID.
        LiveContainer lc = withHostname("web", false, "", endpoint("front", "0123456789abcdef0000", "www", shortId("web")));
        Plan plan = plan(container("web", att("front", "www")), lc, front.live("fedcba9876543210ffff"));
        Change c = change(plan, ResourceKey.attachment("web", "front"));
        assertThat(c.action()).isEqualTo(Action.RECONNECT);
        assertThat(c.reason()).isEqualTo("endpoint points to a network that no longer exists (id 0123456789ab);"
                + " the network of that name is fedcba987654 (Docker cannot edit an endpoint in place: disconnect + connect)");
        assertThat(ops(plan)).containsExactly("DISCONNECT front web", "CONNECT front web");
        assertThat(step(plan, Step.Connect.class, "front", "web").endpoint().aliases()).containsExactly("www");
    }

    @Test
    void anEndpointOnANetworkThatIsGoneIsReconnectedAfterTheNetworkIsCreated() {
        LiveContainer lc = withHostname("web", false, "", endpoint("front", "0123456789abcdef0000", "www"));
        Plan plan = plan(container("web", att("front", "www")), lc);
        assertThat(change(plan, ResourceKey.attachment("web", "front")).reason())
                .startsWith("endpoint points to a network that no longer exists (id 0123456789ab); the network of that name is created by this plan");
        assertThat(ops(plan)).contains("CREATE_NETWORK front", "DISCONNECT front web", "CONNECT front web");
        Step connect = step(plan, Step.Connect.class, "front", "web");
        assertThat(connect.dependsOn()).contains(step(plan, Step.CreateNetwork.class, "front", null).id(),
                step(plan, Step.Disconnect.class, "front", "web").id());
    }

    @Test
    void aStaleIdTogetherWithAnAliasChangeSaysBoth() {
        LiveContainer lc = withHostname("web", false, "", endpoint("front", "0123456789abcdef0000", "old"));
        Plan plan = plan(container("web", att("front", "new")), lc, front.live());
        assertThat(change(plan, ResourceKey.attachment("web", "front")).reason()).contains("no longer exists")
                .contains("; aliases changed: [old] -> [new]");
    }

    @Test
    void theDefaultBridgeIsLookedUpByNameSoItsIdNeverCounts() {
        LiveContainer lc = withHostname("web", false, "", endpoint("bridge", "an-old-bridge-id"));
        Plan plan = plan(container("web", att("bridge")), lc, front.live());
        assertThat(plan.changes()).isEmpty();
    }

    @Test
    void anUnknownNetworkIdIsNotStale() {
        LiveContainer lc = withHostname("web", false, "", endpoint("front", "", "www"));
        assertThat(plan(container("web", att("front", "www")), lc, front.live()).changes()).isEmpty();
    }

    // ---- bridge, host and none ----

    @ParameterizedTest
    @ValueSource(strings = {"host", "none"})
    void listingTheModeTheContainerRunsInIsNoChangeAndNoError(String mode) {
        List<LiveEndpoint> eps = new ArrayList<>(List.of(endpoint(mode, "id-" + mode)));
        LiveContainer lc = new LiveContainer(idOf("agent"), "agent", true, mode, Map.of(), eps, List.of(), List.of());
        Plan plan = plan(container("agent", att(mode)), lc, front.live());
        assertThat(plan.changes()).isEmpty();
        assertThat(plan.notices()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "none"})
    void listingAModeTheContainerDoesNotRunInIsAnErrorWithTheFix(String mode) {
        LiveContainer lc = new LiveContainer(idOf("agent"), "agent", true, "bridge", Map.of(),
                List.of(endpoint("bridge", "id-bridge")), List.of(), List.of());
        Plan plan = plan(container("agent", att(mode)), lc, front.live());
        assertThat(codes(plan)).containsExactly("network-mode-mismatch");
        assertThat(notice(plan, "network-mode-mismatch").message()).isEqualTo("container agent is listed on `" + mode
                + "`, but runs with --network bridge on bridge; Docker cannot change a container's network mode");
        assertThat(notice(plan, "network-mode-mismatch").hint()).isEqualTo("re-create it with --network " + mode
                + ", or list the networks it should be on instead");
        assertThat(plan.changes()).isEmpty();
    }

    private static ContainerSpec withPorts(Attachment a, String... ports) {
        return new ContainerSpec("web", "app", a == null ? List.of() : List.of(a),
                Arrays.stream(ports).map(PortBinding::parse).toList(), ReplacePolicy.ALLOW, null, true);
    }

    private static LiveContainer noneMode(LiveEndpoint... endpoints) {
        return new LiveContainer(idOf("web"), "web", true, "none", Map.of(), List.of(endpoints),
                List.of(PortBinding.parse("127.0.0.1:8080:80")), List.of());
    }

    @Test
    void aNoneModeContainerTheSpecAttachesCanHaveItsPortsManaged() {
        Plan plan = plan(withPorts(att("front"), "127.0.0.1:8081:80"), noneMode(endpoint("none", "id-none")), front.live());
        assertThat(codes(plan)).doesNotContain("ports-without-network");
        assertThat(ops(plan)).containsExactly("DISCONNECT none web", "CONNECT front web", "REPLACE_CONTAINER  web");
    }

    @Test
    void aNoneModeContainerAlreadyOnANetworkCanHaveItsPortsManaged() {
        Plan plan = plan(withPorts(att("front"), "127.0.0.1:8081:80"), noneMode(endpoint("front", "id-front")), front.live());
        assertThat(ops(plan)).containsExactly("REPLACE_CONTAINER  web");
    }

    @Test
    void aNoneModeContainerOnNoNetworkPublishesNothingSoPortsAreAnError() {
        Plan plan = plan(withPorts(null, "127.0.0.1:8081:80"), noneMode(endpoint("none", "id-none")), front.live());
        assertThat(codes(plan)).containsExactly("ports-without-network");
        assertThat(notice(plan, "ports-without-network").hint())
                .isEqualTo("remove ports: from the spec, or attach the container to a network in the spec");
    }
}
