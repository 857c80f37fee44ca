package io.stackwire.controller.cli;

import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.render.JsonPlan;
import io.stackwire.controller.source.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "apply", description = {
            "Make the daemon match the spec: plan, show the plan, ask, then apply it step by step.",
            "Given a saved plan file (from plan --out), applies exactly that plan without asking,"
                    + " and refuses if the daemon changed since it was made."
        })
final class ApplyCommand extends SpecSubcommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH|PLANFILE",
            description = "Spec folder (default: the current directory; or use --repo), or a plan saved with plan --out.")
    Path path;

    @Option(names = "--host", paramLabel = "NAME", converter = HostName.class, description = "Host overlay to plan for (default: this machine's hostname).")
    String host;

    @Mixin
    ApprovalOptions approval = new ApprovalOptions();

    @Mixin
    PublicPortsOption publicPorts = new PublicPortsOption();

    @Mixin
    LeaseOptions lease = new LeaseOptions();

    ApplyCommand(Env env) {
        super(env);
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (!approval.valid(err)) {
            return ExitCodes.ERROR;
        }
        ApplyFlow flow = new ApplyFlow(env, spec.commandLine().getOut(), err, approval.noColor, lease, "apply:" + RunCommand.instanceId());
        if (!source.git() && path != null && Files.isRegularFile(path) && JsonPlan.looksLikeSavedPlan(path)) {
            String usage = source.usageError(path, "PLANFILE");
            if (usage != null) {
                err.println("error: " + usage);
                return ExitCodes.ERROR;
            }
            return flow.applySaved(path, host, approval.parallelism);
        }
        Snapshot snapshot = SpecInput.fetch(source, path, "PATH|PLANFILE", env, err);
        if (snapshot == null) {
            return ExitCodes.ERROR;
        }
        return flow.planAndApply(snapshot, host, s -> PlanPolicy.from(s.policy()), approval.autoApprove, approval.parallelism, publicPorts.deny);
    }
}
