package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.NetworkCreate;

import io.stackwire.reconcile.daemon.EndpointConfig;

import io.stackwire.reconcile.daemon.GatewayException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.ObserveScope;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.daemon.GatewayException.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway against the real daemon at DOCKER_HOST (or the local socket). */
class DockerJavaGatewayIT {

    private TestDocker docker;
    private DockerJavaGateway gateway;
    private int octet;

    @BeforeEach
    void setUp() {
        docker = new TestDocker();
        gateway = DockerJavaGateway.fromEnvironment();
        octet = TestDocker.randomSubnetOctet();
    }

    @AfterEach
    void tearDown() {
        try {
            gateway.close();
        } finally {
            docker.close();
        }
    }

    private String subnet() {
        return "10.213." + octet + ".0/24";
    }

    private String ip(int last) {
        return "10.213." + octet + "." + last;
    }

    private NetworkCreate plainNetwork(String name) {
        return new NetworkCreate(name, "bridge", false, false, false,
                new Ipam(null, List.of(new IpamPool(subnet(), null, null, null)), null), null, null);
    }

    @Test
    void theTrainingWarmUpSendsTwoReadsThroughDockerJava() {
        try (DockerJavaGateway g = DockerJavaGateway.fromEnvironment()) {
            g.warmUpChangePath();

            assertThat(g.dockerJavaBuilt()).isTrue();
            assertThat(g.apiCalls()).as("ping and list networks, both answered").isEqualTo(2);
        }
    }

    @Test
    void createsNetworkExactlyAsRequestedAndObservesIt() throws Exception {
        String name = docker.name("net");
        IpamPool pool = new IpamPool(subnet(), ip(1), "10.213." + octet + ".128/25", Map.of("reserved", ip(5)));
        NetworkCreate request = new NetworkCreate(name, "bridge", false, true, false,
                new Ipam("default", List.of(pool), Map.of("swtest-ipam-option", "1")),
                Map.of("com.docker.network.driver.mtu", "1400", "com.docker.network.bridge.enable_icc", "true"),
                Map.of("io.stackwire.managed", "true", "team", "payments"));

        String id = gateway.createNetwork(request);

        LiveNetwork live = gateway.observe().network(name);
        assertThat(live).isNotNull();
        assertThat(live.id()).isEqualTo(id);
        assertThat(live.driver()).isEqualTo("bridge");
        assertThat(live.scope()).isEqualTo("local");
        assertThat(live.internal()).isFalse();
        assertThat(live.attachable()).isTrue();
        assertThat(live.ipv6()).isFalse();
        assertThat(live.ipam()).isEqualTo(request.ipam());
        assertThat(live.options()).isEqualTo(request.options());
        assertThat(live.labels()).isEqualTo(request.labels());
        assertThat(live.managed()).isTrue();

        gateway.removeNetwork(id);
        assertThat(gateway.observe().network(name)).isNull();
    }

    @Test
    void createsInternalDualStackNetworkAndReportsIpv6InCanonicalText() throws Exception {
        String name = docker.name("v6");
        String v6 = "FD00:213:0:" + Integer.toHexString(octet) + "::";
        NetworkCreate request = new NetworkCreate(name, "bridge", true, false, true,
                new Ipam(null, List.of(
                        new IpamPool(subnet(), ip(1), null, null),
                        new IpamPool(v6 + "/64", v6 + "1", null, null)), null),
                null, null);

        gateway.createNetwork(request);

        LiveNetwork live = gateway.observe().network(name);
        assertThat(live.internal()).isTrue();
        assertThat(live.ipv6()).isTrue();
        String canonical = "fd00:213:0:" + Integer.toHexString(octet) + "::";
        assertThat(live.ipam().driver()).isEqualTo("default");
        assertThat(live.ipam().pools()).containsExactlyInAnyOrder(
                new IpamPool(subnet(), ip(1), null, Map.of()),
                new IpamPool(canonical + "/64", canonical + "1", null, Map.of()));
        // The daemon fills nothing in the list we did not ask for, apart from IPAM's driver.
        assertThat(live.options()).isEmpty();
        assertThat(live.labels()).isEmpty();
    }

    @Test
    void aLocalNetworkIsGoneWhenItsRemovalIsAnsweredSoOnlyOneOfUnknownScopeIsWatched() throws Exception {
        String made = gateway.createNetwork(new NetworkCreate(docker.name("made"), "bridge", false, false, false, null, null, null));
        String listed = docker.client.createNetworkCmd().withName(docker.name("listed")).exec().getId();
        String unlisted = docker.client.createNetworkCmd().withName(docker.name("unlisted")).exec().getId();
        gateway.observe(); // lists listed (and the others): local scope

        long before = gateway.apiCalls();
        gateway.removeNetwork(made);
        gateway.removeNetwork(listed);
        assertThat(gateway.apiCalls() - before).as("one DELETE each, no polling").isEqualTo(2);
        // The daemon answered once they were gone: nobody finds them any more.
        for (String id : List.of(made, listed)) {
            assertThat(docker.client.listNetworksCmd().withIdFilter(id).exec()).isEmpty();
        }

        try (DockerJavaGateway fresh = DockerJavaGateway.fromEnvironment()) {
            long start = fresh.apiCalls();
            fresh.removeNetwork(unlisted); // never listed by this gateway: could be a swarm's overlay
            assertThat(fresh.apiCalls() - start).as("the DELETE and one look that it is gone").isEqualTo(2);
        }
    }

    @Test
    void daemonPicksSubnetWhenNoneIsGivenAndObserveReportsIt() throws Exception {
        String name = docker.name("auto");
        gateway.createNetwork(new NetworkCreate(name, "bridge", false, false, false, null, null, null));

        LiveNetwork live = gateway.observe().network(name);

        // 20.10 records the pool it picked, so a spec without IPAM must not be compared pool for pool.
        assertThat(live.ipam().pools()).hasSize(1);
        assertThat(live.ipam().pools().get(0).subnet()).contains("/");
        assertThat(live.ipam().pools().get(0).gateway()).isNotNull();
    }

    @Test
    void observesAliasesAndStaticAddressOfARunningContainer() throws Exception {
        String net = docker.name("net");
        String netId = gateway.createNetwork(plainNetwork(net));
        String c1 = docker.name("db");
        String id = docker.run("db", null);

        gateway.connect(c1, net, new EndpointConfig(List.of("db-alias", "primary"), ip(10), null));

        LiveContainer live = gateway.observe().container(c1);
        assertThat(live.id()).isEqualTo(id);
        assertThat(live.name()).isEqualTo(c1);
        assertThat(live.running()).isTrue();
        assertThat(live.networkMode()).isEqualTo("default");
        LiveEndpoint ep = live.endpoint(net);
        // Docker adds the short container ID as an alias on its own when the endpoint comes up.
        assertThat(ep.aliases()).containsExactlyInAnyOrder("db-alias", "primary", live.shortId());
        assertThat(ep.ipv4Config()).isEqualTo(ip(10));
        assertThat(ep.ipv6Config()).isNull();
        assertThat(ep.ipv4Address()).isEqualTo(ip(10));
        assertThat(ep.networkId()).isEqualTo(netId);
        // The default bridge endpoint has no aliases and no configured address.
        LiveEndpoint bridge = live.endpoint("bridge");
        assertThat(bridge.aliases()).isEmpty();
        assertThat(bridge.ipv4Config()).isNull();
        assertThat(bridge.ipv4Address()).isNotEmpty();
    }

    @Test
    void observesAttachmentsOfAStoppedContainer() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        String c = docker.name("stopped");
        docker.create("stopped", null);

        gateway.connect(c, net, new EndpointConfig(List.of("cache"), ip(20), null));

        LiveContainer live = gateway.observe().container(c);
        assertThat(live.running()).isFalse();
        LiveEndpoint ep = live.endpoint(net);
        assertThat(ep).isNotNull();
        // A stopped container's endpoint has what was configured plus the short-ID alias Docker
        // adds on connect, but no network ID and no runtime address until it starts.
        assertThat(ep.aliases()).containsExactlyInAnyOrder("cache", live.shortId());
        assertThat(ep.ipv4Config()).isEqualTo(ip(20));
        assertThat(ep.networkId()).isEmpty();
        assertThat(ep.ipv4Address()).isEmpty();
        assertThat(live.actualPorts()).isEmpty();
    }

    @Test
    void disconnectRemovesTheEndpointOfRunningAndStoppedContainers() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        String running = docker.name("run");
        String stopped = docker.name("stop");
        docker.run("run", null);
        docker.create("stop", null);
        gateway.connect(running, net, EndpointConfig.NONE);
        gateway.connect(stopped, net, EndpointConfig.NONE);

        gateway.disconnect(running, net, false);
        gateway.disconnect(stopped, net, false);

        LiveState live = gateway.observe();
        assertThat(live.container(running).endpoint(net)).isNull();
        assertThat(live.container(stopped).endpoint(net)).isNull();
    }

    @Test
    void connectToMissingNetworkIsNotFound() throws Exception {
        docker.run("c", null);

        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gateway.connect(docker.name("c"), docker.name("missing"), EndpointConfig.NONE));

        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains(docker.name("missing")).contains("not found").doesNotContain("\n");
    }

    @Test
    void connectOfMissingContainerIsNotFound() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));

        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gateway.connect(docker.name("ghost"), net, EndpointConfig.NONE));

        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("No such container");
    }

    @Test
    void creatingADuplicateNameIsAConflictAndLeavesOneNetwork() throws Exception {
        String net = docker.name("dup");
        gateway.createNetwork(plainNetwork(net));

        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gateway.createNetwork(new NetworkCreate(net, "bridge", false, false, false, null, null, null)));

        assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
        assertThat(e.getMessage()).isEqualTo("create network " + net + ": network with name " + net + " already exists");
        assertThat(docker.client.listNetworksCmd().withNameFilter(net).exec())
                .filteredOn(n -> n.getName().equals(net)).hasSize(1);
        assertThat(gateway.warnings()).isEmpty();
    }

    @Test
    void connectingTwiceIsAlreadyForRunningAndStoppedContainers() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        docker.run("run", null);
        docker.create("stop", null);
        gateway.connect(docker.name("run"), net, new EndpointConfig(List.of("a"), null, null));
        gateway.connect(docker.name("stop"), net, new EndpointConfig(List.of("a"), null, null));

        for (String c : List.of(docker.name("run"), docker.name("stop"))) {
            GatewayException e = catchThrowableOfType(GatewayException.class,
                    () -> gateway.connect(c, net, new EndpointConfig(List.of("b"), null, null)));
            assertThat(e.kind()).as(c).isEqualTo(Kind.ALREADY);
            assertThat(e.getMessage()).contains("already attached");
        }
        // The stopped container kept its first settings (20.10 would have answered 200 and kept them too).
        LiveContainer stopped = gateway.observe().container(docker.name("stop"));
        assertThat(stopped.endpoint(net).aliases()).containsExactlyInAnyOrder("a", stopped.shortId());
    }

    @Test
    void keepsAnEndpointsDriverOptionsAndObservesThemAsItsStamp() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        docker.run("run", null);
        Map<String, String> stamp = Map.of("io.stackwire.controller", "0123456789abcdef", "io.stackwire.connected", "1700000000");
        EndpointConfig endpoint = new EndpointConfig(List.of("a"), ip(7), null).withDriverOpts(stamp);

        gateway.connectRunning(docker.name("run"), net, endpoint);

        LiveEndpoint e = gateway.observe().container(docker.name("run")).endpoint(net);
        assertThat(e.driverOpts()).isEqualTo(stamp);
        assertThat(e.aliases()).contains("a");
        assertThat(e.ipv4Config()).isEqualTo(ip(7));
        GatewayException again = catchThrowableOfType(GatewayException.class,
                () -> gateway.connectRunning(docker.name("run"), net, endpoint));
        assertThat(again.kind()).as("a second connect, sent as plain JSON, maps as before").isEqualTo(Kind.ALREADY);
    }

    @Test
    void secondConnectSentStraightToTheDaemonIsMappedToAlready() throws Exception {
        // Bypasses the gateway's own check, to pin the daemon's wording our mapping relies on.
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        docker.run("run", null);
        docker.client.connectToNetworkCmd().withContainerId(docker.name("run")).withNetworkId(net).exec();

        RuntimeException raw = catchThrowableOfType(RuntimeException.class,
                () -> docker.client.connectToNetworkCmd().withContainerId(docker.name("run")).withNetworkId(net).exec());

        GatewayException e = Errors.map(raw, "connect", "test");
        assertThat(e.kind()).isEqualTo(Kind.ALREADY);
        assertThat(e.getMessage()).isEqualTo("connect: endpoint with name " + docker.name("run")
                + " already exists in network " + net);
    }

    @Test
    void disconnectingTwiceIsAlready() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        docker.run("run", null);
        gateway.connect(docker.name("run"), net, EndpointConfig.NONE);
        gateway.disconnect(docker.name("run"), net, false);

        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gateway.disconnect(docker.name("run"), net, false));

        assertThat(e.kind()).isEqualTo(Kind.ALREADY);
        assertThat(e.getMessage()).contains("is not connected to network " + net);
    }

    @Test
    void removingANetworkWithEndpointsIsAConflictThatSaysWhy() throws Exception {
        String net = docker.name("busy");
        String id = gateway.createNetwork(plainNetwork(net));
        docker.run("run", net);

        GatewayException e = catchThrowableOfType(GatewayException.class, () -> gateway.removeNetwork(id));

        assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
        assertThat(e.getMessage()).contains("has active endpoints").doesNotContain("\n");
        assertThat(gateway.observe().network(net)).isNotNull();
    }

    @Test
    void predefinedNetworksCannotBeRemoved() throws Exception {
        String bridgeId = gateway.observe().network("bridge").id();

        GatewayException e = catchThrowableOfType(GatewayException.class, () -> gateway.removeNetwork(bridgeId));

        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.getMessage()).contains("pre-defined network and cannot be removed");
    }

    @Test
    void failedConnectDoesNotLeaveADeadEndpointBehind() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        docker.run("a", null);
        String b = docker.name("b");
        String bId = docker.run("b", null);
        gateway.connect(docker.name("a"), net, new EndpointConfig(List.of(), ip(30), null));

        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gateway.connect(b, net, new EndpointConfig(List.of(), ip(30), null)));

        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.getMessage()).isEqualTo("connect " + b + " to " + net + ": Address already in use");
        // 20.10 leaves an entry in b's settings after this failure, and b then cannot start again.
        assertThat(gateway.observe().container(b).endpoint(net)).isNull();
        docker.client.stopContainerCmd(bId).withTimeout(0).exec();
        docker.client.startContainerCmd(bId).exec();
        assertThat(gateway.observe().container(b).running()).isTrue();
    }

    @Test
    void staticAddressOutsideTheSubnetIsRefusedWithTheDaemonsReason() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        String c = docker.name("c");
        docker.run("c", null);

        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gateway.connect(c, net, new EndpointConfig(List.of(), "192.0.2.200", null)));

        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.getMessage()).contains("does not belong to any of this network's subnets");
        assertThat(gateway.observe().container(c).endpoint(net)).isNull();
    }

    @Test
    void hostModeContainerCannotJoinOtherNetworks() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        String c = docker.name("host");
        docker.run("host", "host");

        GatewayException e = catchThrowableOfType(GatewayException.class,
                () -> gateway.connect(c, net, EndpointConfig.NONE));

        assertThat(e.kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.getMessage()).contains("cannot be connected to any other network");
        LiveContainer live = gateway.observe().container(c);
        assertThat(live.networkMode()).isEqualTo("host");
        assertThat(live.endpoint("host")).isNotNull();
    }

    @Test
    void observeReportsApiVersionSwarmRoleAndCountsItsCalls() throws Exception {
        long before = gateway.apiCalls();

        LiveState live = gateway.observe();

        String daemonApi = docker.client.versionCmd().exec().getApiVersion();
        assertThat(live.apiVersion()).isEqualTo(daemonApi);
        assertThat(gateway.describe()).endsWith("(API " + daemonApi + ")");
        assertThat(live.swarm().role()).isEqualTo(SwarmInfo.Role.NONE); // tests never init swarm on a shared daemon
        assertThat(live.networks()).containsKeys("bridge", "host", "none");
        // list networks + list containers + info + one inspect per container; other test runs may
        // add or remove containers in between, so the count is bounded rather than exact.
        long used = gateway.apiCalls() - before;
        assertThat(used).isGreaterThanOrEqualTo(3 + live.containers().size());
        assertThat(live.containers().values()).allSatisfy(c -> assertThat(c.name()).doesNotStartWith("/"));
    }

    @Test
    void aScopedObservationInspectsOnlyItsScopeAndDescribesTheRestFromTheList() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        String named = docker.name("web");
        docker.run("web", null);
        String member = docker.name("member");
        docker.run("member", null);
        gateway.connect(member, net, new EndpointConfig(List.of("m-alias"), ip(11), null));
        String unrelated = docker.name("unrelated");
        docker.run("unrelated", null);
        ObserveScope scope = ObserveScope.of(List.of(named), List.of(net));

        LiveState all = gateway.observe();
        long before = gateway.apiCalls();
        LiveState scoped = gateway.observe(() -> scope);
        long used = gateway.apiCalls() - before;

        assertThat(scoped.container(named)).isEqualTo(all.container(named));
        assertThat(scoped.container(member)).as("on a network of the scope").isEqualTo(all.container(member));
        LiveContainer light = scoped.container(unrelated);
        LiveContainer inspected = all.container(unrelated);
        assertThat(light.id()).isEqualTo(inspected.id());
        assertThat(light.running()).isTrue();
        assertThat(light.endpoint("bridge").ipv4Address()).isEqualTo(inspected.endpoint("bridge").ipv4Address());
        assertThat(light.hostname()).isEmpty();
        assertThat(scoped.networks()).isEqualTo(all.networks());
        assertThat(scoped.containers().keySet()).containsAll(List.of(named, member, unrelated));
        // list containers, list networks, info, and one inspect per container in the scope: others'
        // containers on managed networks count too, so bounded, but never one for `unrelated`.
        long inScope = scoped.containers().values().stream().filter(c -> !c.hostname().isEmpty()).count();
        assertThat(used).isLessThanOrEqualTo(3 + inScope).isLessThan(3 + scoped.containers().size());
    }

    @Test
    void aRunningContainerIsInspectedAgainOnlyWhenItsEndpointsChangeAndAStoppedOneAlways(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        String web = docker.name("web");
        String webId = docker.run("web", null);
        String idle = docker.name("idle");
        String idleId = docker.create("idle", null);
        gateway.connect(web, net, new EndpointConfig(List.of("w1"), null, null));
        gateway.connect(idle, net, new EndpointConfig(List.of("i1"), null, null));
        ObserveScope scope = ObserveScope.of(List.of(web, idle), List.of(net));
        java.nio.file.Path file = dir.resolve("inspect").resolve("daemon.json");

        LiveState first;
        try (DockerJavaGateway a = DockerJavaGateway.fromEnvironment().persistInspects(file)) {
            first = a.observe(() -> scope, t -> { });
            assertThat(a.inspectedLast()).contains(webId, idleId);
        }
        assertThat(file).exists();

        // A new process (a new gateway on the same file): the running container comes from the file.
        try (DockerJavaGateway b = DockerJavaGateway.fromEnvironment().persistInspects(file)) {
            LiveState second = b.observe(() -> scope, t -> { });
            assertThat(b.inspectedLast()).contains(idleId).doesNotContain(webId);
            assertThat(second.container(web)).isEqualTo(first.container(web));
            assertThat(second.container(idle)).isEqualTo(first.container(idle));

            // Re-aliased behind our back: a new endpoint ID, so inspected again and seen.
            gateway.disconnect(web, net, false);
            gateway.connect(web, net, new EndpointConfig(List.of("w2"), null, null));
            // The stopped one re-aliased too: nothing in the list shows it, but it is always inspected.
            gateway.disconnect(idle, net, false);
            gateway.connect(idle, net, new EndpointConfig(List.of("i2"), null, null));
            LiveState third = b.observe(() -> scope, t -> { });
            assertThat(b.inspectedLast()).contains(webId, idleId);
            assertThat(third.container(web).endpoint(net).aliases()).contains("w2").doesNotContain("w1");
            assertThat(third.container(idle).endpoint(net).aliases()).contains("i2").doesNotContain("i1");

            LiveState fourth = b.observe(() -> scope, t -> { });
            assertThat(b.inspectedLast()).doesNotContain(webId);
            assertThat(fourth.container(web)).isEqualTo(third.container(web));

            // Stopped and started again: new endpoints, inspected again.
            docker.client.restartContainerCmd(webId).withTimeout(0).exec();
            LiveState fifth = b.observe(() -> scope, t -> { });
            assertThat(b.inspectedLast()).contains(webId);
            assertThat(fifth.container(web).endpoint(net).aliases()).contains("w2");
        }
    }

    @Test
    void aRefreshReadsTheNetworksAndTheNamedContainersAgainOnly() throws Exception {
        String net = docker.name("net");
        gateway.createNetwork(plainNetwork(net));
        String web = docker.name("web");
        docker.run("web", null);
        String gone = docker.name("gone");
        String goneId = docker.run("gone", null);
        LiveState base = gateway.observe(() -> ObserveScope.of(List.of(web, gone), List.of(net)));
        gateway.connect(web, net, new EndpointConfig(List.of("late-alias"), ip(12), null));
        docker.client.removeContainerCmd(goneId).withForce(true).exec();
        String other = docker.name("other");
        gateway.createNetwork(new NetworkCreate(other, "bridge", false, false, false, null, null, null));

        long before = gateway.apiCalls();
        LiveState after = gateway.refresh(base, List.of(web, goneId));

        assertThat(gateway.apiCalls() - before).as("list networks + 2 inspects").isEqualTo(3);
        assertThat(after.container(web).endpoint(net).aliases()).contains("late-alias");
        assertThat(after.container(web)).isEqualTo(gateway.observe().container(web));
        assertThat(after.container(gone)).as("removed since").isNull();
        assertThat(after.network(other)).isNotNull();
        base.containers().keySet().stream().filter(n -> !n.equals(web) && !n.equals(gone))
                .forEach(n -> assertThat(after.container(n)).isEqualTo(base.container(n)));
    }

    @Test
    void theApiVersionAloneCostsOneCallWhateverTheDaemonHolds() throws Exception {
        // `stackwire version` used to observe everything: a thousand calls on a big host.
        long before = gateway.apiCalls();

        String api = gateway.apiVersion();

        assertThat(api).isEqualTo(docker.client.versionCmd().exec().getApiVersion());
        assertThat(gateway.apiCalls() - before).isEqualTo(1);
        assertThat(gateway.describe()).endsWith("(API " + api + ")");
    }

    @Test
    void readsOverTheSocketObserveExactlyWhatDockerJavaObserves() throws Exception {
        // On a unix:// daemon the observation's GETs skip docker-java (UnixSocketReads); the two
        // paths must see the same networks, endpoints, aliases, addresses and ports.
        String net = docker.name("net");
        IpamPool pool = new IpamPool(subnet(), ip(1), null, Map.of("reserved", ip(5)));
        gateway.createNetwork(new NetworkCreate(net, "bridge", false, true, false,
                new Ipam("default", List.of(pool), null), Map.of("com.docker.network.driver.mtu", "1400"),
                Map.of("team", "payments")));
        String running = docker.name("db");
        docker.run("db", null);
        gateway.connect(running, net, new EndpointConfig(List.of("db-alias", "primary"), ip(10), null));
        String stopped = docker.name("cache");
        docker.create("cache", null);
        gateway.connect(stopped, net, new EndpointConfig(List.of("cache"), ip(20), null));
        String host = gateway.describe().replaceFirst(" \\(API .*\\)$", "");

        LiveState viaSocket;
        LiveState viaDockerJava;
        try (DockerJavaGateway socket = DockerJavaGateway.forHost(host, true);
                DockerJavaGateway plain = DockerJavaGateway.forHost(host, false)) {
            viaSocket = socket.observe();
            viaDockerJava = plain.observe();
            // At least: on a daemon others use, a container listed and gone before its inspect costs a call too.
            assertThat(socket.apiCalls()).as("calls").isGreaterThanOrEqualTo(3 + viaSocket.containers().size());
        }

        assertThat(viaSocket.network(net)).isNotNull().isEqualTo(viaDockerJava.network(net));
        assertThat(viaSocket.network("bridge")).isEqualTo(viaDockerJava.network("bridge"));
        assertThat(viaSocket.container(running)).isNotNull().isEqualTo(viaDockerJava.container(running));
        assertThat(viaSocket.container(stopped)).isNotNull().isEqualTo(viaDockerJava.container(stopped));
        assertThat(viaSocket.container(running).endpoint(net).aliases()).contains("db-alias", "primary");
        assertThat(viaSocket.swarm()).isEqualTo(viaDockerJava.swarm());
        assertThat(viaSocket.apiVersion()).isNotEmpty().isEqualTo(viaDockerJava.apiVersion());
    }
}
