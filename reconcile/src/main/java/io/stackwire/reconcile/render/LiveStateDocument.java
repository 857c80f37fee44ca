package io.stackwire.reconcile.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.stackwire.reconcile.render.JsonFormat.IpamJson;
import java.util.List;
import java.util.Map;

/**
 * A live state snapshot as docs/schemas/live-state-v1.schema.json publishes it, one record an
 * object and one component a key, in the order written. A component the reader finds missing or
 * {@code null} is {@code null} here; {@link LiveStateJson} decides what that means.
 */
record LiveStateDocument(
        JsonNode formatVersion,
        String apiVersion,
        SwarmJson swarm,
        List<NetworkJson> networks,
        List<ContainerJson> containers) {

    /** {@code leader} is a {@code Boolean}: older snapshots leave it out (see {@link LiveStateJson#read(String)}). */
    record SwarmJson(String role, String nodeId, Boolean leader) {}

    record NetworkJson(
            String id,
            String name,
            String driver,
            String scope,
            boolean internal,
            boolean attachable,
            boolean ipv6,
            IpamJson ipam,
            Map<String, String> options,
            Map<String, String> labels,
            // ISO-8601; left out when unknown.
            @JsonInclude(JsonInclude.Include.NON_NULL) String created) {}

    record ContainerJson(
            String id,
            String name,
            boolean running,
            String networkMode,
            String hostname,
            Map<String, String> labels,
            List<EndpointJson> endpoints,
            // In docker run -p syntax: readable in a review, and PortBinding parses them back exactly.
            List<String> configuredPorts,
            List<String> actualPorts) {}

    record EndpointJson(
            String network,
            String networkId,
            List<String> aliases,
            String ipv4Config,
            String ipv6Config,
            String ipv4Address,
            String ipv6Address) {}
}
