package io.stackwire.reconcile.plan;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Ipam;
import io.stackwire.model.IpamPool;
import io.stackwire.model.NetworkSpec;
import io.stackwire.model.PortBinding;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.StackSpec;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveNetwork;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import io.stackwire.reconcile.SwarmInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Terse builders for specs and live state in planner tests. */
final class Fx {

    static final PlanPolicy DEFAULT = policy(true, false);
    static final PlanPolicy NO_PRUNE = policy(false, false);
    static final PlanPolicy SELF_HEAL = policy(true, true);

    private Fx() {}

    /** An attended policy without host facts or peers. */
    static PlanPolicy policy(boolean prune, boolean selfHeal) {
        return new PlanPolicy(prune, selfHeal, false, Set.of(), false, HostPorts.UNKNOWN, PlanPolicy.Peers.NONE);
    }

    /** A network spec under construction. */
    static final class N {
        String name;
        String stack = "app";
        String driver = "bridge";
        boolean internal;
        boolean attachable;
        boolean ipv6;
        boolean encrypted;
        boolean external;
        boolean adopt;
        String ipamDriver;
        List<IpamPool> pools = new ArrayList<>();
        Map<String, String> ipamOptions = new TreeMap<>();
        Map<String, String> options = new TreeMap<>();
        Map<String, String> labels = new TreeMap<>();

        N stack(String s) { stack = s; return this; }
        N driver(String d) { driver = d; return this; }
        N internal() { internal = true; return this; }
        N attachable() { attachable = true; return this; }
        N ipv6() { ipv6 = true; return this; }
        N encrypted() { encrypted = true; return this; }
        N external() { external = true; return this; }
        N adopt() { adopt = true; return this; }
        N overlay() { driver = "overlay"; attachable = true; return this; }
        N subnet(String subnet) { pools.add(new IpamPool(subnet, null, null, null)); return this; }
        N pool(String subnet, String gateway) { pools.add(new IpamPool(subnet, gateway, null, null)); return this; }
        N option(String k, String v) { options.put(k, v); return this; }
        N label(String k, String v) { labels.put(k, v); return this; }

        NetworkSpec spec() {
            return new NetworkSpec(name, stack, driver, internal, attachable, ipv6, encrypted,
                    new Ipam(ipamDriver, pools, ipamOptions), options, labels, external, adopt, null);
        }

        /** The network as a daemon shows it after stackwire created it from this spec. */
        LiveNetwork live() {
            return live("id-" + name);
        }

        LiveNetwork live(String id) {
            return DaemonModel.realise(NetworkChanges.networkCreate(spec()), id, 7);
        }

        /** The network as stackwire acting for repository {@code owner} created it. */
        LiveNetwork ownedBy(String owner) {
            return DaemonModel.realise(NetworkChanges.networkCreate(spec(), owner), "id-" + name, 7);
        }

        /** The same network created by hand: no stackwire labels. */
        LiveNetwork unmanaged() {
            LiveNetwork l = live();
            Map<String, String> labels = new TreeMap<>(l.labels());
            labels.keySet().removeIf(k -> k.startsWith("io.stackwire."));
            return new LiveNetwork(l.id(), l.name(), l.driver(), l.scope(), l.internal(), l.attachable(), l.ipv6(), l.ipam(),
                    l.options(), labels);
        }
    }

    static N net(String name) {
        N n = new N();
        n.name = name;
        return n;
    }

    static Attachment att(String network, String... aliases) {
        return new Attachment(network, List.of(aliases), null, null, null);
    }

    static Attachment attIp(String network, String ipv4, String... aliases) {
        return new Attachment(network, List.of(aliases), ipv4, null, null);
    }

    static ContainerSpec container(String name, Attachment... attachments) {
        return container(name, "app", attachments);
    }

    static ContainerSpec container(String name, String stack, Attachment... attachments) {
        return new ContainerSpec(name, stack, List.of(attachments), List.of(), null, null);
    }

    static ContainerSpec withPorts(ContainerSpec c, String... ports) {
        return new ContainerSpec(c.name(), c.stack(), c.attachments(), Arrays.stream(ports).map(PortBinding::parse).toList(),
                c.replace(), c.source());
    }

    /** A deterministic 64-hex container ID derived from the name. */
    static String idOf(String name) {
        String hex = Normalizer.sha256Hex(name);
        return hex.substring(0, 64);
    }

    static String shortId(String name) {
        return idOf(name).substring(0, 12);
    }

    /** An endpoint as Docker reports it: the given aliases plus the short ID Docker adds. */
    static LiveEndpoint ep(String container, String network, String... aliases) {
        return epIp(container, network, null, aliases);
    }

    static LiveEndpoint epIp(String container, String network, String ipv4, String... aliases) {
        List<String> all = new ArrayList<>(List.of(aliases));
        all.add(shortId(container));
        return new LiveEndpoint(network, "id-" + network, all, ipv4, null, "", "");
    }

    static LiveContainer running(String name, LiveEndpoint... endpoints) {
        return live(name, true, endpoints.length == 0 ? "bridge" : endpoints[0].network(), endpoints);
    }

    static LiveContainer stopped(String name, LiveEndpoint... endpoints) {
        return live(name, false, endpoints.length == 0 ? "bridge" : endpoints[0].network(), endpoints);
    }

    static LiveContainer live(String name, boolean running, String mode, LiveEndpoint... endpoints) {
        return new LiveContainer(idOf(name), name, running, mode, Map.of(), List.of(endpoints), List.of(), List.of());
    }

    static LiveContainer withPorts(LiveContainer c, String... ports) {
        return new LiveContainer(c.id(), c.name(), c.running(), c.networkMode(), c.labels(), c.endpoints(),
                Arrays.stream(ports).map(PortBinding::parse).toList(), List.of());
    }

    static DesiredState desired(List<NetworkSpec> networks, List<ContainerSpec> containers) {
        Map<String, List<NetworkSpec>> ns = new LinkedHashMap<>();
        Map<String, List<ContainerSpec>> cs = new LinkedHashMap<>();
        TreeMap<String, Boolean> stacks = new TreeMap<>();
        networks.forEach(n -> {
            ns.computeIfAbsent(n.stack(), k -> new ArrayList<>()).add(n);
            stacks.put(n.stack(), true);
        });
        containers.forEach(c -> {
            cs.computeIfAbsent(c.stack(), k -> new ArrayList<>()).add(c);
            stacks.put(c.stack(), true);
        });
        List<StackSpec> specs = new ArrayList<>();
        for (String s : stacks.keySet()) {
            specs.add(new StackSpec(s, s + ".yaml", ns.getOrDefault(s, List.of()), cs.getOrDefault(s, List.of()), null));
        }
        return DesiredState.of("host1", "rev1", specs, RepoPolicy.DEFAULT);
    }

    static LiveState state(List<LiveNetwork> networks, List<LiveContainer> containers) {
        return state(networks, containers, SwarmInfo.Role.NONE);
    }

    static LiveState state(List<LiveNetwork> networks, List<LiveContainer> containers, SwarmInfo.Role role) {
        return state(networks, containers, new SwarmInfo(role, "node1"));
    }

    static LiveState state(List<LiveNetwork> networks, List<LiveContainer> containers, SwarmInfo swarm) {
        Map<String, LiveNetwork> n = new TreeMap<>();
        networks.forEach(x -> n.put(x.name(), x));
        Map<String, LiveContainer> c = new TreeMap<>();
        containers.forEach(x -> c.put(x.name(), x));
        return new LiveState(new TreeMap<>(n), new TreeMap<>(c), swarm, "1.41");
    }

    /** The predefined networks every daemon has. */
    static List<LiveNetwork> predefined() {
        return List.of(
                new LiveNetwork("id-bridge", "bridge", "bridge", "local", false, false, false,
                        new Ipam("default", List.of(new IpamPool("172.17.0.0/16", "172.17.0.1", null, null)), null),
                        Map.of("com.docker.network.bridge.default_bridge", "true"), null),
                new LiveNetwork("id-host", "host", "host", "local", false, false, false, null, null, null),
                new LiveNetwork("id-none", "none", "null", "local", false, false, false, null, null, null));
    }

    static List<LiveNetwork> with(List<LiveNetwork> base, LiveNetwork... more) {
        List<LiveNetwork> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    /** Steps as {@code OP network container}, e.g. {@code CONNECT front web}, in plan order. */
    static List<String> ops(Plan plan) {
        return plan.steps().stream()
                .map(s -> s.op() + " " + network(s) + (container(s) == null ? "" : " " + container(s)))
                .toList();
    }

    /** The network a step works on; "" for a container replacement, as in the JSON plan. */
    static String network(Step s) {
        return s instanceof Step.OnNetwork n ? n.network() : "";
    }

    /** The container a step works on; null for a network step. */
    static String container(Step s) {
        return s instanceof Step.OnContainer c ? c.container() : null;
    }

    static <T extends Step> T step(Plan plan, Class<T> kind, String network, String container) {
        return plan.steps().stream()
                .filter(s -> kind.isInstance(s) && network(s).equals(network) && java.util.Objects.equals(container(s), container))
                .map(kind::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no step " + kind.getSimpleName() + " " + network + " " + container
                        + " in " + ops(plan)));
    }

    static Change change(Plan plan, ResourceKey key) {
        return plan.changes().stream().filter(c -> c.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no change for " + key + " in " + plan.changes()));
    }

    static List<String> codes(Plan plan) {
        return plan.notices().stream().map(Notice::code).toList();
    }

    static Notice notice(Plan plan, String code) {
        return plan.notices().stream().filter(n -> n.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no notice " + code + " in " + plan.notices()));
    }
}
