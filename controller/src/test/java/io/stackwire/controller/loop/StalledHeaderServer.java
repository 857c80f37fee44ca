package io.stackwire.controller.loop;

import io.stackwire.controller.pass.HostCheck;
import io.stackwire.controller.http.StatusServer;
import io.stackwire.controller.http.WebhookAuth;
import io.stackwire.controller.source.Snapshot;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.reconcile.plan.Planner;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/**
 * The status server in a JVM of its own, for {@link StalledHeaderTest}: the JDK server reads its
 * request deadline ({@code sun.net.httpserver.maxReqTime}) once per JVM, so a short one for the
 * test can only be set in a fresh JVM. Prints {@code port N} when it serves; exits when stdin closes.
 */
final class StalledHeaderServer {

    private StalledHeaderServer() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("swtest-stall");
        dir.toFile().deleteOnExit(); // deleted last (reverse order), also when the test's destroy() sends SIGTERM
        Path spec = Files.writeString(dir.resolve("stack.yaml"), "stack: t\nnetworks:\n  t-a: {}\n");
        spec.toFile().deleteOnExit();
        ReconcileLoopTest.FakeSource source = new ReconcileLoopTest.FakeSource();
        source.next = new Snapshot("c1", dir);
        LoopConfig c = new LoopConfig("edge", Duration.ofSeconds(30), Duration.ofMinutes(5), null, null, null,
                false, false, 0.5, false, "me", "lease-test", Duration.ofMinutes(5), 1);
        try (ReconcileLoop loop = new ReconcileLoop(c, source, SpecLoader::load, Planner::plan, HostCheck.NONE,
                new InMemoryDaemon("fake"), () -> 0, Clock.systemUTC(), new Random(1))) {
            StatusServer server = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), loop, new WebhookAuth("s3cret"));
            loop.start();
            System.out.println("port " + server.address().getPort());
            System.out.flush();
            while (System.in.read() != -1) {
                // until the test closes our stdin (or dies)
            }
            server.close();
        }
    }
}
