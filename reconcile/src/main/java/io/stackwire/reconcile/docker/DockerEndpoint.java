package io.stackwire.reconcile.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.reconcile.Normalizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which daemon to talk to and how, chosen the way the docker CLI chooses it.
 *
 * <p>The CLI's order (docker/cli {@code cli/command/cli.go}, {@code resolveContextName}), without
 * its {@code --host}/{@code --context} flags, which stackwire does not have: {@code DOCKER_HOST}
 * wins (the "default" context); else {@code DOCKER_CONTEXT}; else {@code currentContext} in
 * {@code config.json}; else the local socket. The config folder is {@code DOCKER_CONFIG}, else
 * {@code ~/.docker}. A context named {@code default} is the environment's endpoint.
 *
 * <p>TLS as the CLI does it: for the environment's endpoint, any non-empty {@code DOCKER_TLS_VERIFY}
 * (even "0") turns verification on, with {@code ca.pem}, {@code cert.pem} and {@code key.pem} from
 * {@code DOCKER_CERT_PATH}, else from the config folder; for a context, from
 * {@code contexts/tls/<sha256 of name>/docker/}. TLS without verifying the daemon's certificate
 * ({@code DOCKER_TLS} alone, a context's {@code SkipTLSVerify}) is refused: the transport always
 * checks the certificate and its host name, so it would fail later with a less useful message.
 *
 * @param host the daemon address: {@code unix://}, {@code tcp://} or {@code ssh://}
 * @param tlsDir the folder with {@code ca.pem} (and optionally {@code cert.pem}, {@code key.pem}) when
 *     a {@code tcp://} daemon is reached over verified TLS; null for plain TCP, sockets and ssh
 * @param source where the address came from, for messages: "DOCKER_HOST", "docker context 'x'", ...
 */
public record DockerEndpoint(String host, Path tlsDir, String source) {

    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    /** From this process's environment and the user's docker config folder. */
    public static DockerEndpoint fromEnvironment() {
        return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** From {@code env} (a command's environment) and the user's docker config folder. */
    public static DockerEndpoint fromEnvironment(Map<String, String> env) {
        return resolve(env, Path.of(System.getProperty("user.home")));
    }

    /**
     * The daemon address only, for deciding whether the daemon runs on this machine; falls back to
     * {@code DOCKER_HOST} when the configuration is unusable (building the gateway then says why).
     */
    public static String hostOfEnvironment() {
        return hostOf(System.getenv());
    }

    /** As {@link #hostOfEnvironment()}, for the environment {@code env}. */
    public static String hostOf(Map<String, String> env) {
        try {
            return fromEnvironment(env).host();
        } catch (IllegalArgumentException e) {
            return env.get("DOCKER_HOST");
        }
    }

    /**
     * The endpoint the docker CLI would use with {@code env} as its environment and {@code home} as
     * the user's home. Reads only the docker config folder.
     *
     * @throws IllegalArgumentException naming the variable or file at fault and what to do
     */
    static DockerEndpoint resolve(Map<String, String> env, Path home) {
        Path config = set(env.get("DOCKER_CONFIG")) ? Path.of(env.get("DOCKER_CONFIG")) : home.resolve(".docker");
        if (set(env.get("DOCKER_HOST"))) {
            return fromVariables(env.get("DOCKER_HOST").strip(), env, config, "DOCKER_HOST");
        }
        String name;
        String from;
        if (set(env.get("DOCKER_CONTEXT"))) {
            name = env.get("DOCKER_CONTEXT").strip();
            from = "DOCKER_CONTEXT=" + name;
        } else {
            name = currentContext(config.resolve("config.json"));
            from = "currentContext '" + name + "' in " + config.resolve("config.json");
        }
        if (name == null || name.isEmpty() || name.equals("default")) {
            return fromVariables(DEFAULT_HOST, env, config, "the default socket");
        }
        return context(name, config, from);
    }

    /** The "default" context: the address plus the TLS variables. */
    private static DockerEndpoint fromVariables(String host, Map<String, String> env, Path config, String source) {
        if (!host.startsWith("tcp://")) {
            return new DockerEndpoint(host, null, source); // TLS variables mean nothing for a socket or ssh
        }
        if (set(env.get("DOCKER_TLS_VERIFY"))) {
            Path certs = set(env.get("DOCKER_CERT_PATH")) ? Path.of(env.get("DOCKER_CERT_PATH")) : config;
            String certSource = set(env.get("DOCKER_CERT_PATH")) ? "DOCKER_CERT_PATH=" + certs : "DOCKER_CERT_PATH (unset, so " + certs + ")";
            requireCa(certs, certSource, "DOCKER_TLS_VERIFY is set");
            return new DockerEndpoint(withDefaultPort(host, true), certs, source);
        }
        if (set(env.get("DOCKER_TLS"))) {
            throw new IllegalArgumentException("DOCKER_TLS is set without DOCKER_TLS_VERIFY: stackwire does not talk TLS"
                    + " to a daemon whose certificate it cannot verify; set DOCKER_TLS_VERIFY=1 and put the daemon's CA"
                    + " certificate in DOCKER_CERT_PATH/ca.pem");
        }
        return new DockerEndpoint(withDefaultPort(host, false), null, source);
    }

    /**
     * {@code tcp://host} without a port means the docker CLI's default: 2376 with TLS, 2375 without.
     * IPv6 literals keep their brackets ({@code tcp://[::1]} becomes {@code tcp://[::1]:2375}).
     */
    static String withDefaultPort(String host, boolean tls) {
        if (!host.startsWith("tcp://")) {
            return host;
        }
        String rest = host.substring("tcp://".length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        boolean hasPort = authority.startsWith("[") ? authority.contains("]:") : authority.contains(":");
        if (hasPort || authority.isEmpty()) {
            return host;
        }
        return "tcp://" + authority + (tls ? ":2376" : ":2375") + path;
    }

    private static DockerEndpoint context(String name, Path config, String from) {
        String id = sha256(name);
        Path meta = config.resolve("contexts").resolve("meta").resolve(id).resolve("meta.json");
        if (!Files.isRegularFile(meta)) {
            throw new IllegalArgumentException(from + ": no such Docker context (no " + meta + "); list the contexts with"
                    + " 'docker context ls' and pick one with DOCKER_CONTEXT or 'docker context use NAME'");
        }
        JsonNode docker = readJson(meta).path("Endpoints").path("docker");
        String host = docker.path("Host").asText("");
        String source = "docker context '" + name + "'";
        if (host.isEmpty()) {
            throw new IllegalArgumentException(meta + ": the Docker context '" + name + "' has no Endpoints.docker.Host;"
                    + " recreate it with 'docker context create " + name + " --docker host=ADDRESS'");
        }
        Path tls = config.resolve("contexts").resolve("tls").resolve(id).resolve("docker");
        if (!host.startsWith("tcp://") || !Files.isDirectory(tls)) {
            return new DockerEndpoint(withDefaultPort(host, false), null, source);
        }
        if (docker.path("SkipTLSVerify").asBoolean(false)) {
            throw new IllegalArgumentException(meta + ": the Docker context '" + name + "' has SkipTLSVerify: stackwire"
                    + " does not talk TLS to a daemon whose certificate it cannot verify; give the context the daemon's CA"
                    + " ('docker context update " + name + " --docker ca=FILE,skip-tls-verify=false')");
        }
        requireCa(tls, "the TLS folder of docker context '" + name + "' (" + tls + ")", "it has TLS material");
        return new DockerEndpoint(withDefaultPort(host, true), tls, source);
    }

    private static void requireCa(Path dir, String what, String why) {
        if (!Files.isRegularFile(dir.resolve("ca.pem"))) {
            throw new IllegalArgumentException(why + " but " + what + " has no ca.pem; put the daemon's CA certificate"
                    + " there as ca.pem (and the client's as cert.pem and key.pem)");
        }
    }

    private static String currentContext(Path configJson) {
        if (!Files.isRegularFile(configJson)) {
            return null;
        }
        return readJson(configJson).path("currentContext").asText("");
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read this docker CLI file (" + Errors.oneLine(e.getMessage())
                    + "); fix or remove it", e);
        }
    }

    /** The folder name the docker CLI gives a context: the hex SHA-256 of its name. */
    static String sha256(String name) {
        return Normalizer.sha256Hex(name);
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }

    /** The address as messages show it: the context's name when it came from one. */
    String describe() {
        return source.startsWith("docker context") ? host + " (" + source + ")" : host;
    }
}
