package io.stackwire.reconcile.docker;

import static io.stackwire.reconcile.daemon.Commands.must;
import static io.stackwire.reconcile.daemon.Commands.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.NetworkCreate;
import io.stackwire.reconcile.daemon.PrivateDockerd;
import io.stackwire.reconcile.daemon.Subscription;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A TLS-only daemon on loopback, reached the docker CLI's ways: {@code DOCKER_HOST} with
 * {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH}, a context made by {@code docker context
 * create} named by {@code DOCKER_CONTEXT}, and the same context as {@code docker context use} makes
 * it current. A client certificate from another CA, or a CA that did not sign the daemon's
 * certificate, gives one clear line.
 *
 * <p>A {@link PrivateDockerd} (own socket, data-root, exec-root, pid file, own bridge, no
 * iptables), with {@code --tlsverify} on a free 127.0.0.1 port and certificates {@code openssl} makes here. Needs
 * root, {@code dockerd}, {@code docker}, {@code ip} and {@code openssl}; skipped with the reason otherwise.
 */
@EnabledOnOs(OS.LINUX)
class RemoteTlsIT {

    private static final String BRIDGE_NET = "10.213.117.0/24";
    private static final String BRIDGE_ADDR = "10.213.117.1/24";

    private final String prefix = "swtest-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private PrivateDockerd dockerd;
    private Path dir;
    private Path certs;
    private Path wrong;
    private String tcp;
    private String unix;

    @BeforeEach
    void startTlsDaemon() throws Exception {
        Optional<String> unmet = PrivateDockerd.unmet(List.of("dockerd", "docker", "ip", "openssl"), false);
        assumeTrue(unmet.isEmpty(), unmet.orElse(""));
        assumeTrue(!PrivateDockerd.routed(BRIDGE_NET),
                BRIDGE_NET + " is already routed on this machine; the private daemon's bridge would clash");
        dockerd = PrivateDockerd.prepare("swtest-tls.", "swt", BRIDGE_ADDR);
        dir = dockerd.dir();
        certs = Files.createDirectories(dir.resolve("certs"));
        wrong = Files.createDirectories(dir.resolve("wrong"));
        makeCertificates();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        tcp = "tcp://127.0.0.1:" + port;
        unix = dockerd.host();
        dockerd.start("--host", tcp,
                "--tlsverify",
                "--tlscacert", certs.resolve("ca.pem").toString(),
                "--tlscert", dir.resolve("server-cert.pem").toString(),
                "--tlskey", dir.resolve("server-key.pem").toString());
        dockerd.awaitAnswering(Duration.ofSeconds(60));
    }

    /** A CA, the daemon's certificate for 127.0.0.1, our client certificate; and a second CA with its own client. */
    private void makeCertificates() {
        String subj = "-subj";
        must(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", subj, "/CN=swtest-ca",
                "-keyout", dir.resolve("ca-key.pem").toString(), "-out", certs.resolve("ca.pem").toString()));
        sign("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth",
                dir.resolve("ca-key.pem"), certs.resolve("ca.pem"), dir);
        sign("client", "/CN=swtest-client", "extendedKeyUsage=clientAuth", dir.resolve("ca-key.pem"), certs.resolve("ca.pem"), dir);
        copy(dir.resolve("client-cert.pem"), certs.resolve("cert.pem"));
        copy(dir.resolve("client-key.pem"), certs.resolve("key.pem"));
        // Another CA: trusts nobody here, and the daemon does not trust its client.
        must(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", subj, "/CN=swtest-other-ca",
                "-keyout", wrong.resolve("ca-key.pem").toString(), "-out", wrong.resolve("ca.pem").toString()));
        sign("client", "/CN=swtest-stranger", "extendedKeyUsage=clientAuth", wrong.resolve("ca-key.pem"), wrong.resolve("ca.pem"), wrong);
        copy(wrong.resolve("client-cert.pem"), wrong.resolve("cert.pem"));
        copy(wrong.resolve("client-key.pem"), wrong.resolve("key.pem"));
    }

    private void sign(String name, String subject, String extensions, Path caKey, Path ca, Path out) {
        Path ext = out.resolve(name + ".ext");
        write(ext, extensions + "\n");
        must(List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject,
                "-keyout", out.resolve(name + "-key.pem").toString(), "-out", out.resolve(name + ".csr").toString()));
        must(List.of("openssl", "x509", "-req", "-days", "2", "-in", out.resolve(name + ".csr").toString(),
                "-CA", ca.toString(), "-CAkey", caKey.toString(), "-CAcreateserial", "-extfile", ext.toString(),
                "-out", out.resolve(name + "-cert.pem").toString()));
    }

    @Test
    void dockerHostWithTlsVerifyAndCertPathReachesTheDaemonIncludingItsEventStream() throws Exception {
        DockerEndpoint e = DockerEndpoint.resolve(env("DOCKER_HOST", tcp, "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", certs.toString()), dir.resolve("home"));
        List<DockerEvent> events = new CopyOnWriteArrayList<>();
        try (DockerJavaGateway gateway = DockerJavaGateway.forEndpoint(e, List.of("ssh"), true);
                Subscription sub = gateway.events(events::add)) {
            await().atMost(Duration.ofSeconds(10)).until(sub::connected);
            gateway.createNetwork(network("tls-net"));
            assertThat(gateway.observe().network(prefix + "tls-net")).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                    .anyMatch(ev -> ev.action().equals("create") && ev.actorName().equals(prefix + "tls-net")));
        }
        // It really was that daemon, over TLS.
        assertThat(must(List.of("docker", "-H", unix, "network", "ls", "--format", "{{.Name}}"))).contains(prefix + "tls-net");
    }

    @Test
    void aContextMadeByTheDockerCliIsUsedThroughDockerContextAndAsTheCurrentContext() throws Exception {
        Path config = dir.resolve("home/.docker");
        Map<String, String> cli = Map.of("DOCKER_CONFIG", config.toString());
        must(cli, List.of("docker", "context", "create", "swtest-tls", "--docker", "host=" + tcp
                + ",ca=" + certs.resolve("ca.pem") + ",cert=" + certs.resolve("cert.pem") + ",key=" + certs.resolve("key.pem")));

        DockerEndpoint named = DockerEndpoint.resolve(env("DOCKER_CONTEXT", "swtest-tls"), dir.resolve("home"));
        assertThat(named.source()).isEqualTo("docker context 'swtest-tls'");
        try (DockerJavaGateway gateway = DockerJavaGateway.forEndpoint(named, List.of("ssh"), true)) {
            gateway.createNetwork(network("ctx-net"));
            assertThat(gateway.describe()).startsWith(tcp + " (docker context 'swtest-tls')");
        }

        must(cli, List.of("docker", "context", "use", "swtest-tls"));
        DockerEndpoint current = DockerEndpoint.resolve(env(), dir.resolve("home"));
        assertThat(current).isEqualTo(named);
        try (DockerJavaGateway gateway = DockerJavaGateway.forEndpoint(current, List.of("ssh"), true)) {
            assertThat(gateway.observe().network(prefix + "ctx-net")).isNotNull();
        }
        // DOCKER_HOST still wins over the current context, as for the docker CLI.
        assertThat(DockerEndpoint.resolve(env("DOCKER_HOST", unix), dir.resolve("home")).host()).isEqualTo(unix);
    }

    @Test
    void aClientCertificateTheDaemonDoesNotTrustIsOneClearLine() {
        // Our CA (the daemon's certificate verifies) but the stranger's client certificate.
        Path mixed = dir.resolve("mixed");
        write(mixed.resolve("ca.pem"), read(certs.resolve("ca.pem")));
        write(mixed.resolve("cert.pem"), read(wrong.resolve("cert.pem")));
        write(mixed.resolve("key.pem"), read(wrong.resolve("key.pem")));
        DockerEndpoint e = DockerEndpoint.resolve(env("DOCKER_HOST", tcp, "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", mixed.toString()), dir.resolve("home"));
        try (DockerJavaGateway gateway = DockerJavaGateway.forEndpoint(e, List.of("ssh"), true)) {
            assertThatThrownBy(gateway::observe)
                    .isInstanceOfSatisfying(GatewayException.class, g -> assertThat(g.kind()).isEqualTo(GatewayException.Kind.UNAVAILABLE))
                    .hasMessageStartingWith("cannot reach the Docker daemon at " + tcp + ": the TLS handshake failed (")
                    .hasMessageContaining("DOCKER_CERT_PATH")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aDaemonCertificateOurCaDidNotSignIsOneClearLine() {
        DockerEndpoint e = DockerEndpoint.resolve(env("DOCKER_HOST", tcp, "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", wrong.toString()), dir.resolve("home"));
        try (DockerJavaGateway gateway = DockerJavaGateway.forEndpoint(e, List.of("ssh"), true)) {
            assertThatThrownBy(gateway::observe)
                    .hasMessageStartingWith("cannot reach the Docker daemon at " + tcp + ": the TLS handshake failed (")
                    .hasMessageContaining("ca.pem")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void unreadableTlsFilesAreReportedBeforeAnyCall() {
        Path bad = dir.resolve("bad");
        write(bad.resolve("ca.pem"), "not a certificate\n");
        DockerEndpoint e = DockerEndpoint.resolve(env("DOCKER_HOST", tcp, "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", bad.toString()), dir.resolve("home"));
        assertThatThrownBy(() -> DockerJavaGateway.forEndpoint(e, List.of("ssh"), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot use the Docker daemon address " + tcp + " (from DOCKER_HOST): cannot use the TLS files in " + bad);
    }

    private NetworkCreate network(String name) {
        return new NetworkCreate(prefix + name, "bridge", false, false, false, null, null, null);
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (dockerd == null) {
            return;
        }
        try (PrivateDockerd d = dockerd) {
            if (d.alive()) {
                for (String net : run(List.of("docker", "-H", unix, "network", "ls", "-q", "--filter", "name=" + prefix)).out().split("\\s+")) {
                    if (!net.isBlank()) {
                        run(List.of("docker", "-H", unix, "network", "rm", net));
                    }
                }
            }
            assertThat(d.stop()).as("dockerd stopped on SIGTERM").isTrue();
        }
    }

    private static void copy(Path from, Path to) {
        write(to, read(from));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
