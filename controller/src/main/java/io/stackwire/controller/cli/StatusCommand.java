package io.stackwire.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stackwire.controller.loop.ContainerViews;
import io.stackwire.controller.loop.LoopStatus;
import io.stackwire.controller.source.Snapshot;
import io.stackwire.model.DesiredState;
import io.stackwire.model.yaml.LoadResult;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.GatewayException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", description = {
            "Show what a running 'stackwire run' is doing: revision, last pass, held plan, errors, and each spec'd"
                    + " container's networks, aliases and ports.",
            "When no controller answers, shows the spec's containers as the daemon has them (spec from PATH or --repo;"
                    + " default: the current directory if it holds *.yaml files), and exits 1."
        })
final class StatusCommand extends SpecSubcommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Spec folder, read only when no controller answers (default: the current directory; or use --repo).")
    Path path;

    @Option(names = "--host", paramLabel = "NAME", converter = HostName.class, description = "Host overlay when reading the daemon directly (default: this machine's hostname).")
    String host;

    StatusCommand(Env env) {
        super(env);
    }

    @Option(names = "--listen", paramLabel = "ADDR", defaultValue = "127.0.0.1:9090", converter = ListenAddress.class,
            description = "Where the controller listens (its --listen; default: ${DEFAULT-VALUE}).")
    InetSocketAddress listen;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json: the controller's JSON as it is (default: ${DEFAULT-VALUE}).")
    ValidateCommand.Format format;

    /** The spelling before --format existed; kept so scripts that use it keep working. */
    @Option(names = "--json", hidden = true)
    boolean legacyJson;

    @Override
    public Integer call() throws InterruptedException {
        boolean json = legacyJson || format == ValidateCommand.Format.json;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String url = "http://" + ListenAddress.format(listen) + "/status";
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build().send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("error: no controller answers at " + url + " (" + Errors.oneLine(e) + ")");
            err.println("  Is 'stackwire run' running? Pass its --listen address.");
            if (path != null || source.git() || hasSpecFiles(Path.of("."))) {
                direct(out, err, json);
            }
            return ExitCodes.ERROR;
        }
        if (response.statusCode() != 200) {
            err.println("error: " + url + " answered HTTP " + response.statusCode());
            return ExitCodes.ERROR;
        }
        if (json) {
            out.print(response.body());
            return ExitCodes.OK;
        }
        JsonNode s;
        try {
            s = new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            err.println("error: " + url + " did not answer with status JSON: " + Errors.oneLine(e));
            return ExitCodes.ERROR;
        }
        out.print(render(s));
        return s.path("errors").isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
    }

    private static boolean hasSpecFiles(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".yaml"));
        } catch (IOException e) {
            return false;
        }
    }

    /** What status can tell without a controller: the spec's containers as the daemon has them now. */
    record Direct(String host, String revision, String daemon, List<LoopStatus.ContainerView> containers) {}

    private void direct(PrintWriter out, PrintWriter err, boolean json) {
        Snapshot snapshot = SpecInput.fetch(source, path, "PATH", env, err);
        if (snapshot == null) {
            return;
        }
        LoadResult load = Workflow.stamped(env.workflow().load(snapshot.root(), host), snapshot);
        if (load.hasErrors() || load.state() == null) {
            Errors.diagnostics(err, load.diagnostics());
            return;
        }
        DesiredState desired = load.state();
        try (Workflow.Session session = env.workflow().session()) {
            LiveState live;
            try {
                live = session.gateway().observe();
            } catch (GatewayException e) {
                Errors.daemon(err, session.describe(), e);
                return;
            }
            Direct d = new Direct(desired.host(), desired.revision(), session.describe(), ContainerViews.of(desired, live));
            if (json) {
                try {
                    out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(d));
                } catch (JsonProcessingException e) {
                    err.println("error: cannot render status: " + Errors.oneLine(e));
                }
                return;
            }
            out.println("No controller; read directly from the daemon at " + d.daemon() + " for host " + d.host());
            out.println("Spec: " + d.revision());
            out.print(renderContainers(new ObjectMapper().valueToTree(d.containers())));
        }
    }

    /** The spec'd containers: state, networks with aliases, ports wanted and published, drift. */
    static String renderContainers(JsonNode containers) {
        StringBuilder b = new StringBuilder();
        if (containers.isEmpty()) {
            return "";
        }
        b.append("Containers:\n");
        for (JsonNode c : containers) {
            b.append("  ").append(c.path("name").asText()).append(" (").append(c.path("state").asText()).append(")\n");
            List<String> nets = new ArrayList<>();
            for (JsonNode n : c.path("networks")) {
                List<String> aliases = new ArrayList<>();
                n.path("aliases").forEach(a -> aliases.add(a.asText()));
                nets.add(n.path("network").asText() + (aliases.isEmpty() ? "" : " [" + String.join(", ", aliases) + "]")
                        + (n.path("attached").asBoolean() ? "" : " (not attached)"));
            }
            b.append("    networks:  ").append(nets.isEmpty() ? "none" : String.join(", ", nets)).append('\n');
            JsonNode ports = c.path("ports");
            b.append("    ports:     ").append(ports.isNull() || ports.isMissingNode() ? "not managed by the spec" : list(ports)).append('\n');
            b.append("    published: ").append(list(c.path("published"))).append('\n');
            if (!c.path("portsDrift").isNull() && !c.path("portsDrift").asText("").isEmpty()) {
                b.append("    DRIFT: ").append(c.path("portsDrift").asText()).append('\n');
            }
        }
        return b.toString();
    }

    private static String list(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asText()));
        return items.isEmpty() ? "none" : String.join(", ", items);
    }

    /** The status JSON as a few readable lines. */
    static String render(JsonNode s) {
        StringBuilder b = new StringBuilder();
        b.append("Controller ").append(s.path("instanceId").asText()).append(" for host ").append(s.path("host").asText())
                .append(s.path("running").asBoolean() ? " (running" : " (stopped")
                .append(s.path("dryRun").asBoolean() ? ", dry run" : "")
                .append(s.path("eventsConnected").asBoolean() ? ", events connected)" : ", events NOT connected)").append('\n');
        b.append("Source:   ").append(s.path("source").asText()).append('\n');
        b.append("Revision: ").append(text(s.path("revision"), "none valid yet"));
        String fetched = s.path("fetchedRevision").asText("");
        if (!fetched.isEmpty() && !fetched.equals(s.path("revision").asText())) {
            b.append(" (latest fetched: ").append(fetched).append(", rejected)");
        }
        b.append('\n');
        JsonNode p = s.path("lastPass");
        if (p.isObject()) {
            b.append("Last pass: ").append(p.path("outcome").asText()).append(", ")
                    .append(p.path("applied").asInt()).append('/').append(p.path("steps").asInt()).append(" step(s) applied, ")
                    .append(p.path("millis").asLong()).append(" ms, at ").append(p.path("startedAt").asText())
                    .append(" ").append(p.path("triggers")).append('\n');
            if (!p.path("message").asText("").isEmpty()) {
                b.append("  ").append(p.path("message").asText()).append('\n');
            }
        } else {
            b.append("Last pass: none yet\n");
        }
        if (p.isObject()) {
            b.append("Converged: ").append(s.path("converged").asBoolean() ? "yes" : "no").append('\n');
        }
        b.append("Last success: ").append(text(s.path("lastSuccessAt"), "never")).append('\n');
        if (!s.path("fetchFailingSince").asText("").isEmpty()) {
            // Git is down: the controller still enforces the revision above; only new commits wait.
            b.append("Fetch: FAILING since ").append(s.path("fetchFailingSince").asText()).append(" (")
                    .append(s.path("consecutiveFetchFailures").asInt()).append(" in a row, last success ")
                    .append(text(s.path("lastFetchAt"), "never")).append("); revision above still enforced\n");
        }
        if (!s.path("held").asText("").isEmpty()) {
            b.append("HELD: ").append(s.path("held").asText()).append('\n');
        }
        if (!s.path("lastApply").asText("").isEmpty()) {
            b.append("Last apply: ").append(s.path("lastApply").asText()).append('\n');
        }
        if (!s.path("pendingContainers").isEmpty()) {
            b.append("Waiting for containers:");
            s.path("pendingContainers").forEach(c -> b.append(' ').append(c.asText()));
            b.append('\n');
        }
        for (JsonNode n : s.path("notices")) {
            if (!"error".equals(n.path("severity").asText())) { // error notices are listed below, with their hints
                b.append(n.path("severity").asText()).append(": ").append(n.path("message").asText()).append('\n');
            }
        }
        for (JsonNode e : s.path("errors")) {
            String file = e.path("file").asText("");
            String subject = e.path("subject").asText("");
            String where = !file.isEmpty()
                    ? e.path("line").asInt() > 0 ? file + ":" + e.path("line").asInt() + ":" + e.path("column").asInt() : file
                    : !subject.isEmpty() ? subject : e.path("kind").asText();
            b.append("error: ").append(where).append(": ").append(e.path("message").asText());
            if (!e.path("code").asText("").isEmpty()) {
                b.append(" [").append(e.path("code").asText()).append(']');
            }
            if (!e.path("hint").asText("").isEmpty()) {
                b.append(" (").append(e.path("hint").asText()).append(')');
            }
            if (!e.path("revision").asText("").isEmpty() && "spec".equals(e.path("kind").asText())) {
                b.append(" [revision ").append(e.path("revision").asText()).append(']');
            }
            b.append('\n');
        }
        b.append(renderContainers(s.path("containers")));
        return b.toString();
    }

    private static String text(JsonNode n, String otherwise) {
        String t = n.isMissingNode() || n.isNull() ? "" : n.asText("");
        return t.isEmpty() ? otherwise : t;
    }
}
