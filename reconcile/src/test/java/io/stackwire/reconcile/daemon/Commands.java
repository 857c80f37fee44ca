package io.stackwire.reconcile.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Host commands for integration tests ({@code ip}, {@code docker -H …}, {@code openssl}): output and
 * errors together, 120 s at the most. {@code DOCKER_HOST} and {@code DOCKER_CONTEXT} are dropped from
 * the environment, so a command reaches only the daemon it names.
 */
public final class Commands {

    /** Whether the command exited 0, and what it printed (stdout and stderr), stripped. */
    public record Result(boolean ok, String out) {}

    private Commands() {}

    public static Result run(List<String> command) {
        return run(Map.of(), command);
    }

    public static Result run(Map<String, String> env, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().remove("DOCKER_HOST");
            pb.environment().remove("DOCKER_CONTEXT");
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(false, "timed out: " + out);
            }
            return new Result(p.exitValue() == 0, out.strip());
        } catch (IOException e) {
            return new Result(false, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
    }

    /** Its output; an {@link AssertionError} with the output when it fails. */
    public static String must(List<String> command) {
        return must(Map.of(), command);
    }

    public static String must(Map<String, String> env, List<String> command) {
        Result r = run(env, command);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + " failed: " + r.out());
        }
        return r.out();
    }
}
