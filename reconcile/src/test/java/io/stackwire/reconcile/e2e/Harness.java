package io.stackwire.reconcile.e2e;

import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.DesiredState;
import io.stackwire.model.yaml.LoadResult;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.apply.ApplyResult;
import io.stackwire.reconcile.apply.Executor;
import io.stackwire.reconcile.apply.ProgressListener;
import io.stackwire.reconcile.docker.DockerJavaGateway;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.docker.TestDocker;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.plan.Planner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole engine against the real daemon: a spec folder written by the test, loaded, planned
 * against a fresh observation and applied. {@code {{p}}} in spec text becomes the test's unique
 * resource prefix and {@code {{o}}} a free-looking third octet in 10.213.128.0/17.
 */
final class Harness implements AutoCloseable {

    final TestDocker docker = new TestDocker();
    final DockerJavaGateway gateway = DockerJavaGateway.fromEnvironment();
    final Path dir;
    final int octet = 128 + ThreadLocalRandom.current().nextInt(126);

    Harness() {
        try {
            dir = Files.createTempDirectory("swtest-spec");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String p(String name) {
        return docker.name(name);
    }

    /**
     * Writes (or overwrites) one spec file; {{p}} and {{o}} are expanded, and stack names get the
     * test's prefix too: pruning is scoped by stack, so two tests' stacks must never share a name.
     */
    Harness spec(String file, String yaml) {
        String text = yaml.replace("{{p}}", docker.prefix).replace("{{o}}", Integer.toString(octet))
                .replaceAll("(?m)^stack: (\\S+)", "stack: " + docker.prefix + "$1");
        try {
            Files.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    DesiredState desired() {
        LoadResult r = SpecLoader.load(dir, "swtest-host");
        assertThat(r.hasErrors()).as("spec errors: %s", r.diagnostics()).isFalse();
        return r.state();
    }

    LiveState observe() throws GatewayException {
        return gateway.observe();
    }

    /** The last plan and the observation it was made from, which {@link #applyPlan} hands on like the CLI does. */
    private Plan lastPlan;
    private LiveState lastObserved;

    Plan plan() throws GatewayException {
        DesiredState d = desired();
        return plan(d, PlanPolicy.from(d.policy()));
    }

    Plan plan(PlanPolicy policy) throws GatewayException {
        return plan(desired(), policy);
    }

    private Plan plan(DesiredState d, PlanPolicy policy) throws GatewayException {
        LiveState live = observe();
        Plan plan = Planner.plan(d, live, policy);
        lastPlan = plan;
        lastObserved = live;
        return plan;
    }

    /** Plans and applies; asserts that everything converged. */
    ApplyResult apply() throws GatewayException {
        return applyPlan(plan());
    }

    ApplyResult applyPlan(Plan plan) {
        LiveState observed = plan == lastPlan ? lastObserved : null;
        ApplyResult result = new Executor(gateway, Executor.DEFAULT_PARALLELISM).applyFresh(plan, observed, ProgressListener.NONE);
        assertThat(result.converged()).as("apply result: %s", result.results()).isTrue();
        return result;
    }

    /** True when {@code name} resolves inside {@code from} (through Docker's embedded DNS). */
    boolean resolves(String from, String name) {
        return docker.exec(from, "nslookup", name).exitCode() == 0;
    }

    String resolve(String from, String name) {
        TestDocker.ExecResult r = docker.exec(from, "nslookup", name);
        assertThat(r.exitCode()).as("nslookup %s in %s: %s", name, from, r.output()).isZero();
        return r.output();
    }

    boolean pings(String from, String name) {
        return docker.exec(from, "ping", "-c1", "-W3", name).exitCode() == 0;
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            docker.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir; nothing to report
            }
        }
    }

    /** One plain HTTP GET to a port published by the tests' own containers; the answer, or {@code error: ...}. */
    static String httpGet(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "error: " + e.getMessage();
        }
    }
}
