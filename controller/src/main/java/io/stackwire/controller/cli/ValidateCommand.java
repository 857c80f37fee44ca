package io.stackwire.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Diagnostic;
import io.stackwire.model.yaml.LoadResult;
import java.io.PrintWriter;
import io.stackwire.controller.source.Snapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Check a spec folder and report every error and warning as file:line:col. Touches no daemon.")
final class ValidateCommand extends SpecSubcommand {

    enum Format { text, json }

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Spec folder (default: the current directory; or use --repo).")
    Path path;

    @Option(names = "--host", paramLabel = "NAME", converter = HostName.class, description = "Validate as this host's overlay sees the spec (default: this machine's hostname).")
    String host;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    PublicPortsOption publicPorts = new PublicPortsOption();

    @Option(names = "--strict", description = "Warnings fail too.")
    boolean strict;

    ValidateCommand(Env env) {
        super(env);
    }

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        Snapshot snapshot = SpecInput.fetch(source, path, "PATH", env, spec.commandLine().getErr());
        if (snapshot == null) {
            return ExitCodes.ERROR;
        }
        LoadResult result = env.workflow().validate(snapshot, host, publicPorts.deny);
        if (env.debug()) {
            // Why a YAML file was not read as a stack file; on stderr, so stdout stays the report.
            result.skipped().forEach(k -> spec.commandLine().getErr().println("debug: skipped " + k.file() + ": " + k.reason()));
        }
        List<Diagnostic> errors = result.diagnostics().stream().filter(Diagnostic::isError).toList();
        List<Diagnostic> warnings = result.diagnostics().stream().filter(d -> !d.isError()).toList();
        boolean valid = errors.isEmpty() && (!strict || warnings.isEmpty());
        if (format == Format.json) {
            out.print(json(snapshot, valid, errors, warnings, result.skipped()));
        } else {
            result.diagnostics().forEach(out::println);
            out.println(summary(valid, errors.size(), warnings.size(), result.state())
                    + (snapshot.isLocal() ? "" : " (commit " + snapshot.revision() + ")"));
        }
        return valid ? ExitCodes.OK : ExitCodes.ERROR;
    }

    private String summary(boolean valid, int errors, int warnings, DesiredState state) {
        String counts = Errors.count(errors, "error") + ", " + Errors.count(warnings, "warning");
        if (!valid) {
            return "Invalid: " + counts + (errors == 0 && strict ? " (warnings fail under --strict)." : ".");
        }
        String what = state == null ? "" : " " + Errors.count(state.stacks().size(), "stack") + ", "
                + Errors.count(state.networks().size(), "network") + ", "
                + Errors.count(state.containers().size(), "container") + " for host " + state.host() + ";";
        return "Valid:" + what + " " + counts + ".";
    }

    private String json(Snapshot snapshot, boolean valid, List<Diagnostic> errors, List<Diagnostic> warnings,
            List<LoadResult.Skipped> skipped) throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("valid", valid);
        root.put("strict", strict);
        if (!snapshot.isLocal()) {
            root.put("revision", snapshot.revision());
        }
        fill(root.putArray("errors"), errors);
        fill(root.putArray("warnings"), warnings);
        ArrayNode skippedArray = root.putArray("skipped");
        for (LoadResult.Skipped k : skipped) {
            skippedArray.addObject().put("file", k.file()).put("reason", k.reason());
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    private static void fill(ArrayNode array, List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            ObjectNode n = array.addObject();
            n.put("file", d.source().file());
            n.put("line", d.source().line());
            n.put("column", d.source().column());
            n.put("code", d.code());
            n.put("severity", d.severity().name().toLowerCase(Locale.ROOT));
            n.put("message", d.message());
            n.put("hint", d.hint());
        }
    }
}
