package io.stackwire.controller.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/sick", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void healthyOnA2xx() {
        assertThat(HealthProbe.check(url("/healthz"))).isTrue();
    }

    @Test
    void unhealthyOnAnErrorStatusNothingListeningOrABadUrl() {
        assertThat(HealthProbe.check(url("/sick"))).isFalse();
        int port = server.getAddress().getPort();
        server.stop(0);
        assertThat(HealthProbe.check("http://127.0.0.1:" + port + "/healthz")).isFalse();
        assertThat(HealthProbe.check("not a url")).isFalse();
    }
}
