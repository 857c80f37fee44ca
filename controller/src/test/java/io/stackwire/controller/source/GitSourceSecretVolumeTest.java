package io.stackwire.controller.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Map;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart's git-over-SSH mode: the key and known_hosts come from a Secret volume, as kubelet
 * lays it out (links through {@code ..data}) with the chart's mode 0440 (group-readable, for the
 * fsGroup of the non-root user). JGit must accept that key file as it is.
 */
class GitSourceSecretVolumeTest {

    @TempDir
    Path tmp;

    @Test
    void fetchesWithAKeyAndKnownHostsMountedFromASecret() throws Exception {
        try (TestRepo origin = TestRepo.init(tmp.resolve("origin"))) {
            RevCommit commit = origin.commit("stacks/a.yaml", "from a secret\n");
            KeyPair client = SshGitServer.ecKey();
            try (SshGitServer server = new SshGitServer(origin.git.getRepository(), client.getPublic())) {
                Path volume = Files.createDirectories(tmp.resolve("etc-stackwire-ssh"));
                Path data = Files.createDirectories(volume.resolve("..2026_12_02_10_00_00.123"));
                try (OutputStream out = Files.newOutputStream(data.resolve("ssh-privatekey"))) {
                    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "deploy", null, out);
                }
                Files.writeString(data.resolve("known_hosts"), server.knownHostsLine() + "\n");
                for (String f : new String[] {"ssh-privatekey", "known_hosts"}) {
                    Files.setPosixFilePermissions(data.resolve(f), PosixFilePermissions.fromString("r--r-----"));
                }
                Files.createSymbolicLink(volume.resolve("..data"), Path.of("..2026_12_02_10_00_00.123"));
                Files.createSymbolicLink(volume.resolve("ssh-privatekey"), Path.of("..data/ssh-privatekey"));
                Files.createSymbolicLink(volume.resolve("known_hosts"), Path.of("..data/known_hosts"));

                GitAuth auth = GitAuth.resolve(null, null, null, volume.resolve("ssh-privatekey"), volume.resolve("known_hosts"),
                        false, Map.of());
                try (GitSource source = new GitSource(new GitSource.Config(server.url(), "main", "stacks", tmp.resolve("cache"), auth))) {
                    Snapshot s = source.fetch();

                    assertThat(s.revision()).isEqualTo(commit.name());
                    assertThat(Files.readString(s.root().resolve("a.yaml"))).isEqualTo("from a secret\n");
                }
            }
        }
    }
}
