package io.stackwire.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.DesiredState;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.SwarmInfo;
import io.stackwire.reconcile.daemon.NetworkCreate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pure in-memory model of the daemon's network behaviour, enough to execute a plan's steps and
 * check Docker's rules as it goes (no removal with endpoints, no joining from {@code host} or
 * {@code none}, overlays need {@code attachable}). Not a Docker mock: it never stands in for the
 * real daemon in integration tests.
 */
final class DaemonModel {

    private final TreeMap<String, LiveNetwork> networks = new TreeMap<>();
    private final TreeMap<String, LiveContainer> containers = new TreeMap<>();
    private final LiveState original;
    private int nextId = 1000;

    /**
     * Also refuses what Docker refuses about address space: a create whose pool overlaps another
     * network's, a static address another running endpoint has or that is the gateway. Off by
     * default: a rollback that puts back an old network or address after the plan gave its space
     * to another step would be refused (see {@link #refusingClashes}).
     */
    private boolean clashes;

    /** Overlays a manager elsewhere in the swarm has created: a worker's connect finds them through the swarm. */
    private final Map<String, NetworkSpec> swarmWide = new TreeMap<>();

    DaemonModel(LiveState state) {
        this(state, null);
    }

    DaemonModel(LiveState state, DesiredState desired) {
        this.original = state;
        if (desired != null && state.swarm().role() == SwarmInfo.Role.WORKER) {
            desired.networks().values().stream()
                    .filter(n -> NetworkSpec.OVERLAY.equals(n.driver()) && !n.external())
                    .forEach(n -> swarmWide.put(n.name(), n));
        }
        networks.putAll(state.networks());
        containers.putAll(state.containers());
    }

    /** Refuses overlapping pools and addresses in use, as the daemon does. */
    DaemonModel refusingClashes() {
        clashes = true;
        return this;
    }

    LiveState state() {
        return new LiveState(networks, containers, original.swarm(), original.apiVersion());
    }

    /** Runs the steps in plan order; fails the test on anything Docker would refuse. */
    void apply(Plan plan) {
        for (Step s : plan.steps()) {
            for (int dep : s.dependsOn()) {
                assertThat(dep).as("dependency of step %s comes earlier", s.id()).isLessThan(s.id());
            }
            run(s);
        }
    }

    /**
     * Runs the steps in another order the executor may pick: whichever ready step comes last in the
     * plan first. An order that matters but is only list order, not a {@code dependsOn} edge, fails here.
     */
    void applyLatestReadyFirst(Plan plan) {
        List<Step> steps = plan.steps();
        boolean[] done = new boolean[steps.size()];
        for (int n = 0; n < steps.size(); n++) {
            Step next = null;
            for (int i = steps.size() - 1; i >= 0 && next == null; i--) {
                if (!done[i] && steps.get(i).dependsOn().stream().allMatch(d -> done[d])) {
                    next = steps.get(i);
                }
            }
            assertThat(next).as("a step is ready (dependencies form no cycle)").isNotNull();
            done[next.id()] = true;
            run(next);
        }
    }

    private void run(Step step) {
        if (step instanceof Step.CreateNetwork s) {
            assertThat(networks).as("create %s: name free", s.network()).doesNotContainKey(s.network());
            assertThat(NetworkSpec.isPredefined(s.network())).isFalse();
            LiveNetwork created = realise(s.create(), "id-new-" + nextId, freeSeed());
            for (IpamPool p : clashes ? s.create().ipam().pools() : List.<IpamPool>of()) {
                for (LiveNetwork other : networks.values()) {
                    for (IpamPool q : other.ipam().pools()) {
                        // Docker: "Pool overlaps with other one on this address space"
                        assertThat(other.scope().equals(created.scope()) && AddressSpace.subnetsOverlap(p.subnet(), q.subnet()))
                                .as("create %s: subnet %s overlaps %s of %s", s.network(), p.subnet(), q.subnet(), other.name())
                                .isFalse();
                    }
                }
            }
            networks.put(s.network(), created);
            nextId++;
        } else if (step instanceof Step.RemoveNetwork s) {
            LiveNetwork n = networks.get(s.network());
            assertThat(n).as("remove %s: exists", s.network()).isNotNull();
            assertThat(n.id()).as("remove %s by its observed id", s.network()).isEqualTo(s.networkId());
            assertThat(NetworkSpec.isPredefined(s.network())).as("never remove a predefined network").isFalse();
            for (LiveContainer c : containers.values()) {
                assertThat(c.endpoint(s.network())).as("remove %s: %s still attached", s.network(), c.name()).isNull();
            }
            networks.remove(s.network());
        } else if (step instanceof Step.Connect s) {
            if (!networks.containsKey(s.network()) && swarmWide.containsKey(s.network())) {
                // the worker's daemon attaches through the swarm and then lists the overlay
                networks.put(s.network(), realise(NetworkChanges.networkCreate(swarmWide.get(s.network())), "id-swarm-" + nextId, nextId));
                nextId++;
            }
            LiveNetwork n = networks.get(s.network());
            LiveContainer c = containers.get(s.container());
            assertThat(n).as("connect %s -> %s: network exists", s.container(), s.network()).isNotNull();
            assertThat(c).as("connect: container %s exists", s.container()).isNotNull();
            assertThat(c.networkMode()).as("host containers cannot join").isNotEqualTo("host");
            assertThat(c.endpoint("none")).as("%s must leave none first", c.name()).isNull();
            assertThat(c.endpoint(s.network())).as("%s already on %s", c.name(), s.network()).isNull();
            if ("swarm".equals(n.scope())) {
                assertThat(n.attachable()).as("overlay %s attachable", n.name()).isTrue();
            }
            for (String ip : new String[] {s.endpoint().ipv4Address(), s.endpoint().ipv6Address()}) {
                if (ip == null || !clashes) {
                    continue;
                }
                // Docker: "Address already in use" (for the gateway too); a stopped holder's address is free.
                for (LiveContainer other : containers.values()) {
                    LiveEndpoint e = other.endpoint(s.network());
                    assertThat(e != null && (ip.equals(e.ipv4Address()) || ip.equals(e.ipv6Address())))
                            .as("connect %s -> %s: %s in use by %s", c.name(), s.network(), ip, other.name()).isFalse();
                }
                for (IpamPool p : n.ipam().pools()) {
                    assertThat(ip).as("connect %s -> %s: the gateway", c.name(), s.network()).isNotEqualTo(p.gateway());
                }
            }
            List<LiveEndpoint> eps = new ArrayList<>(c.endpoints());
            List<String> aliases = new ArrayList<>(s.endpoint().aliases());
            if (!"bridge".equals(n.name())) {
                aliases.add(c.shortId()); // Docker adds the short ID on its own
            } else {
                assertThat(s.endpoint().aliases()).as("no aliases on the default bridge").isEmpty();
            }
            eps.add(new LiveEndpoint(n.name(), n.id(), aliases, s.endpoint().ipv4Address(), s.endpoint().ipv6Address(),
                    !c.running() ? "" : s.endpoint().ipv4Address() != null ? s.endpoint().ipv4Address() : "10.99.0.1",
                    c.running() && s.endpoint().ipv6Address() != null ? s.endpoint().ipv6Address() : ""));
            containers.put(c.name(), with(c, eps));
        } else if (step instanceof Step.Disconnect s) {
            LiveContainer c = containers.get(s.container());
            assertThat(c).isNotNull();
            assertThat(c.endpoint(s.network())).as("disconnect %s from %s: attached", s.container(), s.network()).isNotNull();
            List<LiveEndpoint> eps = new ArrayList<>(c.endpoints());
            eps.removeIf(e -> e.network().equals(s.network()));
            containers.put(c.name(), with(c, eps));
        } else if (step instanceof Step.ReplaceContainer s) {
            LiveContainer c = containers.get(s.container());
            assertThat(c).isNotNull();
            assertThat(c.id()).as("replace %s: the container observed", s.container()).isEqualTo(s.replace().containerId());
            containers.put(c.name(), new LiveContainer(c.id() + "r", c.name(), c.running(), c.networkMode(), c.labels(),
                    c.endpoints(), s.replace().ports(), List.of()));
        }
    }

    /** Like the daemon, a network created without an IPv4 subnet gets a pool no other network uses. */
    private int freeSeed() {
        for (int seed = nextId; ; seed++) {
            String pool = "172." + (18 + seed % 10) + ".0.0/16";
            if (networks.values().stream().noneMatch(n -> n.ipam().pools().stream().anyMatch(p -> AddressSpace.subnetsOverlap(p.subnet(), pool)))) {
                return seed;
            }
        }
    }

    private static LiveContainer with(LiveContainer c, List<LiveEndpoint> eps) {
        return new LiveContainer(c.id(), c.name(), c.running(), c.networkMode(), c.labels(), eps, c.configuredPorts(),
                c.actualPorts());
    }

    /**
     * The network a daemon reports after a create: it picks a pool when none is given (per address
     * family), fills in gateways, reports IPAM driver {@code default}, adds the overlay VXLAN id.
     */
    static LiveNetwork realise(NetworkCreate c, String id, int seed) {
        List<IpamPool> pools = new ArrayList<>();
        boolean v4 = false;
        boolean v6 = false;
        for (IpamPool p : c.ipam().pools()) {
            v4 |= !p.isIpv6();
            v6 |= p.isIpv6();
            pools.add(new IpamPool(p.subnet(), p.gateway() != null ? p.gateway() : gateway(p.subnet()), p.ipRange(), p.auxAddresses()));
        }
        if (!v4) {
            pools.add(new IpamPool("172." + (18 + seed % 10) + ".0.0/16", "172." + (18 + seed % 10) + ".0.1", null, null));
        }
        if (c.ipv6() && !v6) {
            pools.add(new IpamPool("fd00:" + Integer.toHexString(seed) + "::/64", "fd00:" + Integer.toHexString(seed) + "::1", null, null));
        }
        Map<String, String> options = new TreeMap<>(c.options());
        boolean overlay = NetworkSpec.OVERLAY.equals(c.driver());
        if (overlay) {
            options.put("com.docker.network.driver.overlay.vxlanid_list", String.valueOf(4096 + seed));
        }
        return new LiveNetwork(id, c.name(), c.driver(), overlay ? "swarm" : "local", c.internal(), c.attachable(), c.ipv6(),
                new Ipam(c.ipam().driver(), pools, c.ipam().options()), options, c.labels());
    }

    private static String gateway(String subnet) {
        String addr = subnet.substring(0, subnet.indexOf('/'));
        if (addr.contains(":")) {
            return addr.endsWith("::") ? addr + "1" : null;
        }
        int dot = addr.lastIndexOf('.');
        return addr.substring(0, dot + 1) + (Integer.parseInt(addr.substring(dot + 1)) + 1);
    }
}
