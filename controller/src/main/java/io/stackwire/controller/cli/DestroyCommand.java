package io.stackwire.controller.cli;

import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.controller.source.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "destroy", description = "Remove what stackwire manages for the spec's stacks (or only the named ones): plan, show, ask, apply."
                + " Never touches networks without stackwire's labels.")
final class DestroyCommand extends SpecSubcommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "Spec folder (default: the current directory; or use --repo).")
    Path path;

    @Option(names = "--host", paramLabel = "NAME", converter = HostName.class, description = "Host overlay (default: this machine's hostname).")
    String host;

    @Option(names = "--stack", paramLabel = "NAME", description = "Destroy only this stack; repeat for more (default: every stack).")
    List<String> stacks = new ArrayList<>();

    @Mixin
    ApprovalOptions approval = new ApprovalOptions();

    @Mixin
    LeaseOptions lease = new LeaseOptions();

    DestroyCommand(Env env) {
        super(env);
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (!approval.valid(err)) {
            return ExitCodes.ERROR;
        }
        Snapshot snapshot = SpecInput.fetch(source, path, "PATH", env, err);
        if (snapshot == null) {
            return ExitCodes.ERROR;
        }
        PlanPolicy policy = PlanPolicy.destroy(Set.copyOf(stacks));
        return new ApplyFlow(env, spec.commandLine().getOut(), err, approval.noColor, lease, "destroy:" + RunCommand.instanceId())
                .planAndApply(snapshot, host, s -> policy, approval.autoApprove, approval.parallelism);
    }
}
