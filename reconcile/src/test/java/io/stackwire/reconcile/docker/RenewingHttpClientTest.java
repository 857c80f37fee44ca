package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Renewal bookkeeping with fake transports (no sockets). */
class RenewingHttpClientTest {

    /** A transport that answers 200 to everything and remembers whether it was closed. */
    private static final class Fake implements DockerHttpClient {
        final int n;
        boolean closed;
        int requests;

        Fake(int n) {
            this.n = n;
        }

        @Override
        public Response execute(Request request) {
            requests++;
            return new Response() {
                @Override
                public int getStatusCode() {
                    return 200;
                }

                @Override
                public Map<String, List<String>> getHeaders() {
                    return Map.of();
                }

                @Override
                public InputStream getBody() {
                    return new ByteArrayInputStream(new byte[0]);
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<Fake> made = new ArrayList<>();
    private final RenewingHttpClient client = new RenewingHttpClient(() -> {
        Fake f = new Fake(made.size());
        made.add(f);
        return f;
    });

    private static DockerHttpClient.Request get() {
        return DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path("/x").build();
    }

    @Test
    void aRenewalDoesNotCloseATransportUnderARunningRequest() throws Exception {
        DockerHttpClient.Response running = client.execute(get());

        client.renew(); // the event stream reconnected while a response was still being read

        assertThat(made.get(0).closed).as("closed under a running request").isFalse();
        running.close();
        assertThat(made.get(0).closed).isTrue();
        client.execute(get()).close();
        assertThat(made.get(1).requests).isEqualTo(1);
        client.close();
        assertThat(made.get(1).closed).isTrue();
    }

    @Test
    void anIdleTransportIsClosedAtOnceWhenRenewed() {
        client.execute(get()).close();

        client.renew();

        assertThat(made.get(0).closed).isTrue();
        assertThat(client.renewals()).isEqualTo(1);
    }
}
