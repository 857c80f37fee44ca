package io.stackwire.reconcile.daemon;

import static io.stackwire.reconcile.daemon.Commands.must;
import static io.stackwire.reconcile.daemon.Commands.run;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A dockerd of a test's own, never the shared one: its own socket, data-root, exec-root, pid file
 * and log under a temp dir, its own bridge, no iptables and no masquerading (so it never rewrites
 * another daemon's chains).
 *
 * <p>Never {@code --bridge none}: that deletes the host's {@code docker0}. Never {@code
 * --default-address-pool}: dockerd 20.10, restarted on a data-root that has a default bridge
 * network, then deletes the <em>host's</em> {@code docker0} too ({@code initNetworkController}:
 * "Clear stale bridge network", then {@code removeDefaultBridgeInterface()}). Tests that need
 * subnets give them explicitly.
 *
 * <p>Needs root, {@code dockerd} and {@code ip}: see {@link #unmet}. {@link #close()} stops the
 * daemon and removes its bridge and folders.
 */
public final class PrivateDockerd implements AutoCloseable {

    private final Path dir;
    private final String bridge;
    private final boolean docker0Before = docker0();
    private boolean bridgeMade;
    private List<String> extraFlags = List.of();
    private Process process;

    private PrivateDockerd(Path dir, String bridge) {
        this.dir = dir;
        this.bridge = bridge;
    }

    /**
     * The first reason this machine cannot run a private dockerd (root, each of {@code tools} on
     * the PATH, a static {@code /bin/busybox} when {@code staticBusybox}), or empty.
     */
    public static Optional<String> unmet(List<String> tools, boolean staticBusybox) throws IOException {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            return Optional.of("a private dockerd needs root (running as uid " + uid + ")");
        }
        for (String tool : tools) {
            if (!run(List.of("sh", "-c", "command -v " + tool)).ok()) {
                return Optional.of(tool + " is not installed");
            }
        }
        if (staticBusybox && !run(List.of("sh", "-c", "ldd /bin/busybox 2>&1 | grep -q 'not a dynamic'")).ok()) {
            return Optional.of("/bin/busybox is missing or not static (install busybox-static)");
        }
        return Optional.empty();
    }

    /** Whether {@code net} (e.g. {@code 10.213.111.0/24}) is routed here already: a bridge there would clash. */
    public static boolean routed(String net) {
        return run(List.of("ip", "route", "show", net)).out().contains("dev");
    }

    /**
     * A temp dir named {@code dirPrefix…} with the daemon's folders, and a bridge {@code
     * bridgePrefix} plus 10 random hex digits at {@code bridgeAddress} (e.g. {@code 10.213.111.1/24}),
     * up. The daemon is not started yet: put what its extra flags name (certificates) in {@link #dir()}.
     */
    public static PrivateDockerd prepare(String dirPrefix, String bridgePrefix, String bridgeAddress) throws Exception {
        PrivateDockerd d = new PrivateDockerd(Files.createTempDirectory(dirPrefix),
                bridgePrefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        try {
            Files.createDirectories(d.dir.resolve("data"));
            Files.createDirectories(d.dir.resolve("exec"));
            must(List.of("ip", "link", "add", d.bridge, "type", "bridge"));
            d.bridgeMade = true;
            must(List.of("ip", "addr", "add", bridgeAddress, "dev", d.bridge));
            must(List.of("ip", "link", "set", d.bridge, "up"));
            return d;
        } catch (Exception | AssertionError e) {
            d.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    /** {@code unix://} and its socket, which it always listens on. */
    public String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** Starts it with these flags after its own (e.g. another {@code --host}, TLS); it may not answer yet. */
    public void start(String... extraFlags) throws IOException {
        this.extraFlags = List.of(extraFlags);
        List<String> command = new ArrayList<>(List.of("dockerd",
                "--host", host(),
                "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--bridge", bridge,
                "--iptables=false",
                "--ip-masq=false"));
        command.addAll(this.extraFlags);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
                .start();
    }

    /** {@link #stop()}, {@code down} later started again with the same flags, same data-root; it may not answer yet. */
    public void restart(Duration down) throws Exception {
        stop();
        Thread.sleep(down.toMillis());
        start(extraFlags.toArray(String[]::new));
    }

    /**
     * SIGTERM, as {@code systemctl restart docker} does (the daemon closes every connection it
     * had); SIGKILL after 45 s. Whether it stopped on SIGTERM (true when it was not running).
     */
    public boolean stop() throws InterruptedException {
        if (process == null) {
            return true;
        }
        process.destroy();
        if (!process.waitFor(45, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return false;
        }
        return true;
    }

    /**
     * Waits until it answers {@code GET /_ping} on its socket; returns {@link System#nanoTime()} of
     * that first answer. Fails at once, with the tail of its log, if the process exits.
     */
    public long awaitAnswering(Duration within) {
        AtomicLong answered = new AtomicLong();
        try {
            await("the private dockerd at " + host() + " answers").atMost(within)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .failFast("the private dockerd exited", () -> !process.isAlive())
                    .until(() -> {
                        if (!pings(dir.resolve("docker.sock"))) {
                            return false;
                        }
                        answered.set(System.nanoTime());
                        return true;
                    });
        } catch (TerminalFailureException e) {
            throw new AssertionError("the private dockerd exited: " + tail(), e);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the private dockerd did not answer within " + within.toSeconds() + " s: " + tail(), e);
        }
        return answered.get();
    }

    private static boolean pings(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.allocate(64);
            ch.read(b);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.0 200");
        } catch (IOException e) {
            return false;
        }
    }

    /** Imports {@code image}: a busybox-static rootfs with sh and sleep, as scripts/lib/engine.sh's build_test_image makes it. */
    public void importBusybox(String image) throws IOException {
        Path root = dir.resolve("rootfs");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("tmp"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        for (String applet : List.of("sh", "sleep")) {
            Files.createSymbolicLink(root.resolve("bin/" + applet), Path.of("busybox"));
        }
        must(List.of("sh", "-c", "tar -C '" + root + "' -c . | docker -H '" + host()
                + "' import -c 'CMD [\"sleep\",\"3600\"]' - " + image));
    }

    /** The last 20 lines of its log. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Fails if the host's {@code docker0} existed when this daemon was prepared and is gone now:
     * what a restart with {@code --default-address-pool} or {@code --bridge none} does.
     */
    public void assertDocker0Kept() {
        if (docker0Before && !docker0()) {
            throw new AssertionError("the host's docker0 is gone: the private daemon's restart deleted it; the shared daemon"
                    + " cannot start containers on its default bridge until docker0 is re-created");
        }
    }

    private static boolean docker0() {
        return run(List.of("ip", "link", "show", "docker0")).ok();
    }

    /** Stops it, deletes its bridge and its folders; fails afterwards if the bridge would not go. */
    @Override
    public void close() throws InterruptedException {
        stop();
        String problem = null;
        if (bridgeMade) {
            Commands.Result r = run(List.of("ip", "link", "del", bridge));
            if (!r.ok()) {
                problem = "ip link del " + bridge + ": " + r.out();
            }
        }
        // A daemon stopped mid-start leaves its data-root mounted; the mounts go before the files.
        for (String mount : mountsUnder(dir)) {
            run(List.of("umount", "-l", mount));
        }
        run(List.of("rm", "-rf", "--one-file-system", dir.toString()));
        if (problem != null) {
            throw new AssertionError(problem);
        }
    }

    /** Mount points at or below {@code dir}, deepest first. */
    private static List<String> mountsUnder(Path dir) {
        try {
            return Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .map(line -> line.split(" ")[1])
                    .filter(m -> m.startsWith(dir + "/"))
                    .sorted(Comparator.reverseOrder())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
