package io.stackwire.reconcile.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Builds the transports behind {@link DaemonHttp} for a {@link DockerEndpoint}: a {@code unix://}
 * socket (read by {@link UnixSocketReads}, changed through zerodep), {@code tcp://} with or without
 * verified TLS ({@link PemTls}), and {@code ssh://} through a local socket of {@link SshTunnel}.
 */
final class Transports {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    /** The change client's pool: every inspect in flight, plus a few for changes beside them. */
    static final int CHANGE_CONNECTIONS = Observation.INSPECT_PARALLELISM + 4;

    private Transports() {}

    /**
     * The seam for {@code e}; an {@code ssh://} address runs {@code ssh} (the program and options
     * before the docker CLI's own) once per connection. Nothing is sent yet.
     *
     * @param socketReads whether a {@code unix://} daemon's GETs go through {@link UnixSocketReads}
     * @throws IllegalArgumentException when {@code e} does not make a usable configuration
     */
    static DaemonHttp open(DockerEndpoint e, List<String> ssh, boolean socketReads) {
        SshTunnel tunnel = null;
        try {
            String host = e.host();
            if (host.startsWith("ssh://")) {
                tunnel = new SshTunnel(host, ssh);
                host = tunnel.localHost();
            }
            // Not createDefaultConfigBuilder: it would read DOCKER_* and config.json again, its own way.
            DefaultDockerClientConfig.Builder b = new DefaultDockerClientConfig.Builder().withDockerHost(host);
            if (e.tlsDir() != null) {
                b.withCustomSslConfig(new PemTls(e.tlsDir()));
            }
            DockerClientConfig config = b.build();
            Path socket = socketReads ? UnixSocketReads.socketOf(config.getDockerHost().toString()) : null;
            UnixSocketReads reads = socket == null ? null : new UnixSocketReads(socket, RESPONSE_TIMEOUT);
            return new DaemonHttp(config, reads, e.describe(), tunnel);
        } catch (IOException | RuntimeException ex) {
            if (tunnel != null) {
                tunnel.close();
            }
            String why = Errors.oneLine(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
            throw new IllegalArgumentException("cannot use the Docker daemon address " + e.host()
                    + (e.source().equals(e.host()) ? "" : " (from " + e.source() + ")") + ": " + why, ex);
        }
    }

    /**
     * docker-java's zerodep transport to the configured daemon (plain, TLS, or the ssh tunnel's socket).
     *
     * @param responseTimeout false for the event stream, which may be idle for hours
     */
    static DockerHttpClient zerodep(DockerClientConfig config, int maxConnections, boolean responseTimeout) {
        ZerodepDockerHttpClient.Builder b = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(maxConnections)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout) {
            b.responseTimeout(RESPONSE_TIMEOUT);
        }
        return b.build();
    }
}
