package io.stackwire.controller.cli;

import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.render.JsonPlan;
import io.stackwire.reconcile.render.LiveStateFormatException;
import io.stackwire.reconcile.render.LiveStateJson;
import io.stackwire.reconcile.render.MarkdownPlan;
import io.stackwire.reconcile.render.TextPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import io.stackwire.controller.source.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = "Compare the spec with the live daemon and show what apply would change. Changes nothing.")
final class PlanCommand extends SpecSubcommand {

    enum Format { text, json, markdown }

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Spec folder (default: the current directory; or use --repo).")
    Path path;

    @Option(names = "--host", paramLabel = "NAME", converter = HostName.class, description = "Host overlay to plan for (default: this machine's hostname).")
    String host;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text, json or markdown (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--detailed-exitcode", description = "Exit 2 when the plan has changes (0 none, 1 error).")
    boolean detailedExitCode;

    @Option(names = "--out", paramLabel = "FILE", description = "Also save the plan as JSON, to apply exactly it later: stackwire apply FILE.")
    Path outFile;

    @Option(names = "--live-state", paramLabel = "FILE",
            description = "Plan against a snapshot written by export-state instead of the daemon; never contacts Docker.")
    Path liveStateFile;

    @Mixin
    PublicPortsOption publicPorts = new PublicPortsOption();

    @Option(names = "--no-color", description = "No ANSI colours (also off when stdout is not a terminal or NO_COLOR is set).")
    boolean noColor;

    PlanCommand(Env env) {
        super(env);
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Snapshot snapshot = SpecInput.fetch(source, path, "PATH", env, err);
        if (snapshot == null) {
            return ExitCodes.ERROR;
        }
        LiveState recorded = null;
        if (liveStateFile != null) {
            try {
                recorded = LiveStateJson.read(liveStateFile);
            } catch (LiveStateFormatException e) {
                err.println("error: " + liveStateFile + ": " + e.getMessage());
                return ExitCodes.ERROR;
            }
        }
        try (Workflow.Session session = env.workflow().session()) {
            Workflow.Planned planned;
            try {
                // With a recorded live state the session's gateway is never opened: Docker is never contacted.
                planned = recorded != null
                        ? env.workflow().plan(snapshot, host, s -> PlanPolicy.from(s.policy()), publicPorts.deny, recorded)
                        : env.workflow().plan(session, snapshot, host, s -> PlanPolicy.from(s.policy()), publicPorts.deny);
            } catch (GatewayException e) {
                return Errors.daemon(err, session.describe(), e);
            }
            if (!planned.ok()) {
                return Errors.diagnostics(err, planned.load().diagnostics());
            }
            Errors.warnings(err, planned.load().diagnostics());
            Plan plan = planned.plan();
            switch (format) {
                case json -> out.print(JsonPlan.write(plan));
                case markdown -> out.print(MarkdownPlan.render(plan));
                case text -> out.print(new TextPlan(env.colour() && !noColor).render(plan));
            }
            if (outFile != null) {
                Files.writeString(outFile, JsonPlan.write(plan), StandardCharsets.UTF_8);
                // Keep stdout clean for machine formats.
                PrintWriter note = format == Format.text ? out : err;
                note.println();
                note.println("Saved the plan to " + outFile + ". To apply exactly this plan: stackwire apply " + outFile);
            }
            if (plan.hasErrors()) {
                // Also with --detailed-exitcode: a refused spec must never pass a CI gate.
                err.println("error: the plan has " + Errors.count((int) plan.errors(), "error")
                        + " (above): apply would not do everything the spec asks; fix them as the hints say, then plan again.");
                return ExitCodes.ERROR;
            }
            return plan.isEmpty() || !detailedExitCode ? ExitCodes.OK : ExitCodes.CHANGES;
        }
    }
}
