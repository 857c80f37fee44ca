package io.stackwire.controller.cli;

import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.render.LiveStateJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export-state",
        description = "Write what stackwire observes on the daemon (networks, containers, endpoints, ports, swarm role) as JSON, for plan --live-state. Changes nothing.")
final class ExportStateCommand extends Subcommand {

    @Option(names = "--out", paramLabel = "FILE", description = "Write the snapshot to FILE instead of standard output.")
    Path outFile;

    ExportStateCommand(Env env) {
        super(env);
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Workflow.Session session = env.workflow().session()) {
            LiveState live;
            try {
                live = session.gateway().observe();
            } catch (GatewayException e) {
                return Errors.daemon(err, session.describe(), e);
            }
            String json = LiveStateJson.write(live);
            if (outFile == null) {
                out.print(json);
                out.flush();
            } else {
                // Write then move, so a reader never sees half a snapshot.
                Path abs = outFile.toAbsolutePath();
                Path tmp = Files.createTempFile(abs.getParent(), ".stackwire-state", ".tmp");
                try {
                    Files.writeString(tmp, json, StandardCharsets.UTF_8);
                    Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                err.println("Wrote the live state of " + session.describe() + " (" + Errors.count(live.networks().size(), "network")
                        + ", " + Errors.count(live.containers().size(), "container") + ") to " + outFile
                        + ". Plan against it with: stackwire plan PATH --live-state " + outFile);
            }
            return ExitCodes.OK;
        }
    }
}
