package io.stackwire.controller.cli;

import picocli.CommandLine.Command;

@Command(name = "version", description = "Print stackwire's version and, if a Docker daemon answers, its API version. Never fails for want of a daemon.")
final class VersionCommand extends Subcommand {

    VersionCommand(Env env) {
        super(env);
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("stackwire " + StackwireCommand.version());
        try (Workflow.Session session = env.workflow().session()) {
            String api = session.gateway().apiVersion();
            String where = session.describe();
            boolean saysApi = api.isEmpty() || where.contains(api);
            out.println("Docker daemon: " + where + (saysApi ? "" : ", API " + api));
        } catch (Exception e) {
            // Also covers a gateway that cannot even be built (bad DOCKER_HOST): version must still work.
            out.println("Docker daemon: not reachable (" + Errors.oneLine(e) + ")");
        }
        return ExitCodes.OK;
    }
}
