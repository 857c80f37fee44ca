package io.stackwire.controller.cli;

import io.stackwire.model.Diagnostic;
import io.stackwire.reconcile.daemon.GatewayException;
import java.io.PrintWriter;
import java.util.List;

/** How expected failures are told to the user: one clear line each, never a stack trace. */
final class Errors {

    private Errors() {}

    static int daemon(PrintWriter err, String where, GatewayException e) {
        if (e.kind() == GatewayException.Kind.UNAVAILABLE) {
            // The gateway's message already names the daemon and what to do; don't say it twice.
            String msg = oneLine(e);
            err.println("error: " + (msg.startsWith("cannot reach") ? msg : "cannot reach the Docker daemon at " + where + ": " + msg));
            if (!msg.contains("DOCKER_HOST")) {
                err.println("  Is Docker running? Point DOCKER_HOST at it if it is not the local socket.");
            }
        } else {
            err.println("error: the Docker daemon at " + where + " refused: " + e.getMessage());
        }
        return ExitCodes.ERROR;
    }

    /** Prints every diagnostic, one per line, then a count; returns the exit code for a spec with errors. */
    static int diagnostics(PrintWriter err, List<Diagnostic> diagnostics) {
        diagnostics.forEach(d -> err.println(d));
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        err.println("The spec has " + count(errors, "error") + "; nothing was changed.");
        return ExitCodes.ERROR;
    }

    static void warnings(PrintWriter err, List<Diagnostic> diagnostics) {
        diagnostics.stream().filter(d -> !d.isError()).forEach(d -> err.println(d));
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The exception's message on one line, with its type when the message alone says little. */
    static String oneLine(Throwable t) {
        String msg = t.getMessage();
        String text = msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
        return text.replaceAll("\\s*\\R\\s*", " ");
    }
}
