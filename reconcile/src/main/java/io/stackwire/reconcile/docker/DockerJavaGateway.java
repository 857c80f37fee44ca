package io.stackwire.reconcile.docker;

/** The docker-java implementation of {@link DockerGateway}. */
public final class DockerJavaGateway {

    private DockerJavaGateway() {}

    /** Connects like the docker CLI: DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, else the local socket. */
    public static DockerGateway fromEnvironment() {
        // Placeholder until the adapter lands (reconcile engine issue).
        throw new IllegalStateException("docker gateway not available yet");
    }
}
