package io.stackwire.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show what a running 'stackwire run' is doing: revision, last pass, held plan, errors.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--listen", paramLabel = "ADDR", defaultValue = "127.0.0.1:9090", converter = ListenAddress.class,
            description = "Where the controller listens (its --listen; default: ${DEFAULT-VALUE}).")
    InetSocketAddress listen;

    @Option(names = "--json", description = "Print the controller's JSON as it is.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
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
        b.append("Last success: ").append(text(s.path("lastSuccessAt"), "never")).append('\n');
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
            b.append(n.path("severity").asText()).append(": ").append(n.path("message").asText()).append('\n');
        }
        for (JsonNode e : s.path("errors")) {
            String file = e.path("file").asText("");
            String where = file.isEmpty() ? e.path("kind").asText()
                    : e.path("line").asInt() > 0 ? file + ":" + e.path("line").asInt() + ":" + e.path("column").asInt() : file;
            b.append("error: ").append(where).append(": ").append(e.path("message").asText());
            if (!e.path("hint").asText("").isEmpty()) {
                b.append(" (").append(e.path("hint").asText()).append(')');
            }
            if (!e.path("revision").asText("").isEmpty() && "spec".equals(e.path("kind").asText())) {
                b.append(" [revision ").append(e.path("revision").asText()).append(']');
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String text(JsonNode n, String otherwise) {
        String t = n.isMissingNode() || n.isNull() ? "" : n.asText("");
        return t.isEmpty() ? otherwise : t;
    }
}
