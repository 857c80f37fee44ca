package io.stackwire.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PassQueueTest {

    private final PassQueue queue = new PassQueue(new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new Random(7)));

    @Test
    void nothingPendingMeansNoPass() {
        assertThat(queue.waitMillis(0)).isEqualTo(-1);
        assertThat(queue.take(0)).isNull();
    }

    @Test
    void requestsDuringAPassCoalesceIntoOneFollowUp() {
        queue.request(Trigger.START, 0, Duration.ZERO);
        assertThat(queue.take(0).triggers()).containsExactly(Trigger.START);
        // the pass runs; meanwhile three requests arrive
        queue.request(Trigger.EVENT, 10, Duration.ZERO);
        queue.request(Trigger.INTERVAL, 11, Duration.ZERO);
        queue.request(Trigger.EVENT, 12, Duration.ZERO);
        queue.finished(true, 20);

        PassQueue.Work next = queue.take(20);
        assertThat(next.triggers()).containsExactlyInAnyOrder(Trigger.EVENT, Trigger.INTERVAL);
        assertThat(next.fetch()).isTrue();
        assertThat(queue.take(20)).isNull();
    }

    @Test
    void eventBurstsAreDebouncedButNeverPostponeAnEarlierRequest() {
        queue.request(Trigger.EVENT, 0, Duration.ofMillis(200));
        queue.request(Trigger.EVENT, 150, Duration.ofMillis(200));
        assertThat(queue.waitMillis(150)).isEqualTo(50);
        assertThat(queue.take(199)).isNull();
        PassQueue.Work w = queue.take(200);
        assertThat(w.fetch()).as("events do not fetch the source").isFalse();
        assertThat(w.observe()).isFalse();
    }

    @Test
    void failuresBackOffExponentiallyWithJitterAndSuccessResets() {
        queue.finished(false, 0);
        assertThat(queue.notBefore()).isBetween(1000L, 1100L);
        queue.finished(false, 0);
        assertThat(queue.notBefore()).isBetween(2000L, 2200L);
        queue.finished(false, 0);
        assertThat(queue.notBefore()).isBetween(4000L, 4400L);
        queue.request(Trigger.RETRY, 0, Duration.ZERO);
        assertThat(queue.take(3999)).isNull();

        queue.finished(true, 5000);
        assertThat(queue.failures()).isZero();
        assertThat(queue.take(5000)).isNotNull();
    }

    @Test
    void aWebhookSkipsTheRemainingBackoff() {
        queue.finished(false, 0);
        queue.request(Trigger.WEBHOOK, 10, Duration.ZERO);
        assertThat(queue.take(10).fetch()).isTrue();
    }

    @Test
    void backoffIsCappedAndDeterministicForOneSeed() {
        Backoff a = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new Random(3));
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new Random(3));
        assertThat(a.delay(40)).isEqualTo(b.delay(40));
        assertThat(a.delay(40)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(5).plusSeconds(30));
        assertThat(a.delay(0)).isZero();
    }
}
