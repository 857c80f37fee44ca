package io.stackwire.controller.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.UploadPack;

/** An SSH server on loopback that serves one repository's git-upload-pack to one client key. */
final class SshGitServer implements AutoCloseable {

    final KeyPair hostKey;
    private final SshServer server;

    SshGitServer(Repository repo, PublicKey clientKey) throws Exception {
        this.hostKey = ecKey();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> "git".equals(user) && KeyUtils.compareKeys(key, clientKey));
        server.setCommandFactory((channel, command) -> new UploadPackCommand(repo));
        server.start();
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    int port() {
        return server.getPort();
    }

    String url() {
        return "ssh://git@127.0.0.1:" + port() + "/repo.git";
    }

    /** The known_hosts line for this server, as ssh-keyscan would print it. */
    String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    private static final class UploadPackCommand implements Command {
        private final Repository repo;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        UploadPackCommand(Repository repo) {
            this.repo = repo;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Thread t = new Thread(() -> {
                int code = 0;
                try {
                    UploadPack up = new UploadPack(repo);
                    String protocol = env.getEnv().get("GIT_PROTOCOL");
                    if (protocol != null) {
                        up.setExtraParameters(List.of(protocol.split(":")));
                    }
                    up.upload(in, out, err);
                    out.flush();
                } catch (IOException e) {
                    code = 1;
                }
                exit.onExit(code);
            }, "test-upload-pack");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void destroy(ChannelSession channel) {}
    }
}
