package io.stackwire.reconcile.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.stackwire.model.IpamPool;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.GatewayException.Kind;
import io.stackwire.reconcile.daemon.NetworkCreate;
import java.time.Duration;
import java.util.Map;

/**
 * Network changes: create, remove (waiting for a swarm's overlay to go), connect and disconnect,
 * with the daemon's connect quirks worked around. Networks are created with a plain HTTP call
 * because docker-java 3.7.1's network beans have no IPAM aux addresses and no IPAM options.
 */
final class NetworkOps {

    private static final System.Logger LOG = System.getLogger(DockerJavaGateway.class.getName());
    private static final Duration REMOVAL_SETTLE = Duration.ofSeconds(30);

    private final DaemonHttp http;
    private final KnownNetworks known;

    NetworkOps(DaemonHttp http, KnownNetworks known) {
        this.http = http;
        this.known = known;
    }

    String createNetwork(NetworkCreate r) throws GatewayException {
        ObjectNode body = http.json().createObjectNode();
        body.put("Name", r.name());
        // Without it, 20.10 creates a second network with the same name (201 plus a warning).
        // API 1.44+ ignores the field and always refuses duplicates.
        body.put("CheckDuplicate", true);
        if (r.isConfigOnly()) {
            // The daemon refuses driver and operator fields on a configuration-only network.
            body.put("ConfigOnly", true);
        } else {
            body.put("Driver", r.driver());
            body.put("Internal", r.internal());
            body.put("Attachable", r.attachable());
        }
        body.put("EnableIPv6", r.ipv6());
        ObjectNode ipam = body.putObject("IPAM");
        ipam.put("Driver", r.ipam().driver());
        ArrayNode configs = ipam.putArray("Config");
        for (IpamPool p : r.ipam().pools()) {
            ObjectNode c = configs.addObject();
            putIfSet(c, "Subnet", p.subnet());
            putIfSet(c, "Gateway", p.gateway());
            putIfSet(c, "IPRange", p.ipRange());
            if (!p.auxAddresses().isEmpty()) {
                putMap(c.putObject("AuxiliaryAddresses"), p.auxAddresses());
            }
        }
        putMap(ipam.putObject("Options"), r.ipam().options());
        putMap(body.putObject("Options"), r.options());
        putMap(body.putObject("Labels"), r.labels());
        DaemonJson.Created answer = http.call("POST", "/networks/create", body, DaemonJson.Created.class, "create network " + r.name());
        String id = DaemonJson.orEmpty(answer.id());
        if (id.isEmpty()) {
            throw new GatewayException(Kind.REFUSED, "create network " + r.name() + ": the daemon returned no network ID");
        }
        if (r.isConfigOnly()) {
            known.madeConfigOnly(id);
        } else if (r.driver() == null || r.driver().isEmpty() || "bridge".equals(r.driver())) {
            known.madeLocal(id); // a bridge is always local; other drivers may be swarm-scoped
        }
        String warning = DaemonJson.orEmpty(answer.warning());
        if (!warning.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "create network " + r.name() + ": " + Errors.oneLine(warning));
        }
        return id;
    }

    /** Returns once the network is gone, so a replacement can create its successor under the same name. */
    void removeNetwork(String networkId) throws GatewayException {
        http.docker("remove network " + networkId, () -> {
            http.client().removeNetworkCmd(networkId).exec();
            return null;
        });
        if (!known.removed(networkId)) {
            awaitGone(networkId); // a swarm-scope network, or one this gateway never listed
        }
    }

    /**
     * A swarm manager removes an overlay asynchronously: it marks it for deletion and frees its name,
     * subnet and VXLAN id a moment later (longer while another node still has containers on it).
     * Until then it is still listed and a network of the same name cannot be created. A local
     * network is gone when its removal is answered (the daemon deletes it before it answers), so
     * only networks not known to be local are watched.
     */
    private void awaitGone(String networkId) throws GatewayException {
        long deadline = System.nanoTime() + REMOVAL_SETTLE.toNanos();
        long pauseMillis = 25;
        while (true) {
            try {
                http.request("GET", "/networks/" + networkId, null, "check that network " + networkId + " is gone");
            } catch (GatewayException e) {
                if (e.kind() == Kind.NOT_FOUND) {
                    return;
                }
                throw e;
            }
            if (System.nanoTime() > deadline) {
                throw new GatewayException(Kind.REFUSED, "remove network " + networkId + ": the daemon accepted the removal"
                        + " but still lists the network after " + REMOVAL_SETTLE.toSeconds() + " s; a swarm removes an overlay"
                        + " only once no node has containers on it");
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(Kind.UNAVAILABLE, "interrupted while waiting for network " + networkId + " to go", e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 500);
        }
    }

    /**
     * Connects with aliases and static addresses (sent as the endpoint's IPAM config, which is what
     * the daemon keeps across restarts).
     *
     * <p>The container is inspected first: 20.10 answers 200 to a connect of a <em>stopped</em>
     * container that already has an entry for the network and silently keeps the old settings;
     * we report {@link Kind#ALREADY} instead, as for a running container. And a connect that fails
     * on a running container (e.g. "Address already in use") leaves a dead entry behind on 20.10
     * that stops the container from starting again; we remove it (see {@link #removeDeadEntry}).
     */
    void connect(String container, String network, EndpointConfig endpoint) throws GatewayException {
        String action = "connect " + container + " to " + network;
        InspectContainerResponse before = http.docker(action, () -> http.client().inspectContainerCmd(container).exec());
        Map<String, ContainerNetwork> nets = before.getNetworkSettings() == null ? null : before.getNetworkSettings().getNetworks();
        if (nets != null) {
            for (Map.Entry<String, ContainerNetwork> e : nets.entrySet()) {
                if (e.getKey().equals(network) || network.equals(e.getValue().getNetworkID())) {
                    throw new GatewayException(Kind.ALREADY, action + ": already attached (aliases "
                            + e.getValue().getAliases() + "); disconnect first to change its settings");
                }
            }
        }
        boolean running = before.getState() != null && Boolean.TRUE.equals(before.getState().getRunning());
        send(action, container, network, endpoint, running);
    }

    /**
     * Without the inspect: the daemon itself refuses a second connect of a running container
     * ("endpoint with name ... already exists", "is already attached"), which maps to
     * {@link Kind#ALREADY}. Saves one call per connect.
     */
    void connectRunning(String container, String network, EndpointConfig endpoint) throws GatewayException {
        send("connect " + container + " to " + network, container, network, endpoint, true);
    }

    private void send(String action, String container, String network, EndpointConfig endpoint, boolean running)
            throws GatewayException {
        if (!endpoint.driverOpts().isEmpty()) {
            sendRaw(action, container, network, endpoint, running); // docker-java's bean has no DriverOpts
            return;
        }
        ContainerNetwork cfg = new ContainerNetwork();
        if (!endpoint.aliases().isEmpty()) {
            cfg.withAliases(endpoint.aliases());
        }
        if (endpoint.ipv4Address() != null || endpoint.ipv6Address() != null) {
            ContainerNetwork.Ipam ipam = new ContainerNetwork.Ipam();
            if (endpoint.ipv4Address() != null) {
                ipam.withIpv4Address(endpoint.ipv4Address());
            }
            if (endpoint.ipv6Address() != null) {
                ipam.withIpv6Address(endpoint.ipv6Address());
            }
            cfg.withIpamConfig(ipam);
        }
        try {
            http.docker(action, () -> {
                http.client().connectToNetworkCmd().withContainerId(container).withNetworkId(network)
                        .withContainerNetwork(cfg).exec();
                return null;
            });
        } catch (GatewayException e) {
            if (running && (e.kind() == Kind.REFUSED || e.kind() == Kind.CONFLICT)) {
                removeDeadEntry(container, network, e);
            }
            throw e;
        }
    }

    /** As {@link #send}, as plain JSON, for an endpoint with driver options (the loop's stamp). */
    private void sendRaw(String action, String container, String network, EndpointConfig endpoint, boolean running)
            throws GatewayException {
        ObjectNode body = http.json().createObjectNode();
        body.put("Container", container);
        ObjectNode cfg = body.putObject("EndpointConfig");
        if (!endpoint.aliases().isEmpty()) {
            ArrayNode aliases = cfg.putArray("Aliases");
            endpoint.aliases().forEach(aliases::add);
        }
        if (endpoint.ipv4Address() != null || endpoint.ipv6Address() != null) {
            ObjectNode ipam = cfg.putObject("IPAMConfig");
            putIfSet(ipam, "IPv4Address", endpoint.ipv4Address());
            putIfSet(ipam, "IPv6Address", endpoint.ipv6Address());
        }
        putMap(cfg.putObject("DriverOpts"), endpoint.driverOpts());
        try {
            http.request("POST", "/networks/" + network + "/connect", body, action);
        } catch (GatewayException e) {
            if (running && (e.kind() == Kind.REFUSED || e.kind() == Kind.CONFLICT)) {
                removeDeadEntry(container, network, e);
            }
            throw e;
        }
    }

    /**
     * 20.10 keeps the failed endpoint config in a running container's settings, and a running
     * container's entry cannot be disconnected (the daemon looks for a live endpoint). A plain
     * connect replaces the entry with a working one, which a disconnect then removes.
     */
    private void removeDeadEntry(String container, String network, GatewayException failure) {
        try {
            http.docker("clean up after failed connect", () -> {
                http.client().connectToNetworkCmd().withContainerId(container).withNetworkId(network)
                        .withContainerNetwork(new ContainerNetwork()).exec();
                return null;
            });
            disconnect("clean up after failed connect", container, network, true);
        } catch (GatewayException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    void disconnect(String action, String container, String network, boolean force) throws GatewayException {
        http.docker(action, () -> {
            http.client().disconnectFromNetworkCmd().withContainerId(container).withNetworkId(network).withForce(force).exec();
            return null;
        });
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static void putMap(ObjectNode node, Map<String, String> values) {
        values.forEach(node::put);
    }
}
