package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which daemon the docker CLI's settings name: the CLI's precedence, as a function of environment and files. */
class DockerEndpointTest {

    @TempDir
    Path home;

    private Path docker() {
        return home.resolve(".docker");
    }

    private void context(Path config, String name, String host, boolean tls, boolean skipVerify) throws IOException {
        String id = DockerEndpoint.sha256(name);
        Path meta = Files.createDirectories(config.resolve("contexts/meta").resolve(id));
        Files.writeString(meta.resolve("meta.json"), "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":"
                + "{\"Host\":\"" + host + "\",\"SkipTLSVerify\":" + skipVerify + "}}}");
        if (tls) {
            Path dir = Files.createDirectories(config.resolve("contexts/tls").resolve(id).resolve("docker"));
            Files.writeString(dir.resolve("ca.pem"), "x");
        }
    }

    private void current(Path config, String name) throws IOException {
        Files.createDirectories(config);
        Files.writeString(config.resolve("config.json"), "{\"auths\":{},\"currentContext\":\"" + name + "\"}");
    }

    private DockerEndpoint resolve(String... kv) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return DockerEndpoint.resolve(env, home);
    }

    @Test
    void contextFolderIsTheSha256OfTheNameAsTheDockerCliMakesIt() {
        // docker context create remote -> ~/.docker/contexts/meta/<this>/meta.json
        assertThat(DockerEndpoint.sha256("default"))
                .isEqualTo("37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f");
    }

    @Test
    void nothingSetIsTheLocalSocket() {
        assertThat(resolve()).isEqualTo(new DockerEndpoint("unix:///var/run/docker.sock", null, "the default socket"));
    }

    @Test
    void dockerHostWinsOverDockerContextAndTheCurrentContext() throws IOException {
        context(docker(), "remote", "tcp://10.0.0.9:2375", false, false);
        current(docker(), "remote");
        DockerEndpoint e = resolve("DOCKER_HOST", "ssh://me@box:2222", "DOCKER_CONTEXT", "remote");
        assertThat(e).isEqualTo(new DockerEndpoint("ssh://me@box:2222", null, "DOCKER_HOST"));
    }

    @Test
    void dockerContextWinsOverTheCurrentContext() throws IOException {
        context(docker(), "a", "tcp://10.0.0.1:2375", false, false);
        context(docker(), "b", "ssh://b.example", false, false);
        current(docker(), "a");
        assertThat(resolve("DOCKER_CONTEXT", "b")).isEqualTo(new DockerEndpoint("ssh://b.example", null, "docker context 'b'"));
        assertThat(resolve()).isEqualTo(new DockerEndpoint("tcp://10.0.0.1:2375", null, "docker context 'a'"));
        assertThat(resolve().describe()).isEqualTo("tcp://10.0.0.1:2375 (docker context 'a')");
    }

    @Test
    void theContextNamedDefaultIsTheEnvironmentsEndpoint() throws IOException {
        context(docker(), "a", "tcp://10.0.0.1:2375", false, false);
        current(docker(), "a");
        assertThat(resolve("DOCKER_CONTEXT", "default").host()).isEqualTo("unix:///var/run/docker.sock");
        current(docker(), "default");
        assertThat(resolve().host()).isEqualTo("unix:///var/run/docker.sock");
    }

    @Test
    void dockerConfigMovesTheWholeConfigFolder() throws IOException {
        Path elsewhere = home.resolve("elsewhere");
        context(elsewhere, "x", "tcp://10.0.0.7:2375", false, false);
        current(elsewhere, "x");
        current(docker(), "nonexistent-in-home");
        assertThat(resolve("DOCKER_CONFIG", elsewhere.toString()).host()).isEqualTo("tcp://10.0.0.7:2375");
    }

    @Test
    void aContextWithTlsMaterialUsesItsTlsFolder() throws IOException {
        context(docker(), "secure", "tcp://127.0.0.1:2376", true, false);
        DockerEndpoint e = resolve("DOCKER_CONTEXT", "secure");
        assertThat(e.tlsDir()).isEqualTo(docker().resolve("contexts/tls").resolve(DockerEndpoint.sha256("secure")).resolve("docker"));
    }

    @Test
    void tlsVerifyTakesCertsFromDockerCertPathElseTheConfigFolder() throws IOException {
        Path certs = Files.createDirectories(home.resolve("certs"));
        Files.writeString(certs.resolve("ca.pem"), "x");
        assertThat(resolve("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString()).tlsDir())
                .isEqualTo(certs);
        Files.createDirectories(docker());
        Files.writeString(docker().resolve("ca.pem"), "x");
        assertThat(resolve("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1").tlsDir()).isEqualTo(docker());
        // As the docker CLI: any non-empty value turns verification on, even "0".
        assertThat(resolve("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "0").tlsDir()).isEqualTo(docker());
        assertThat(resolve("DOCKER_HOST", "tcp://h:2375").tlsDir()).isNull();
    }

    @Test
    void tlsVariablesMeanNothingForSocketsAndSsh() {
        assertThat(resolve("DOCKER_HOST", "unix:///x.sock", "DOCKER_TLS_VERIFY", "1").tlsDir()).isNull();
        assertThat(resolve("DOCKER_HOST", "ssh://h", "DOCKER_TLS_VERIFY", "1").tlsDir()).isNull();
    }

    @Test
    void unknownContextSaysWhereItLookedAndWhatToDo() throws IOException {
        assertThatThrownBy(() -> resolve("DOCKER_CONTEXT", "nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DOCKER_CONTEXT=nope: no such Docker context (no " + docker().resolve("contexts/meta"))
                .hasMessageContaining("docker context ls");
        current(docker(), "gone");
        assertThatThrownBy(this::resolve).hasMessageStartingWith("currentContext 'gone' in " + docker().resolve("config.json"));
    }

    @Test
    void verificationCannotBeSkipped() throws IOException {
        context(docker(), "lax", "tcp://h:2376", true, true);
        assertThatThrownBy(() -> resolve("DOCKER_CONTEXT", "lax")).hasMessageContaining("has SkipTLSVerify");
        assertThatThrownBy(() -> resolve("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS", "1"))
                .hasMessageContaining("DOCKER_TLS is set without DOCKER_TLS_VERIFY");
    }

    @Test
    void verifyingWithoutACaSaysWhichFolderLacksIt() {
        assertThatThrownBy(() -> resolve("DOCKER_HOST", "tcp://h:2376", "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/no/such"))
                .hasMessage("DOCKER_TLS_VERIFY is set but DOCKER_CERT_PATH=/no/such has no ca.pem; put the daemon's CA"
                        + " certificate there as ca.pem (and the client's as cert.pem and key.pem)");
    }

    @Test
    void unreadableConfigNamesTheFile() throws IOException {
        Files.createDirectories(docker());
        Files.writeString(docker().resolve("config.json"), "{not json");
        assertThatThrownBy(this::resolve).hasMessageStartingWith(docker().resolve("config.json") + ": cannot read this docker CLI file");
    }

    @Test
    void sshCommandIsTheDockerClis() {
        assertThat(SshTunnel.command("ssh://me@box:2222", List.of("ssh")))
                .containsExactly("ssh", "-o", "ConnectTimeout=30", "-T", "-l", "me", "-p", "2222", "--", "box",
                        "docker", "system", "dial-stdio");
        assertThat(SshTunnel.command("ssh://box/run/user/1000/docker.sock", List.of("ssh")))
                .containsExactly("ssh", "-o", "ConnectTimeout=30", "-T", "--", "box",
                        "docker", "--host=unix:///run/user/1000/docker.sock", "system", "dial-stdio");
        assertThatThrownBy(() -> SshTunnel.command("ssh://me:secret@box", List.of("ssh")))
                .hasMessageContaining("must not carry a password").hasMessageNotContaining("secret");
    }

    @Test
    void aTcpAddressWithoutAPortGetsTheDockerClisDefault() {
        assertThat(DockerEndpoint.withDefaultPort("tcp://docker.example", false)).isEqualTo("tcp://docker.example:2375");
        assertThat(DockerEndpoint.withDefaultPort("tcp://docker.example", true)).isEqualTo("tcp://docker.example:2376");
        assertThat(DockerEndpoint.withDefaultPort("tcp://10.0.0.1:4243", true)).isEqualTo("tcp://10.0.0.1:4243");
        assertThat(DockerEndpoint.withDefaultPort("tcp://[::1]", false)).isEqualTo("tcp://[::1]:2375");
        assertThat(DockerEndpoint.withDefaultPort("tcp://[::1]:2377", false)).isEqualTo("tcp://[::1]:2377");
        assertThat(DockerEndpoint.withDefaultPort("unix:///run/docker.sock", true)).isEqualTo("unix:///run/docker.sock");
    }
}
