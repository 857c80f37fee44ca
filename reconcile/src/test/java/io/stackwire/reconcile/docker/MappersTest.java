package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.PortBinding;
import io.stackwire.model.Protocol;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.SwarmInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappersTest {

    @Test
    void readsANetworkFromTheListJsonWithIpamAuxAddressesAndCanonicalIpv6() throws Exception {
        String json = """
                {"Name":"n1","Id":"abc","Scope":"local","Driver":"bridge","EnableIPv6":true,"Internal":true,
                 "Attachable":false,
                 "IPAM":{"Driver":"default","Options":null,"Config":[
                   {"Subnet":"10.1.0.0/24","Gateway":"10.1.0.1","IPRange":"10.1.0.128/25",
                    "AuxiliaryAddresses":{"r":"10.1.0.5"}},
                   {"Subnet":"FD00:0:0:1::/64","Gateway":"fd00:0:0:1:0:0:0:1"}]},
                 "Options":{"com.docker.network.driver.mtu":"1400"},"Labels":{"a":"b"},"Containers":{}}
                """;

        LiveNetwork n = Mappers.network(bind(json, DaemonJson.Network.class));

        assertThat(n).isEqualTo(new LiveNetwork("abc", "n1", "bridge", "local", true, false, true,
                new Ipam("default", List.of(
                        new IpamPool("10.1.0.0/24", "10.1.0.1", "10.1.0.128/25", Map.of("r", "10.1.0.5")),
                        new IpamPool("fd00:0:0:1::/64", "fd00:0:0:1::1", null, null)), Map.of()),
                Map.of("com.docker.network.driver.mtu", "1400"), Map.of("a", "b")));
    }

    @Test
    void readsAContainerFromTheListWithoutWhatOnlyAnInspectHas() throws Exception {
        // As 20.10 lists it: no aliases, runtime ports only (an exposed port has no PublicPort).
        DaemonJson.ListedContainer listed = bind("""
                {"Id":"c1","Names":["/other/link-alias","/web"],"State":"running","Labels":{"team":"a"},
                 "Ports":[{"IP":"127.0.0.1","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
                          {"PrivatePort":9000,"Type":"tcp"},{"IP":"::","PrivatePort":53,"PublicPort":5353,"Type":"udp"}],
                 "HostConfig":{"NetworkMode":"front"},
                 "NetworkSettings":{"Networks":{"front":{"IPAMConfig":{"IPv4Address":"10.1.0.10"},"Aliases":null,
                   "NetworkID":"n1","IPAddress":"10.1.0.10","GlobalIPv6Address":""}}}}""", DaemonJson.ListedContainer.class);

        LiveContainer c = Mappers.listedContainer(listed);

        assertThat(c.name()).isEqualTo("web");
        assertThat(c.running()).isTrue();
        assertThat(c.networkMode()).isEqualTo("front");
        assertThat(c.labels()).isEqualTo(Map.of("team", "a"));
        assertThat(c.endpoints()).containsExactly(new LiveEndpoint("front", "n1", List.of(), "10.1.0.10", null, "10.1.0.10", null));
        assertThat(c.configuredPorts()).isEmpty();
        assertThat(c.actualPorts()).containsExactly(
                new PortBinding("::", 5353, 5353, 53, 53, Protocol.UDP),
                new PortBinding("127.0.0.1", 8080, 8080, 80, 80, Protocol.TCP));
        assertThat(c.hostname()).isEmpty();
        // A stopped container holds no host port; "exited" is not running.
        assertThat(Mappers.listedContainer(bind("{\"Id\":\"c2\",\"Names\":[\"/db\"],\"State\":\"exited\"}", DaemonJson.ListedContainer.class)).running()).isFalse();
    }

    @Test
    void readsWhenTheDaemonCreatedANetworkAndNothingForItsZeroTime() throws Exception {
        assertThat(Mappers.network(network("{\"Name\":\"n\",\"Id\":\"i\",\"Created\":\"2024-05-01T12:00:00.123456789+02:00\"}")).created())
                .isEqualTo(Instant.parse("2024-05-01T10:00:00.123456789Z"));
        assertThat(Mappers.network(network("{\"Name\":\"n\",\"Id\":\"i\",\"Created\":\"0001-01-01T00:00:00Z\"}")).created()).isNull();
        assertThat(Mappers.network(network("{\"Name\":\"n\",\"Id\":\"i\"}")).created()).isNull();
    }

    @Test
    void readsPortBindingsInEveryStoredForm() throws Exception {
        Map<String, List<DaemonJson.HostBinding>> ports = ports("""
                {"443/tcp": [{"HostIp": "", "HostPort": "444"}],
                 "5432/tcp": [{"HostIp": "127.0.0.1", "HostPort": "5432"}],
                 "80/tcp": [{"HostIp": "", "HostPort": ""}],
                 "53/udp": [{"HostIp": "::1", "HostPort": "5353"}],
                 "8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8000-8010"}]}""");

        // Sorted by container port, then protocol, host IP and host port.
        assertThat(Mappers.ports(ports)).containsExactly(
                PortBinding.parse("[::1]:5353:53/udp"),
                PortBinding.parse("80"),
                PortBinding.parse("444:443"),
                PortBinding.parse("127.0.0.1:5432:5432"),
                PortBinding.parse("127.0.0.1:8000-8010:8080"));
        assertThat(Mappers.ports(ports).get(0).protocol()).isEqualTo(Protocol.UDP);
    }

    @Test
    void exposedButUnpublishedPortsAreNotBindings() throws Exception {
        assertThat(Mappers.ports(ports("{\"9000/tcp\": null}"))).isEmpty();
        assertThat(Mappers.ports(ports("null"))).isEmpty();
        assertThat(Mappers.ports(null)).isEmpty();
    }

    @Test
    void readsAContainerFromItsInspectJsonStoppedOrRunning() throws Exception {
        String inspect = """
                {"Id": "0123456789abcdef0123", "Name": "/web",
                 "State": {"Running": %s},
                 "Config": {"Labels": {"tier": "front"}, "Hostname": "myhost"},
                 "HostConfig": {"NetworkMode": "front", "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]}},
                 "NetworkSettings": {
                   "Ports": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]},
                   "Networks": {
                     "front": {"IPAMConfig": {"IPv4Address": "10.1.0.5", "IPv6Address": "fd00:0:0:0::5"},
                               "Aliases": ["web", "0123456789ab"], "NetworkID": "n1",
                               "IPAddress": "10.1.0.5", "GlobalIPv6Address": "fd00::5"},
                     "back": {"IPAMConfig": null, "Aliases": null, "NetworkID": "", "IPAddress": ""}}}}""";

        LiveContainer running = Mappers.container(bind(inspect.formatted("true"), DaemonJson.Inspect.class));
        assertThat(running.name()).isEqualTo("web");
        assertThat(running.running()).isTrue();
        assertThat(running.networkMode()).isEqualTo("front");
        assertThat(running.labels()).containsEntry("tier", "front");
        assertThat(running.hostname()).isEqualTo("myhost");
        assertThat(running.endpoints()).containsExactly(
                new LiveEndpoint("back", "", List.of(), null, null, "", ""),
                new LiveEndpoint("front", "n1", List.of("web", "0123456789ab"), "10.1.0.5", "fd00::5", "10.1.0.5", "fd00::5"));
        assertThat(running.configuredPorts()).containsExactly(PortBinding.parse("127.0.0.1:8080:80"));
        assertThat(running.actualPorts()).containsExactly(PortBinding.parse("127.0.0.1:8080:80"));

        LiveContainer stopped = Mappers.container(bind(inspect.formatted("false"), DaemonJson.Inspect.class));
        assertThat(stopped.configuredPorts()).as("configured bindings survive a stop").hasSize(1);
        assertThat(stopped.actualPorts()).as("runtime ports are only read while running").isEmpty();
    }

    @Test
    void theObservationKeepsTheHostnameWhenItSkipsTheRestOfTheInspectAnswer() throws Exception {
        String inspect = """
                {"Id": "c1", "Name": "/web", "Config": {"Hostname": "myhost", "Env": ["A=b"]}}""";
        assertThat(Mappers.container(bind(inspect, DaemonJson.Inspect.class)).hostname()).isEqualTo("myhost");
    }

    @Test
    void swarmRoleFollowsLocalNodeStateAndControl() throws Exception {
        assertThat(Mappers.swarm(info("active", true))).isEqualTo(new SwarmInfo(SwarmInfo.Role.MANAGER, "node1", false));
        assertThat(Mappers.swarm(info("active", false))).isEqualTo(new SwarmInfo(SwarmInfo.Role.WORKER, "node1"));
        assertThat(Mappers.swarm(info("inactive", false))).isEqualTo(SwarmInfo.NONE);
        assertThat(Mappers.swarm(info("pending", true))).isEqualTo(SwarmInfo.NONE);
        assertThat(Mappers.swarm(bind("{}", DaemonJson.Info.class))).isEqualTo(SwarmInfo.NONE);
    }

    @Test
    void leadershipComesFromTheNodesManagerStatus() throws Exception {
        SwarmInfo manager = Mappers.swarm(info("active", true));
        assertThat(Mappers.withLeader(manager, bind("{\"ManagerStatus\":{\"Leader\":true,\"Reachability\":\"reachable\"}}", DaemonJson.Node.class)).ownsOverlays())
                .isTrue();
        assertThat(Mappers.withLeader(manager, bind("{\"ManagerStatus\":{\"Reachability\":\"reachable\"}}", DaemonJson.Node.class)).ownsOverlays()).isFalse();
        assertThat(Mappers.withLeader(manager, bind("{}", DaemonJson.Node.class)).leader()).isFalse();
        assertThat(new SwarmInfo(SwarmInfo.Role.WORKER, "n", true).leader()).as("only a manager leads").isFalse();
    }

    @Test
    void stripsTheSlashDockerPutsBeforeNames() {
        assertThat(Mappers.stripSlash("/web")).isEqualTo("web");
        assertThat(Mappers.stripSlash("web")).isEqualTo("web");
    }

    private static DaemonJson.Info info(String state, boolean control) throws Exception {
        return bind("{\"Swarm\": {\"LocalNodeState\": \"" + state + "\", \"ControlAvailable\": " + control
                + ", \"NodeID\": \"node1\"}}", DaemonJson.Info.class);
    }

    private static <T> T bind(String text, Class<T> type) throws Exception {
        return DaemonJson.mapper().readValue(text, type);
    }

    private static DaemonJson.Network network(String text) throws Exception {
        return bind(text, DaemonJson.Network.class);
    }

    private static Map<String, List<DaemonJson.HostBinding>> ports(String text) throws Exception {
        return DaemonJson.mapper().readValue(text, new TypeReference<Map<String, List<DaemonJson.HostBinding>>>() {});
    }
}
