package io.stackwire.reconcile.docker;

import io.stackwire.reconcile.daemon.DockerEvent;

import io.stackwire.reconcile.daemon.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The stream's reconnect loop against a daemon that stays down (no Docker involved). */
class EventStreamTest {

    @Test
    void anOutageIsReportedOnceHoweverManyReconnectsFail() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger reported = new AtomicInteger();
        Supplier<DockerClient> down = () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("cannot reach the daemon");
        };
        EventListener listener = new EventListener() {
            @Override
            public void onEvent(DockerEvent event) {}

            @Override
            public void onDisconnected(String why, long retryInMillis) {
                reported.incrementAndGet();
            }
        };
        EventStream stream = new EventStream(down, listener, () -> {}).start();
        try {
            // 0, 250 ms, 750 ms, 1.75 s, 2.75 s: five attempts in under 3 s with the 1 s cap.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> attempts.get() >= 5);
            assertThat(attempts.get()).isGreaterThanOrEqualTo(5);
            assertThat(reported).hasValue(1);
            assertThat(stream.connected()).isFalse();
        } finally {
            stream.close();
        }
    }
}
