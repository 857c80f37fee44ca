package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.Ports;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.PortBinding;
import io.stackwire.model.Protocol;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.SwarmInfo;
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

        LiveNetwork n = Mappers.network(new ObjectMapper().readTree(json));

        assertThat(n).isEqualTo(new LiveNetwork("abc", "n1", "bridge", "local", true, false, true,
                new Ipam("default", List.of(
                        new IpamPool("10.1.0.0/24", "10.1.0.1", "10.1.0.128/25", Map.of("r", "10.1.0.5")),
                        new IpamPool("fd00:0:0:1::/64", "fd00:0:0:1::1", null, null)), Map.of()),
                Map.of("com.docker.network.driver.mtu", "1400"), Map.of("a", "b")));
    }

    @Test
    void readsPortBindingsInEveryStoredForm() {
        Ports ports = new Ports();
        ports.bind(ExposedPort.tcp(443), new Ports.Binding("", "444"));
        ports.bind(ExposedPort.tcp(5432), new Ports.Binding("127.0.0.1", "5432"));
        ports.bind(ExposedPort.tcp(80), new Ports.Binding("", ""));
        ports.bind(ExposedPort.udp(53), new Ports.Binding("::1", "5353"));
        ports.bind(ExposedPort.tcp(8080), new Ports.Binding("127.0.0.1", "8000-8010"));

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
    void exposedButUnpublishedPortsAreNotBindings() {
        Ports ports = new Ports();
        ports.getBindings().put(ExposedPort.tcp(9000), null);

        assertThat(Mappers.ports(ports)).isEmpty();
        assertThat(Mappers.ports(null)).isEmpty();
    }

    @Test
    void swarmRoleFollowsLocalNodeStateAndControl() {
        assertThat(Mappers.swarm(info(LocalNodeState.ACTIVE, true))).isEqualTo(new SwarmInfo(SwarmInfo.Role.MANAGER, "node1", false));
        assertThat(Mappers.swarm(info(LocalNodeState.ACTIVE, false))).isEqualTo(new SwarmInfo(SwarmInfo.Role.WORKER, "node1"));
        assertThat(Mappers.swarm(info(LocalNodeState.INACTIVE, false))).isEqualTo(SwarmInfo.NONE);
        assertThat(Mappers.swarm(info(LocalNodeState.PENDING, true))).isEqualTo(SwarmInfo.NONE);
        assertThat(Mappers.swarm(new Info())).isEqualTo(SwarmInfo.NONE);
    }

    @Test
    void leadershipComesFromTheNodesManagerStatus() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        SwarmInfo manager = Mappers.swarm(info(LocalNodeState.ACTIVE, true));
        assertThat(Mappers.withLeader(manager, json.readTree("{\"ManagerStatus\":{\"Leader\":true,\"Reachability\":\"reachable\"}}")).ownsOverlays())
                .isTrue();
        assertThat(Mappers.withLeader(manager, json.readTree("{\"ManagerStatus\":{\"Reachability\":\"reachable\"}}")).ownsOverlays()).isFalse();
        assertThat(Mappers.withLeader(manager, json.readTree("{}")).leader()).isFalse();
        assertThat(new SwarmInfo(SwarmInfo.Role.WORKER, "n", true).leader()).as("only a manager leads").isFalse();
    }

    @Test
    void stripsTheSlashDockerPutsBeforeNames() {
        assertThat(Mappers.stripSlash("/web")).isEqualTo("web");
        assertThat(Mappers.stripSlash("web")).isEqualTo("web");
    }

    private static Info info(LocalNodeState state, boolean control) {
        return new Info().withSwarm(new com.github.dockerjava.api.model.SwarmInfo()
                .withLocalNodeState(state).withControlAvailable(control).withNodeID("node1"));
    }
}
