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
    void aReconnectedEventStreamSkipsTheRemainingBackoff() {
        // Passes failed while the daemon restarted; its stream is back, so it answers again.
        for (int i = 0; i < 5; i++) {
            queue.finished(false, 0);
        }
        queue.request(Trigger.STREAM, 10, Duration.ZERO);
        PassQueue.Work w = queue.take(10);
        assertThat(w).isNotNull();
        assertThat(w.observe()).isTrue();
    }

    @Test
    void anEventStillWaitsForTheBackoff() {
        queue.finished(false, 0);
        queue.request(Trigger.EVENT, 10, Duration.ZERO);
        assertThat(queue.take(10)).isNull();
    }

    @Test
    void backoffIsCappedAndDeterministicForOneSeed() {
        Backoff a = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new Random(3));
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new Random(3));
        assertThat(a.delay(40)).isEqualTo(b.delay(40));
        assertThat(a.delay(40)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(5).plusSeconds(30));
        assertThat(a.delay(0)).isZero();
    }

    @Test
    void aFailedFetchDelaysFetchesOnlyNeverAPass() {
        queue.request(Trigger.INTERVAL, 0, Duration.ZERO);
        assertThat(queue.take(0).fetch()).isTrue();
        queue.fetched(false, 10);
        queue.finished(true, 10);
        long retry = 10 + queue.waitMillis(10);
        assertThat(retry - 10).as("a fetch retry after the fetch backoff").isBetween(1000L, 1100L);

        queue.request(Trigger.EVENT, 20, Duration.ofMillis(200));
        assertThat(queue.waitMillis(20)).as("the event is not delayed").isEqualTo(200);
        PassQueue.Work event = queue.take(220);
        assertThat(event.fetch()).as("the fetch still waits").isFalse();
        assertThat(queue.waitMillis(220)).as("and is asked for again when its backoff ends").isEqualTo(retry - 220);

        queue.request(Trigger.INTERVAL, 300, Duration.ZERO);
        assertThat(queue.take(300).fetch()).as("an interval inside the backoff does not fetch either").isFalse();
        PassQueue.Work again = queue.take(retry);
        assertThat(again.fetch()).isTrue();
        assertThat(again.triggers()).contains(Trigger.FETCH);

        queue.fetched(false, retry);
        assertThat(queue.fetchFailures()).isEqualTo(2);
        assertThat(queue.waitMillis(retry)).as("doubles").isBetween(2000L, 2200L);
        queue.fetched(true, retry + 5000);
        queue.request(Trigger.INTERVAL, retry + 5000, Duration.ZERO);
        assertThat(queue.take(retry + 5000).fetch()).isTrue();
        assertThat(queue.fetchFailures()).isZero();
    }

    @Test
    void aWebhookSkipsTheFetchBackoff() {
        queue.fetched(false, 0);
        queue.request(Trigger.WEBHOOK, 5, Duration.ZERO);
        assertThat(queue.take(5).fetch()).isTrue();
    }
}
