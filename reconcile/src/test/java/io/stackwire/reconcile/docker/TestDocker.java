package io.stackwire.reconcile.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test-only setup against the real daemon, straight through docker-java (the code under test is
 * the gateway, not this). Every resource it makes is named {@code swtest-<random>-...} and
 * {@link #close()} removes all of them, containers first.
 */
public final class TestDocker implements AutoCloseable {

    /** Every resource a test makes starts with this; scripts/test removes leftovers by it. */
    public static final String PREFIX = "swtest-";

    public static final String IMAGE = System.getProperty("stackwire.test.image", "stackwire-test-busybox:latest");

    public final DockerClient client;
    public final String prefix;

    public TestDocker() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        this.client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig()).build());
        this.prefix = PREFIX + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "-";
        assertThat(client.listImagesCmd().withImageNameFilter(IMAGE).exec())
                .as("test image %s (scripts/test builds it with docker import; no registry is used)", IMAGE)
                .isNotEmpty();
    }

    public String name(String suffix) {
        return prefix + suffix;
    }

    /** A /24 in 10.213.128.0/17, the range the tests use for explicit subnets; the third octet. */
    public static int randomSubnetOctet() {
        return 128 + ThreadLocalRandom.current().nextInt(127);
    }

    /** Creates (not starts) a container that sleeps; {@code networkMode} null means the default bridge. */
    public String create(String suffix, String networkMode) {
        HostConfig host = HostConfig.newHostConfig();
        if (networkMode != null) {
            host.withNetworkMode(networkMode);
        }
        if (!"host".equals(networkMode)) {
            // Traffic rule: names Docker's embedded DNS does not know would go to the host's
            // resolvers; pointing the container at its own loopback keeps every lookup local.
            host.withDns("127.0.0.1").withDnsSearch(".");
        }
        return client.createContainerCmd(IMAGE).withName(name(suffix)).withCmd("sleep", "3600")
                .withHostConfig(host).exec().getId();
    }

    /** Creates and starts a container; returns its full ID. */
    public String run(String suffix, String networkMode) {
        String id = create(suffix, networkMode);
        client.startContainerCmd(id).exec();
        return id;
    }

    public record ExecResult(long exitCode, String output) {}

    /** Runs a command inside a running container and waits for it. */
    public ExecResult exec(String container, String... cmd) {
        String execId = client.execCreateCmd(container).withCmd(cmd).withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        StringBuilder out = new StringBuilder();
        try (ResultCallback.Adapter<Frame> cb = client.execStartCmd(execId).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }
        })) {
            if (!cb.awaitCompletion(30, TimeUnit.SECONDS)) {
                throw new AssertionError("command did not finish in 30 s: " + String.join(" ", cmd));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
        synchronized (out) {
            return new ExecResult(code == null ? -1 : code, out.toString());
        }
    }

    /**
     * Removes a test network. The daemon releases the endpoints of just-removed containers
     * asynchronously, so "has active endpoints" is retried for a few seconds. Docker 20.10 can
     * also keep an endpoint no container owns (seen once under heavy load); such a network is
     * reported on stderr and left for scripts/test's cleanup rather than failing the test, whose
     * own assertions already ran.
     */
    private void removeNetwork(String id, List<Throwable> errors) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.removeNetworkCmd(id).exec();
                return;
            } catch (NotFoundException gone) {
                return;
            } catch (RuntimeException e) {
                boolean busy = String.valueOf(e.getMessage()).contains("active endpoints");
                if (!busy) {
                    errors.add(e);
                    return;
                }
                if (attempt >= 20) {
                    System.err.println("TestDocker: network " + id + " still has an endpoint no container owns; left for cleanup: " + e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(250); // a retry's back-off after the daemon refused (not a poll of state the test waits for)
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    errors.add(ie);
                    return;
                }
            }
        }
    }

    /** Removes every container and network whose name starts with this run's prefix. */
    @Override
    public void close() {
        List<Throwable> errors = new ArrayList<>();
        for (Container c : client.listContainersCmd().withShowAll(true).exec()) {
            for (String n : c.getNames()) {
                if (n.startsWith("/" + prefix)) {
                    try {
                        client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                    } catch (NotFoundException gone) {
                        // already removed
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                    break;
                }
            }
        }
        for (Network n : client.listNetworksCmd().exec()) {
            if (n.getName().startsWith(prefix)) {
                removeNetwork(n.getId(), errors);
            }
        }
        try {
            client.close();
        } catch (IOException e) {
            errors.add(e);
        }
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError("cleanup of " + prefix + "* failed");
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

}
