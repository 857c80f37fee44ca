package io.stackwire.reconcile.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
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

    /**
     * The daemon names its fields in upper camel case ({@code NetworkSettings}); a component whose
     * name does not map that way ({@code IPAMConfig}, an event's {@code status}) says its own.
     */
    static ObjectMapper mapper() {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE);
    }

    /** One element of {@code GET /containers/json?all=1}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ListedContainer(
            String id,
            List<String> names,
            String state,
            Map<String, String> labels,
            List<ListedPort> ports,
            HostConfig hostConfig,
            NetworkSettings networkSettings) {}

    /** A runtime port of a listed container; no {@code PublicPort} when it is only exposed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ListedPort(
            @JsonProperty("IP") String ip,
            Integer privatePort,
            Integer publicPort,
            String type) {}

    /** {@code GET /containers/ID/json}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Inspect(
            String id,
            String name,
            State state,
            HostConfig hostConfig,
            Config config,
            NetworkSettings networkSettings) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record State(Boolean running) {}

    /** The configured side: network mode and port bindings as asked for ({@code "80/tcp": [...]}, null when only exposed). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HostConfig(
            String networkMode,
            Map<String, List<HostBinding>> portBindings) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Config(
            Map<String, String> labels,
            String hostname) {}

    /** The runtime side: the endpoints by network name, and the published ports (as {@link HostConfig}'s). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record NetworkSettings(
            Map<String, Endpoint> networks,
            Map<String, List<HostBinding>> ports) {}

    /** {@code {"HostIp": "", "HostPort": "8080"}}; an empty port is a random one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HostBinding(
            String hostIp,
            String hostPort) {}

    /** A container's endpoint on one network: IPAMConfig is what was asked for, the rest is runtime. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Endpoint(
            @JsonProperty("IPAMConfig") EndpointIpam ipamConfig,
            List<String> aliases,
            @JsonProperty("NetworkID") String networkId,
            @JsonProperty("EndpointID") String endpointId,
            @JsonProperty("IPAddress") String ipAddress,
            @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
            Map<String, String> driverOpts) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EndpointIpam(
            @JsonProperty("IPv4Address") String ipv4Address,
            @JsonProperty("IPv6Address") String ipv6Address) {}

    /** One element of {@code GET /networks}: everything but the endpoints, which come from the containers. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Network(
            String id,
            String name,
            String driver,
            String scope,
            Boolean internal,
            Boolean attachable,
            @JsonProperty("EnableIPv6") Boolean enableIpv6,
            @JsonProperty("IPAM") NetworkIpam ipam,
            Map<String, String> options,
            Map<String, String> labels,
            String created) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record NetworkIpam(
            String driver,
            List<Pool> config,
            Map<String, String> options) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Pool(
            String subnet,
            String gateway,
            @JsonProperty("IPRange") String ipRange,
            Map<String, String> auxiliaryAddresses) {}

    /** The swarm part of {@code GET /info}, and the daemon's clock ({@code SystemTime}, nanoseconds). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Info(Swarm swarm, String systemTime) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Swarm(
            String localNodeState,
            Boolean controlAvailable,
            @JsonProperty("NodeID") String nodeId) {}

    /** {@code GET /nodes/ID}: a manager's own status. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Node(ManagerStatus managerStatus) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ManagerStatus(Boolean leader) {}

    /** {@code GET /version}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Version(String apiVersion) {}

    /** The answer to {@code POST /networks/create}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Created(String id, String warning) {}

    /** One object of {@code GET /events}; older daemons also send {@code status} and {@code id}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Event(
            String type,
            String action,
            @JsonProperty("status") String status,
            Actor actor,
            @JsonProperty("id") String id,
            @JsonProperty("time") Long time,
            @JsonProperty("timeNano") Long timeNano) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Actor(
            @JsonProperty("ID") String id,
            Map<String, String> attributes) {}

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static boolean isTrue(Boolean b) {
        return b != null && b;
    }
}
