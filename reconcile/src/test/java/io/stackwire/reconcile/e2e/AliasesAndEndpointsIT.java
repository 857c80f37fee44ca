package io.stackwire.reconcile.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.reconcile.docker.TestDocker;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.ResourceKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real daemon (20.10, API 1.41 here): the aliases Docker adds by itself (short ID,
 * hostname) are no drift, an endpoint left on a network that was removed and re-created is
 * reconnected so the container starts again, and a {@code --network none} container gets its
 * ports published once stackwire attaches it. Containers are made with the docker CLI, as users do.
 */
class AliasesAndEndpointsIT {

    private Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static String docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("docker %s: %s", String.join(" ", args), out).isZero();
        return out.trim();
    }

    private static int dockerExit(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    /** {@code docker run -d} of a sleeping test container with extra options; DNS kept on loopback (traffic rule). */
    private String run(String suffix, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", h.p(suffix), "--dns", "127.0.0.1", "--dns-search", "."));
        args.addAll(List.of(options));
        args.addAll(List.of(TestDocker.IMAGE, "sleep", "3600"));
        return docker(args.toArray(String[]::new));
    }

    /** Notices about this test's resources; other tests share the daemon and may leave their own. */
    private List<Notice> ours(Plan plan) {
        return plan.notices().stream().filter(n -> n.subject() != null && n.subject().name().startsWith(h.docker.prefix)).toList();
    }

    private List<Change> ourChanges(Plan plan) {
        return plan.changes().stream().filter(c -> c.key().name().startsWith(h.docker.prefix)).toList();
    }

    @Test
    void hostnameShortIdAndDeclaredAliasesPlanEmptyAndADeclaredHostnameConvergesToo() throws Exception {
        String net = h.p("net");
        docker("network", "create", net);
        run("web", "--hostname", h.p("host"), "--network", net, "--network-alias", "www");
        run("api", "--hostname", h.p("apihost"));
        String aliases = docker("inspect", "-f", "{{json (index .NetworkSettings.Networks \"" + net + "\").Aliases}}", h.p("web"));
        assertThat(aliases).as("20.10 adds the hostname itself").contains(h.p("host"));
        h.spec("app.yaml", """
                stack: app
                networks:
                  {{p}}net:
                    external: true
                containers:
                  {{p}}web:
                    networks:
                      {{p}}net:
                        aliases: [www]
                  {{p}}api:
                    networks:
                      {{p}}net:
                        aliases: [api, {{p}}apihost]
                """);

        Plan first = h.plan();
        assertThat(ourChanges(first)).extracting(Change::key, Change::action).as("web is in step; api is not attached yet")
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ResourceKey.attachment(h.p("api"), net), Action.CONNECT));
        h.applyPlan(first);

        Plan second = h.plan();
        assertThat(ourChanges(second)).as("hostname, short ID and a declared hostname are no drift").isEmpty();
        assertThat(ours(second)).isEmpty();
        // The declared hostname is listed once: Docker does not add it a second time.
        String apiAliases = docker("inspect", "-f", "{{json (index .NetworkSettings.Networks \"" + net + "\").Aliases}}", h.p("api"));
        assertThat(apiAliases.split(h.p("apihost"), -1)).hasSize(2);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(h.resolves(h.p("web"), "api")).isTrue());
    }

    @Test
    void anEndpointOnANetworkRemovedWhileTheContainerWasStoppedIsReconnectedAndTheContainerStartsAgain() throws Exception {
        String net = h.p("net");
        String networkOnly = """
                stack: app
                networks:
                  {{p}}net: {}
                """;
        String withWeb = networkOnly + """
                containers:
                  {{p}}web:
                    networks:
                      {{p}}net:
                        aliases: [www]
                """;
        h.spec("app.yaml", networkOnly);
        h.apply();
        run("web", "--network", net, "--network-alias", "www");
        h.spec("app.yaml", withWeb);
        assertThat(ourChanges(h.plan())).isEmpty();

        // Docker 20.10 lets a network go while only stopped containers are on it; theirs keep its ID.
        docker("stop", "-t", "0", h.p("web"));
        String oldId = docker("network", "inspect", "-f", "{{.Id}}", net);
        docker("network", "rm", net);
        // stackwire re-creates it (here while the container is not in the spec, as any earlier version did).
        h.spec("app.yaml", networkOnly);
        h.apply();
        String newId = docker("network", "inspect", "-f", "{{.Id}}", net);
        assertThat(dockerExit("start", h.p("web"))).as("the container cannot start: its network is gone").isNotZero();

        h.spec("app.yaml", withWeb);
        Plan plan = h.plan();
        Change c = change(plan, ResourceKey.attachment(h.p("web"), net));
        assertThat(c.action()).isEqualTo(Action.RECONNECT);
        assertThat(c.reason()).startsWith("endpoint points to a network that no longer exists (id " + oldId.substring(0, 12)
                + "); the network of that name is " + newId.substring(0, 12));
        h.applyPlan(plan);
        docker("start", h.p("web"));
        assertThat(docker("inspect", "-f", "{{.State.Running}}", h.p("web"))).isEqualTo("true");
        assertThat(docker("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + net + "\").NetworkID}}", h.p("web"))).isEqualTo(newId);
        assertThat(ourChanges(h.plan())).isEmpty();

        // Once more with the container in the spec all along: one plan creates the network and reconnects.
        docker("stop", "-t", "0", h.p("web"));
        docker("network", "rm", net);
        Plan both = h.plan();
        assertThat(change(both, ResourceKey.network(net)).action()).isEqualTo(Action.CREATE);
        assertThat(change(both, ResourceKey.attachment(h.p("web"), net)).reason())
                .startsWith("endpoint points to a network that no longer exists (id " + newId.substring(0, 12)
                        + "); the network of that name is created by this plan");
        h.applyPlan(both);
        docker("start", h.p("web"));
        assertThat(docker("inspect", "-f", "{{.State.Running}}", h.p("web"))).isEqualTo("true");
        assertThat(ourChanges(h.plan())).isEmpty();
    }

    private static Change change(Plan plan, ResourceKey key) {
        return plan.changes().stream().filter(x -> x.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no change for " + key + " in " + plan.changes()));
    }

    @Test
    void aNetworkNoneContainerGetsItsPortsPublishedOnceAttached() throws Exception {
        int oldPort = freePort();
        int newPort = freePort();
        String web = h.p("web");
        docker("run", "-d", "--name", web, "--network", "none", "-p", "127.0.0.1:" + oldPort + ":80",
                TestDocker.IMAGE, "httpd", "-f", "-p", "80", "-h", "/");
        assertThat(docker("port", web)).as("on none, Docker publishes nothing").isEmpty();
        h.spec("app.yaml", """
                stack: app
                networks:
                  {{p}}net: {}
                containers:
                  {{p}}web:
                    replace: allow
                    networks:
                      {{p}}net:
                        aliases: [www]
                    ports: ["127.0.0.1:%d:80"]
                """.formatted(newPort));

        Plan plan = h.plan();
        assertThat(ours(plan)).isEmpty();
        assertThat(ourChanges(plan)).extracting(c -> c.action()).contains(Action.CONNECT, Action.DISCONNECT, Action.REPLACE);
        h.applyPlan(plan);

        assertThat(docker("inspect", "-f", "{{.State.Running}} {{.HostConfig.NetworkMode}}", web)).isEqualTo("true none");
        assertThat(docker("port", web)).isEqualTo("80/tcp -> 127.0.0.1:" + newPort);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Harness.httpGet("127.0.0.1", newPort)).startsWith("HTTP/"));
        assertThat(ourChanges(h.plan())).isEmpty();
    }

    private static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int p = 30000 + ThreadLocalRandom.current().nextInt(10000);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", p));
                return p;
            } catch (IOException e) {
                // taken; try another
            }
        }
        throw new AssertionError("no free port in 30000-39999");
    }
}
