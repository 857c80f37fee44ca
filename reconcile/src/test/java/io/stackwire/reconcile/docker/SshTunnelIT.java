package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.DockerEvent;

import io.stackwire.reconcile.daemon.NetworkCreate;

import io.stackwire.reconcile.daemon.Subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.reconcile.LiveState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The ssh transport's plumbing against the real daemon, with {@code docker system dial-stdio} run
 * locally in place of ssh (the docker CLI's own remote half; SshRemoteIT adds a real sshd): many
 * connections at once (the observation's parallel inspects), the event stream beside them, and no
 * process left once the gateway is closed.
 */
class SshTunnelIT {

    /** A stand-in "ssh" that ignores its arguments and runs the remote half here. */
    private static final String MARK = "swtest-dial-" + Long.toHexString(System.nanoTime());
    private static final List<String> LOCAL = List.of("sh", "-c", "docker system dial-stdio", MARK);

    @Test
    void concurrentCallsAndTheEventStreamEachRideTheirOwnProcess() throws Exception {
        try (TestDocker docker = new TestDocker()) {
            for (int i = 0; i < 12; i++) {
                docker.create("c" + i, "none");
            }
            List<DockerEvent> events = new CopyOnWriteArrayList<>();
            DockerEndpoint e = new DockerEndpoint("ssh://nobody@remote.invalid", null, "DOCKER_HOST");
            // Without the fast socket reads: every call goes through docker-java's pool, concurrently.
            try (DockerJavaGateway gateway = DockerJavaGateway.forEndpoint(e, LOCAL, false);
                    Subscription sub = gateway.events(events::add)) {
                await().atMost(Duration.ofSeconds(10)).until(sub::connected);
                LiveState live = gateway.observe();
                for (int i = 0; i < 12; i++) {
                    assertThat(live.container(docker.name("c" + i))).isNotNull();
                }
                assertThat(gateway.describe()).startsWith("ssh://nobody@remote.invalid (API ");
                String net = docker.name("n");
                String id = gateway.createNetwork(new NetworkCreate(net, "bridge", false, false, false, null, null, null));
                await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(ev -> ev.actorName().equals(net)));
                // The stream plus kept connections of the pool: more than one process at once.
                assertThat(processes()).isGreaterThan(1);
                gateway.removeNetwork(id);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> processes() == 0);
        }
    }

    private static long processes() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "pgrep -f -- 'dial-stdio [" + MARK.charAt(0) + "]" + MARK.substring(1) + "' | wc -l").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return Long.parseLong(out);
    }
}
