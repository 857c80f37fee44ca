package io.stackwire.reconcile.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@code ssh://} daemon, reached the way the docker CLI reaches it (docker/cli
 * {@code cli/connhelper}): every connection is one {@code ssh ... -- host docker system dial-stdio}
 * process whose stdin and stdout carry the HTTP bytes, run with the user's own ssh setup
 * ({@code ~/.ssh/config}, keys, agent, known_hosts).
 *
 * <p>docker-java's transport only dials sockets, so the processes sit behind a Unix socket of our
 * own in a private folder (mode 0700): each connection the transport opens there starts one ssh
 * process, and closing it ends that process. Pooling, concurrent requests, the long-lived event
 * stream and the fast socket reads then work unchanged, one ssh process per kept connection.
 *
 * <p>An ssh that ends without a byte of answer failed to connect or to run docker remotely: what it
 * said on stderr is kept ({@link #lastFailure()}) for the error message, since the transport itself
 * only sees a closed connection.
 */
final class SshTunnel implements Closeable {

    private static final System.Logger LOG = System.getLogger(SshTunnel.class.getName());
    private static final int MAX_STDERR = 4096;

    private final List<String> command;
    private final String address;
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile String lastFailure;
    private volatile boolean closed;

    /**
     * @param address the {@code ssh://[user@]host[:port][/socket]} address
     * @param ssh the ssh program and any options of ours before the CLI's (only {@code ["ssh"]} outside tests)
     */
    SshTunnel(String address, List<String> ssh) throws IOException {
        this.address = address;
        this.command = command(address, ssh);
        this.dir = Files.createTempDirectory("stackwire-ssh-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.socket = dir.resolve("docker.sock");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(this::accept, "stackwire-ssh-accept");
        t.setDaemon(true);
        t.start();
    }

    /** The {@code unix://} address docker-java connects to. */
    String localHost() {
        return "unix://" + socket;
    }

    /** The command a user can try by hand: what we run, with plain {@code ssh} as the program. */
    String manualCommand() {
        return String.join(" ", command(address, List.of("ssh")));
    }

    /** What the last ssh that failed before answering said (its stderr, or its exit code); null if none did. */
    String lastFailure() {
        return lastFailure;
    }

    /**
     * The ssh command line for {@code address}, as the docker CLI builds it: {@code -o ConnectTimeout=30 -T},
     * {@code -l user}, {@code -p port}, {@code -- host}, then {@code docker [--host unix://path] system dial-stdio}.
     */
    static List<String> command(String address, List<String> ssh) {
        URI u;
        try {
            u = new URI(address);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an ssh://[user@]host[:port] address: " + e.getMessage(), e);
        }
        if (!"ssh".equals(u.getScheme()) || u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("not an ssh://[user@]host[:port] address: " + address);
        }
        if (u.getRawUserInfo() != null && u.getRawUserInfo().contains(":")) {
            throw new IllegalArgumentException("an ssh:// address must not carry a password (" + address.replaceAll(":[^:@/]*@", ":***@")
                    + "); use an SSH key or agent, as the docker CLI requires");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("an ssh:// address takes no ?query or #fragment: " + address);
        }
        List<String> cmd = new ArrayList<>(ssh);
        cmd.addAll(List.of("-o", "ConnectTimeout=30", "-T"));
        if (u.getUserInfo() != null && !u.getUserInfo().isEmpty()) {
            cmd.addAll(List.of("-l", u.getUserInfo()));
        }
        if (u.getPort() != -1) {
            cmd.addAll(List.of("-p", Integer.toString(u.getPort())));
        }
        cmd.addAll(List.of("--", u.getHost(), "docker"));
        if (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/")) {
            cmd.add("--host=unix://" + u.getPath());
        }
        cmd.addAll(List.of("system", "dial-stdio"));
        return List.copyOf(cmd);
    }

    private void accept() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "ssh tunnel to " + address + " stopped accepting: " + e.getMessage());
                }
                return;
            }
            try {
                Link link = new Link(client);
                links.add(link);
                link.start();
            } catch (IOException e) {
                lastFailure = "cannot start '" + command.get(0) + "': " + Errors.oneLine(e.getMessage());
                closeQuietly(client);
            }
        }
    }

    /** One transport connection and the ssh process that carries it. */
    private final class Link {
        final SocketChannel client;
        final Process ssh;
        final StringBuffer stderr = new StringBuffer();
        final AtomicBoolean answered = new AtomicBoolean();
        final AtomicBoolean ended = new AtomicBoolean();
        Thread stderrDone;

        Link(SocketChannel client) throws IOException {
            this.client = client;
            this.ssh = new ProcessBuilder(command).start();
        }

        void start() {
            stderrDone = thread("stackwire-ssh-err", this::readStderr);
            thread("stackwire-ssh-out", this::toSsh);
            thread("stackwire-ssh-in", this::fromSsh);
        }

        // The channel is read and written directly: Channels' stream adapters take one lock for both
        // directions, so a blocked read would stall every write.
        private void toSsh() {
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            boolean sshGone = false; // a write ssh refused: it is exiting, and its stderr says why
            try (OutputStream out = ssh.getOutputStream()) {
                while (client.read(buf) > 0) {
                    try {
                        out.write(buf.array(), 0, buf.position());
                        out.flush();
                    } catch (IOException e) {
                        sshGone = true;
                        throw e;
                    }
                    buf.clear();
                }
            } catch (IOException e) {
                // one side closed: the link ends either way
            } finally {
                end(sshGone);
            }
        }

        private void fromSsh() {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = ssh.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    answered.set(true);
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        client.write(b);
                    }
                }
            } catch (IOException e) {
                // one side closed: the link ends either way
            } finally {
                end(true);
            }
        }

        private void readStderr() {
            try (InputStream err = ssh.getErrorStream()) {
                byte[] buf = new byte[1024];
                int n;
                while ((n = err.read(buf)) > 0) {
                    if (stderr.length() < MAX_STDERR) {
                        stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        /**
         * Ends the link once: stops ssh and closes our socket end. When ssh ended without a byte of
         * answer, its complaint is kept before the transport sees the closed connection, so the
         * error the transport raises can already quote it.
         */
        private void end(boolean bySsh) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            if (bySsh && !answered.get() && !closed) {
                String said = "";
                try {
                    ssh.waitFor(5, TimeUnit.SECONDS);
                    stderrDone.join(2000); // its last words
                    said = Errors.oneLine(stderr.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                lastFailure = !said.isEmpty() ? said
                        : "ssh " + (ssh.isAlive() ? "closed its output" : "exited with code " + ssh.exitValue()) + " without answering";
                LOG.log(System.Logger.Level.DEBUG, "ssh to " + address + " failed: " + lastFailure);
            } else if (answered.get()) {
                lastFailure = null;
            }
            closeQuietly(client);
            try {
                ssh.getOutputStream().close(); // dial-stdio ends on EOF, then ssh exits by itself
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!ssh.waitFor(2, TimeUnit.SECONDS)) {
                    ssh.destroy();
                    if (!ssh.waitFor(2, TimeUnit.SECONDS)) {
                        ssh.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                ssh.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            links.remove(this);
        }

        void kill() {
            closeQuietly(client);
            ssh.destroyForcibly();
        }
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Stops accepting, ends every ssh process and removes the socket folder. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Link l : links) {
            l.kill();
        }
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "removing " + dir + ": " + e.getMessage());
        }
    }
}
