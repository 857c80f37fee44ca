package io.stackwire.controller.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSH with a key file and known_hosts checking, against a loopback SSH server serving a real repository. */
class GitSourceSshTest {

    @TempDir
    Path tmp;

    private TestRepo origin;
    private SshGitServer server;
    private Path key;
    private RevCommit commit;

    @BeforeEach
    void serve() throws Exception {
        origin = TestRepo.init(tmp.resolve("origin"));
        commit = origin.commit("stacks/a.yaml", "over ssh\n");
        KeyPair client = SshGitServer.ecKey();
        key = tmp.resolve("id_ecdsa");
        try (OutputStream out = Files.newOutputStream(key)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "test", null, out);
        }
        server = new SshGitServer(origin.git.getRepository(), client.getPublic());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        origin.close();
    }

    private GitSource source(GitAuth auth) throws SourceException {
        return new GitSource(new GitSource.Config(server.url(), "main", "stacks", tmp.resolve("cache"), auth));
    }

    @Test
    void fetchesWithAKeyWhenTheHostKeyIsKnown() throws Exception {
        Path knownHosts = tmp.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
        GitAuth auth = GitAuth.resolve(null, null, null, key, knownHosts, false, Map.of());

        try (GitSource source = source(auth)) {
            Snapshot s = source.fetch();
            assertThat(s.revision()).isEqualTo(commit.name());
            assertThat(Files.readString(s.root().resolve("a.yaml"))).isEqualTo("over ssh\n");
        }
    }

    @Test
    void refusesAnUnknownHostByDefault() throws Exception {
        Path knownHosts = tmp.resolve("known_hosts");
        Files.writeString(knownHosts, "");

        try (GitSource source = source(GitAuth.resolve(null, null, null, key, knownHosts, false, Map.of()))) {
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .hasMessageContaining("cannot list the refs of " + server.url())
                    .hasMessageContaining("host key is not in known_hosts");
        }
        assertThat(Files.readString(knownHosts)).isEmpty();
    }

    @Test
    void refusesAChangedHostKeyEvenWhenAcceptingNewOnes() throws Exception {
        Path knownHosts = tmp.resolve("known_hosts");
        KeyPair other = SshGitServer.ecKey();
        Files.writeString(knownHosts, "[127.0.0.1]:" + server.port() + " "
                + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(other.getPublic()) + "\n");

        try (GitSource source = source(GitAuth.resolve(null, null, null, key, knownHosts, true, Map.of()))) {
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .hasMessageContaining("cannot list the refs of " + server.url());
        }
        assertThat(Files.readString(knownHosts)).doesNotContain(PublicKeyEntry.toString(server.hostKey.getPublic()));
    }

    @Test
    void acceptNewTrustsAFirstSeenHostAndRecordsItsKey() throws Exception {
        Path knownHosts = tmp.resolve("known_hosts");

        try (GitSource source = source(GitAuth.resolve(null, null, null, key, knownHosts, true, Map.of()))) {
            assertThat(source.fetch().revision()).isEqualTo(commit.name());
        }
        assertThat(Files.readString(knownHosts)).contains("127.0.0.1")
                .contains(PublicKeyEntry.toString(server.hostKey.getPublic()).split(" ")[1]);
    }

    @Test
    void aWrongKeyIsRefused() throws Exception {
        Path knownHosts = tmp.resolve("known_hosts");
        Files.writeString(knownHosts, server.knownHostsLine() + "\n");
        Path wrong = tmp.resolve("id_wrong");
        try (OutputStream out = Files.newOutputStream(wrong)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(SshGitServer.ecKey(), "wrong", null, out);
        }

        try (GitSource source = source(GitAuth.resolve(null, null, null, wrong, knownHosts, false, Map.of()))) {
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .hasMessageContaining("cannot list the refs of " + server.url())
                    .hasMessageContaining("check --ssh-key");
        }
    }
}
