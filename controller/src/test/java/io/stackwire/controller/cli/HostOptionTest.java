package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code --host} names a spec host: daemon addresses and names without an overlay are refused. */
class HostOptionTest {

    private static final String MULTI_HOST = Path.of("..", "examples", "multi-host").toString();

    @ParameterizedTest
    @CsvSource({
        "tcp://10.0.0.5:2376, DOCKER_HOST=tcp://10.0.0.5:2376",
        "unix:///var/run/docker.sock, DOCKER_HOST=unix:///var/run/docker.sock",
        "ssh://ops@edge-1, DOCKER_HOST=ssh://ops@edge-1",
        "edge-1:2375, DOCKER_HOST=tcp://edge-1:2375",
        "/var/run/docker.sock, DOCKER_HOST=unix:///var/run/docker.sock"})
    void refusesADaemonAddressAndPointsToDockerHost(String value, String advice) {
        for (String command : new String[] {"validate", "plan", "apply", "destroy", "run", "status"}) {
            RealCli.Run r = RealCli.run(command, MULTI_HOST, "--host", value);

            assertThat(r.exit()).as(command).isEqualTo(ExitCodes.ERROR);
            assertThat(r.err()).as(command)
                    .startsWith("error: Invalid value for option '--host': '" + value + "' looks like a Docker daemon address")
                    .contains(advice, "Try 'stackwire " + command + " --help'");
            assertThat(r.out()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"host-a", "edge-1.example.org", "HOST-B"})
    void acceptsHostNames(String value) {
        assertThat(HostName.check(value)).isEqualTo(value);
    }

    @Test
    void aHostWithoutOverlayIsAnErrorListingTheKnownHosts() {
        RealCli.Run r = RealCli.run("validate", MULTI_HOST, "--host", "host-c");

        assertThat(r.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.out() + r.err()).contains("hosts: error: host 'host-c' has no overlay file, and the spec has overlays for:"
                + " host-a, host-b (did you mean 'host-a'?").doesNotContain("undefined").contains("Invalid: 1 error,");
    }

    @Test
    void aKnownHostValidates() {
        RealCli.Run r = RealCli.run("validate", MULTI_HOST, "--host", "host-b");

        assertThat(r.exit()).as(r.err()).isZero();
    }
}
