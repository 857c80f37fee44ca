package io.stackwire.reconcile.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The daemon's JSON answers as the adapter reads them: records that declare only the fields
 * {@link Mappers} maps. Jackson skips everything else while it parses, so a 5 KB container inspect
 * costs what its tenth that is read costs (no tree is built), and the records are the one list of
 * what is read. Any field may be absent or JSON null, so every component may be null.
 */
final class DaemonJson {

    private DaemonJson() {}

    /** One element of {@code GET /containers/json?all=1}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ListedContainer(
            @JsonProperty("Id") String id,
            @JsonProperty("Names") List<String> names,
            @JsonProperty("State") String state,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("Ports") List<ListedPort> ports,
            @JsonProperty("HostConfig") HostConfig hostConfig,
            @JsonProperty("NetworkSettings") NetworkSettings networkSettings) {}

    /** A runtime port of a listed container; no {@code PublicPort} when it is only exposed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ListedPort(
            @JsonProperty("IP") String ip,
            @JsonProperty("PrivatePort") Integer privatePort,
            @JsonProperty("PublicPort") Integer publicPort,
            @JsonProperty("Type") String type) {}

    /** {@code GET /containers/ID/json}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Inspect(
            @JsonProperty("Id") String id,
            @JsonProperty("Name") String name,
            @JsonProperty("State") State state,
            @JsonProperty("HostConfig") HostConfig hostConfig,
            @JsonProperty("Config") Config config,
            @JsonProperty("NetworkSettings") NetworkSettings networkSettings) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record State(@JsonProperty("Running") Boolean running) {}

    /** The configured side: network mode and port bindings as asked for ({@code "80/tcp": [...]}, null when only exposed). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HostConfig(
            @JsonProperty("NetworkMode") String networkMode,
            @JsonProperty("PortBindings") Map<String, List<HostBinding>> portBindings) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Config(
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("Hostname") String hostname) {}

    /** The runtime side: the endpoints by network name, and the published ports (as {@link HostConfig}'s). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record NetworkSettings(
            @JsonProperty("Networks") Map<String, Endpoint> networks,
            @JsonProperty("Ports") Map<String, List<HostBinding>> ports) {}

    /** {@code {"HostIp": "", "HostPort": "8080"}}; an empty port is a random one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HostBinding(
            @JsonProperty("HostIp") String hostIp,
            @JsonProperty("HostPort") String hostPort) {}

    /** A container's endpoint on one network: IPAMConfig is what was asked for, the rest is runtime. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Endpoint(
            @JsonProperty("IPAMConfig") EndpointIpam ipamConfig,
            @JsonProperty("Aliases") List<String> aliases,
            @JsonProperty("NetworkID") String networkId,
            @JsonProperty("IPAddress") String ipAddress,
            @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
            @JsonProperty("DriverOpts") Map<String, String> driverOpts) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EndpointIpam(
            @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address) {}

    /** One element of {@code GET /networks}: everything but the endpoints, which come from the containers. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Network(
            @JsonProperty("Id") String id,
            @JsonProperty("Name") String name,
            @JsonProperty("Driver") String driver,
            @JsonProperty("Scope") String scope,
            @JsonProperty("Internal") Boolean internal,
            @JsonProperty("Attachable") Boolean attachable,
            @JsonProperty("EnableIPv6") Boolean enableIpv6,
            @JsonProperty("IPAM") NetworkIpam ipam,
            @JsonProperty("Options") Map<String, String> options,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("Created") String created) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record NetworkIpam(
            @JsonProperty("Driver") String driver,
            @JsonProperty("Config") List<Pool> config,
            @JsonProperty("Options") Map<String, String> options) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Pool(
            @JsonProperty("Subnet") String subnet,
            @JsonProperty("Gateway") String gateway,
            @JsonProperty("IPRange") String ipRange,
            @JsonProperty("AuxiliaryAddresses") Map<String, String> auxiliaryAddresses) {}

    /** The swarm part of {@code GET /info}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Info(@JsonProperty("Swarm") Swarm swarm) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Swarm(
            @JsonProperty("LocalNodeState") String localNodeState,
            @JsonProperty("ControlAvailable") Boolean controlAvailable,
            @JsonProperty("NodeID") String nodeId) {}

    /** {@code GET /nodes/ID}: a manager's own status. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Node(@JsonProperty("ManagerStatus") ManagerStatus managerStatus) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ManagerStatus(@JsonProperty("Leader") Boolean leader) {}

    /** {@code GET /version}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Version(@JsonProperty("ApiVersion") String apiVersion) {}

    /** The answer to {@code POST /networks/create}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Created(@JsonProperty("Id") String id, @JsonProperty("Warning") String warning) {}

    /** One object of {@code GET /events}; older daemons also send {@code status} and {@code id}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Event(
            @JsonProperty("Type") String type,
            @JsonProperty("Action") String action,
            @JsonProperty("status") String status,
            @JsonProperty("Actor") Actor actor,
            @JsonProperty("id") String id,
            @JsonProperty("time") Long time,
            @JsonProperty("timeNano") Long timeNano) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Actor(
            @JsonProperty("ID") String id,
            @JsonProperty("Attributes") Map<String, String> attributes) {}

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static boolean isTrue(Boolean b) {
        return b != null && b;
    }
}
