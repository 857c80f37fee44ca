package io.stackwire.controller.cli;

import io.stackwire.controller.pass.Planning;
import io.stackwire.controller.pass.Loader;
import io.stackwire.model.DesiredState;
import io.stackwire.model.Diagnostic;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.yaml.LoadResult;
import io.stackwire.reconcile.daemon.DockerGateway;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Runs the CLI in-process with an injected loader, planner and daemon, capturing out, err and the exit code. */
final class CliHarness {

    record Run(int exit, String out, String err) {}

    final InMemoryDaemon docker = new InMemoryDaemon("fake:///docker.sock");
    final Map<String, String> environment = new HashMap<>();
    final List<PlanPolicy> policies = new ArrayList<>();
    final List<String> loads = new ArrayList<>();
    final Deque<String> answers = new ArrayDeque<>();
    LoadResult load = new LoadResult(DesiredState.of("edge-1", "test", List.of(), RepoPolicy.DEFAULT), List.of());
    Planning planner = (d, l, p) -> new Plan(Plan.FORMAT_VERSION, d.host(), d.revision(), "", null, null, null);
    boolean terminal;
    int gatewaysOpened;
    Supplier<DockerGateway> gateways = () -> docker;

    CliHarness diagnostics(Diagnostic... ds) {
        boolean errors = List.of(ds).stream().anyMatch(Diagnostic::isError);
        load = new LoadResult(errors ? null : load.state(), List.of(ds));
        return this;
    }

    CliHarness plan(Plan plan) {
        planner = (d, l, p) -> plan;
        return this;
    }

    /** Behaves like a terminal on which the user types these lines. */
    CliHarness typing(String... lines) {
        terminal = true;
        answers.addAll(List.of(lines));
        return this;
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(env(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    Env env() {
        Loader loader = new Loader() {
            @Override
            public LoadResult load(java.nio.file.Path root, String host) {
                loads.add("load " + host);
                return load;
            }

            @Override
            public LoadResult validateAll(java.nio.file.Path root) {
                loads.add("validateAll");
                return load;
            }
        };
        Workflow workflow = new Workflow(loader, (d, l, p) -> {
            policies.add(p);
            return planner.plan(d, l, p);
        }, () -> {
            gatewaysOpened++;
            return gateways.get();
        });
        Env.Prompter prompter = new Env.Prompter() {
            @Override
            public boolean interactive() {
                return terminal;
            }

            @Override
            public String readLine() {
                return answers.poll();
            }
        };
        return new Env(workflow, prompter, environment, false);
    }
}
