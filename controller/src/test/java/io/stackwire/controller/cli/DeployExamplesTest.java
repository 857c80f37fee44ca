package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.yaml.LoadResult;
import io.stackwire.model.yaml.SpecLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

/**
 * The recipes in examples/deploy and examples/ci parse, mount what they must, and call stackwire
 * with arguments this CLI accepts (checked with picocli's own parser).
 */
class DeployExamplesTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws Exception {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    /** Parses a stackwire command line as the CLI would, without running it. */
    private static CommandLine.ParseResult parses(List<String> args) {
        return Main.commandLine(new CliHarness().env()).parseArgs(args.toArray(String[]::new));
    }

    /** Words of a shell command line, with ${VAR} / "$VAR" replaced by a placeholder value. */
    private static List<String> words(String shell) {
        String flat = shell.replace("\\\n", " ").replaceAll("\"?\\$\\{?[A-Za-z_]+}?[^\\s\"]*\"?", "X");
        List<String> out = new ArrayList<>();
        for (String w : flat.trim().split("\\s+")) {
            out.add(w.replace("\"", ""));
        }
        return out;
    }

    /** The stackwire arguments in a shell line: what follows "java -jar stackwire.jar", up to a redirection. */
    private static List<String> stackwireArgs(String line) {
        List<String> w = words(line);
        int jar = w.indexOf("stackwire.jar");
        assertThat(jar).as(line).isNotNegative();
        List<String> args = new ArrayList<>();
        for (String s : w.subList(jar + 1, w.size())) {
            if (s.startsWith(">") || s.equals(";") || s.endsWith(";")) {
                break;
            }
            args.add(s);
        }
        return args;
    }

    @Test
    void composeRunsTheSidecarOnTheSocketWithARestartPolicyAndHealthcheck() throws Exception {
        Map<String, Object> compose = yaml(EXAMPLES.resolve("deploy/compose.yaml"));
        Map<String, Object> services = map(compose.get("services"));
        Map<String, Object> sidecar = map(services.get("stackwire"));

        assertThat(list(sidecar.get("volumes"))).contains("/var/run/docker.sock:/var/run/docker.sock", "./spec:/spec:ro");
        assertThat(sidecar.get("restart")).isEqualTo("unless-stopped");
        List<String> command = list(sidecar.get("command")).stream().map(String::valueOf).toList();
        assertThat(command.get(0)).isEqualTo("run");
        assertThat(parses(command.stream().map(a -> a.replaceAll("\\$\\{[^}]+:-([^}]+)}", "$1")).toList())
                .subcommand().commandSpec().name()).isEqualTo("run");
        assertThat(list(map(sidecar.get("healthcheck")).get("test"))).contains("io.stackwire.controller.probe.HealthProbe");
        assertThat(list(sidecar.get("ports"))).allSatisfy(p -> assertThat(String.valueOf(p)).startsWith("127.0.0.1:"));
        // The app's containers are named, so the spec can refer to them, and the spec validates.
        LoadResult spec = SpecLoader.load(EXAMPLES.resolve("deploy/spec"), "compose-host");
        assertThat(spec.diagnostics()).isEmpty();
        for (String name : List.of("web", "db")) {
            Object containerName = map(services.get(name)).get("container_name");
            assertThat(spec.state().containers().keySet().toString()).contains(String.valueOf(containerName));
        }
    }

    @Test
    void systemdUnitRunsTheControllerAsAnUnprivilegedUserInTheDockerGroup() throws Exception {
        Path unit = EXAMPLES.resolve("deploy/stackwire.service");
        Map<String, String> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(unit, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(eq).as("key=value in %s: %s", section, line).isPositive();
            keys.put(section + line.substring(0, eq), line.substring(eq + 1));
        }
        assertThat(keys).containsEntry("[Service]User", "stackwire").containsEntry("[Service]SupplementaryGroups", "docker")
                .containsEntry("[Service]Restart", "on-failure").containsEntry("[Service]NoNewPrivileges", "yes")
                .containsEntry("[Unit]Requires", "docker.service").containsEntry("[Install]WantedBy", "multi-user.target");
        String exec = keys.get("[Service]ExecStart");
        assertThat(exec).startsWith("/opt/stackwire/bin/stackwire run ");
        // Expanded with the env file example, as systemd would: every variable is set, and the result parses.
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(EXAMPLES.resolve("deploy/stackwire.env"), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        Matcher m = Pattern.compile("\\$\\{?([A-Z_]+)}?").matcher(exec.substring(exec.indexOf(" run ")));
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            assertThat(env).containsKey(m.group(1));
            m.appendReplacement(expanded, Matcher.quoteReplacement(env.get(m.group(1))));
        }
        m.appendTail(expanded);
        List<String> args = List.of(expanded.toString().trim().split("\\s+"));
        CommandLine.ParseResult run = parses(args).subcommand();
        assertThat(run.commandSpec().name()).isEqualTo("run");
        // The webhook is opt-in: the documented steps create no secret file, so the default refers to none.
        assertThat(run.hasMatchedOption("--webhook-secret-file")).isFalse();
        // systemd's own syntax check where it exists; scripts/test-recipes verifies the installed unit in full.
        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            Process p = new ProcessBuilder("systemd-analyze", "verify", unit.toAbsolutePath().toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).doesNotContain("Unknown key", "Unknown section", "Invalid", "Failed to parse");
        }
    }

    @Test
    void githubWorkflowValidatesAndCommentsTheMarkdownPlanOnPullRequests() throws Exception {
        Map<String, Object> wf = yaml(EXAMPLES.resolve("ci/github-actions.yaml"));

        // snakeyaml reads the bare key "on" as a string (YAML 1.2), as GitHub does.
        assertThat(map(wf.get("on"))).containsKey("pull_request");
        assertThat(map(wf.get("permissions"))).containsEntry("pull-requests", "write");
        List<Object> steps = list(map(map(wf.get("jobs")).get("plan")).get("steps"));
        List<String> runs = steps.stream().map(s -> map(s).get("run")).filter(r -> r != null).map(String::valueOf).toList();
        String validate = runs.stream().filter(r -> r.contains(" validate ")).findFirst().orElseThrow();
        assertThat(parses(stackwireArgs(validate)).subcommand().commandSpec().name()).isEqualTo("validate");
        String plan = runs.stream().filter(r -> r.contains(" plan ")).findFirst().orElseThrow();
        List<String> planArgs = stackwireArgs(plan.substring(plan.indexOf("java -jar")));
        CommandLine.ParseResult parsed = parses(planArgs).subcommand();
        assertThat(parsed.commandSpec().name()).isEqualTo("plan");
        assertThat(parsed.matchedOptionValue("--format", null).toString()).isEqualTo("markdown");
        assertThat(parsed.hasMatchedOption("--detailed-exitcode")).isTrue();
        assertThat(parsed.hasMatchedOption("--live-state")).isTrue();
        // Exit code 2 (changes) must not fail the job.
        assertThat(plan).contains("-ne 0 ] && [ \"$code\" -ne 2 ]");
        String script = steps.stream().map(s -> map(s)).filter(s -> String.valueOf(s.get("uses")).startsWith("actions/github-script"))
                .map(s -> String.valueOf(map(s.get("with")).get("script"))).findFirst().orElseThrow();
        assertThat(script).contains("plan.md", "createComment", "updateComment");
    }

    @Test
    void gitlabJobValidatesAndPostsTheMarkdownPlanOnMergeRequests() throws Exception {
        Map<String, Object> ci = yaml(EXAMPLES.resolve("ci/gitlab-ci.yml"));
        Map<String, Object> job = map(ci.get("stackwire-plan"));

        assertThat(String.valueOf(list(job.get("rules")).get(0))).contains("merge_request_event");
        List<String> script = list(job.get("script")).stream().map(String::valueOf).toList();
        String validate = script.stream().filter(s -> s.contains(" validate ")).findFirst().orElseThrow();
        assertThat(parses(stackwireArgs(validate)).subcommand().commandSpec().name()).isEqualTo("validate");
        String plan = script.stream().filter(s -> s.contains(" plan ")).findFirst().orElseThrow();
        CommandLine.ParseResult parsed = parses(stackwireArgs(plan.substring(plan.indexOf("java -jar")))).subcommand();
        assertThat(parsed.commandSpec().name()).isEqualTo("plan");
        assertThat(parsed.matchedOptionValue("--format", null).toString()).isEqualTo("markdown");
        assertThat(parsed.hasMatchedOption("--detailed-exitcode")).isTrue();
        assertThat(script).anyMatch(s -> s.contains("-ne 0 ] && [ \"$code\" -ne 2 ]"));
        assertThat(script).anyMatch(s -> s.contains("/merge_requests/${CI_MERGE_REQUEST_IID}/notes") && s.contains("plan.md"));
    }
}
