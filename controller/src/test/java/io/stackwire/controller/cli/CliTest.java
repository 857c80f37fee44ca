package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwire.model.Diagnostic;
import io.stackwire.model.Severity;
import io.stackwire.model.SourceRef;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.plan.Dependencies;
import io.stackwire.reconcile.plan.Fingerprint;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import io.stackwire.reconcile.plan.PlanPolicy;
import io.stackwire.reconcile.plan.ResourceKey;
import io.stackwire.reconcile.render.JsonPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {

    @TempDir
    Path dir;

    private final CliHarness cli = new CliHarness();

    private static final Diagnostic BAD_CIDR = Diagnostic.error("bad-cidr", new SourceRef("stacks/shop.yaml", 7, 15),
            "subnet '10.1.0.0/33' is not a CIDR", "write it like 10.1.0.0/24");
    private static final Diagnostic PUBLIC_PORT = Diagnostic.warning("public-port", new SourceRef("stacks/shop.yaml", 12, 9),
            "port 8080 is published on every interface", "bind it to 127.0.0.1 unless it must be public");

    private String spec() {
        return dir.toString();
    }

    // ---- help, version, usage errors

    @Test
    void listsEveryCommandAndTheExitCodesInHelp() {
        CliHarness.Run r = cli.run("--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("validate", "plan", "apply", "destroy", "version", "Exit codes:", "2  plan --detailed-exitcode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"validate", "plan", "apply", "destroy", "version"})
    void everyCommandHasHelp(String command) {
        CliHarness.Run r = cli.run(command, "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Usage: stackwire " + command);
        assertThat(cli.gatewaysOpened).isZero();
    }

    @Test
    void printsTheVersion() {
        CliHarness.Run r = cli.run("--version");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("stackwire dev\n");
    }

    @Test
    void versionCommandShowsTheDaemonApiVersion() {
        CliHarness.Run r = cli.run("version");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("stackwire dev\nDocker daemon: fake:///docker.sock, API 1.41\n");
    }

    @Test
    void versionCommandSucceedsWithoutADaemon() {
        cli.gateways = () -> {
            throw new IllegalStateException("docker gateway not available yet");
        };

        CliHarness.Run r = cli.run("version");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Docker daemon: not reachable (docker gateway not available yet)");
    }

    @Test
    void runRejectsAnUnknownLogLevelOrFormatBeforeTouchingAnything() {
        CliHarness.Run level = cli.run("run", ".", "--log-level", "loud");
        CliHarness.Run format = cli.run("run", ".", "--log-format", "xml");
        cli.environment.put("STACKWIRE_LOG_LEVEL", "chatty");
        CliHarness.Run env = cli.run("run", ".");

        assertThat(level.exit()).isEqualTo(1);
        assertThat(level.err()).isEqualTo("error: --log-level loud is not a log level; use error, warn, info, debug or trace\n");
        assertThat(format.err()).isEqualTo("error: --log-format xml is not a log format; use text or json\n");
        assertThat(env.err()).isEqualTo("error: STACKWIRE_LOG_LEVEL=chatty is not a log level; use error, warn, info, debug or trace\n");
        assertThat(cli.gatewaysOpened).isZero();
    }

    @Test
    void rejectsAnUnknownOptionWithExitOneAndAHint() {
        CliHarness.Run r = cli.run("plan", "--frobnicate");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: Unknown option: '--frobnicate'", "Try 'stackwire plan --help'");
        assertThat(cli.gatewaysOpened).isZero();
    }

    @Test
    void rejectsAnUnknownCommandAndAMissingOne() {
        assertThat(cli.run("plna").exit()).isEqualTo(1);
        CliHarness.Run none = cli.run();
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("missing command");
    }

    @Test
    void rejectsAnUnknownFormat() {
        CliHarness.Run r = cli.run("plan", spec(), "--format", "yaml");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--format", "yaml");
    }

    @Test
    void reportsAMissingPathWithoutTouchingTheDaemon() {
        CliHarness.Run r = cli.run("plan", dir.resolve("nope").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("nope: no such file or directory");
        assertThat(cli.gatewaysOpened).isZero();
    }

    // ---- validate

    @Test
    void validatePrintsEveryDiagnosticAndFailsOnErrors() {
        cli.diagnostics(BAD_CIDR, PUBLIC_PORT);

        CliHarness.Run r = cli.run("validate", spec());

        assertThat(r.exit()).isEqualTo(1);
        // The spec folder is outside the working directory, so files are named by their absolute path.
        String shop = dir.resolve("stacks/shop.yaml").toString();
        assertThat(r.out()).isEqualTo(shop + ":7:15: error: subnet '10.1.0.0/33' is not a CIDR (write it like 10.1.0.0/24)\n"
                + shop + ":12:9: warning: port 8080 is published on every interface (bind it to 127.0.0.1 unless it must be public)\n"
                + "Invalid: 1 error, 1 warning.\n");
        assertThat(cli.gatewaysOpened).isZero();
    }

    @Test
    void validatePassesWithWarningsUnlessStrict() {
        cli.diagnostics(PUBLIC_PORT);

        CliHarness.Run lenient = cli.run("validate", spec());
        CliHarness.Run strict = cli.run("validate", spec(), "--strict");

        assertThat(lenient.exit()).isZero();
        assertThat(lenient.out()).endsWith("Valid: 0 stacks, 0 networks, 0 containers for host edge-1; 0 errors, 1 warning.\n");
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(strict.out()).endsWith("Invalid: 0 errors, 1 warning (warnings fail under --strict).\n");
    }

    @Test
    void denyPublicPortsMakesEveryInterfacePortsAnErrorInValidatePlanAndApply() {
        cli.diagnostics(PUBLIC_PORT);

        CliHarness.Run validate = cli.run("validate", spec(), "--deny-public-ports");
        CliHarness.Run plan = cli.run("plan", spec(), "--deny-public-ports");
        CliHarness.Run apply = cli.run("apply", spec(), "--deny-public-ports", "--auto-approve");

        assertThat(validate.exit()).isEqualTo(1);
        assertThat(validate.out()).contains(": error: ").contains("--deny-public-ports makes this an error")
                .endsWith("Invalid: 1 error, 0 warnings.\n");
        assertThat(plan.exit()).isEqualTo(1);
        assertThat(plan.err()).contains("The spec has 1 error; nothing was changed.");
        assertThat(apply.exit()).isEqualTo(1);
        assertThat(cli.gatewaysOpened).as("a denied spec never reaches the daemon").isZero();
    }

    @Test
    void validateChecksEveryHostUnlessOneIsNamed() {
        cli.run("validate", spec());
        cli.run("validate", spec(), "--host", "edge-2");

        assertThat(cli.loads).containsExactly("validateAll", "load edge-2");
    }

    @Test
    void planUsesThisMachinesHostUnlessOneIsNamed() {
        cli.run("plan", spec());
        cli.run("plan", spec(), "--host", "edge-2");

        assertThat(cli.loads).containsExactly("load null", "load edge-2");
    }

    @Test
    void validateDefaultsToTheCurrentDirectory() {
        assertThat(cli.run("validate").exit()).isZero();
    }

    @Test
    void validateListsErrorsAndWarningsAsJson() throws Exception {
        cli.diagnostics(BAD_CIDR, PUBLIC_PORT);

        CliHarness.Run r = cli.run("validate", spec(), "--format", "json");

        assertThat(r.exit()).isEqualTo(1);
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("valid").asBoolean()).isFalse();
        JsonNode e = root.get("errors").get(0);
        assertThat(e.get("file").asText()).isEqualTo(dir.resolve("stacks/shop.yaml").toString());
        assertThat(e.get("line").asInt()).isEqualTo(7);
        assertThat(e.get("column").asInt()).isEqualTo(15);
        assertThat(e.get("code").asText()).isEqualTo("bad-cidr");
        assertThat(e.get("severity").asText()).isEqualTo("error");
        assertThat(e.get("message").asText()).isEqualTo("subnet '10.1.0.0/33' is not a CIDR");
        assertThat(e.get("hint").asText()).isEqualTo("write it like 10.1.0.0/24");
        assertThat(root.get("warnings").get(0).get("code").asText()).isEqualTo("public-port");
    }

    // ---- plan

    @Test
    void planWithAnInvalidSpecPrintsDiagnosticsAndNeverContactsTheDaemon() {
        cli.diagnostics(BAD_CIDR);

        CliHarness.Run r = cli.run("plan", spec());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(BAD_CIDR.toString(), "The spec has 1 error; nothing was changed.");
        assertThat(r.out()).isEmpty();
        assertThat(cli.gatewaysOpened).isZero();
    }

    @Test
    void planExitsZeroWithChangesUnlessDetailedExitCodeIsAsked() {
        cli.plan(Plans.createFront(""));

        CliHarness.Run plain = cli.run("plan", spec());
        CliHarness.Run detailed = cli.run("plan", spec(), "--detailed-exitcode");

        assertThat(plain.exit()).isZero();
        assertThat(detailed.exit()).isEqualTo(2);
        assertThat(detailed.out()).contains("+ network.front (create)", "Plan: 1 to add, 0 to change, 0 to destroy, 2 to connect, 0 to disconnect.");
        assertThat(cli.docker.changes()).isEmpty();
    }

    @Test
    void planExitsZeroWhenNothingChanges() {
        CliHarness.Run r = cli.run("plan", spec(), "--detailed-exitcode");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("No changes. The daemon matches the spec.\n");
    }

    @Test
    void planPrintsJsonAndMarkdown() throws Exception {
        cli.plan(Plans.createFront("abc"));

        CliHarness.Run json = cli.run("plan", spec(), "--format", "json");
        CliHarness.Run md = cli.run("plan", spec(), "--format", "markdown");

        assertThat(JsonPlan.read(json.out())).isEqualTo(Plans.createFront("abc"));
        assertThat(md.out()).startsWith("### stackwire plan for `edge-1`").contains("```diff");
    }

    @Test
    void planSavesAPlanThatCarriesTheLiveFingerprint() throws Exception {
        cli.plan(Plans.createFront(""));
        Path saved = dir.resolve("plan.json");

        CliHarness.Run r = cli.run("plan", spec(), "--out", saved.toString(), "--format", "json");

        assertThat(r.exit()).isZero();
        Plan plan = JsonPlan.read(saved);
        assertThat(plan.liveFingerprint()).isEqualTo(Fingerprint.of(cli.docker.observe()));
        assertThat(r.err()).contains("To apply exactly this plan: stackwire apply " + saved);
        assertThat(r.out()).doesNotContain("Saved the plan");
    }

    @Test
    void planReportsAnUnreachableDaemonInOneLine() {
        cli.docker.unavailable(new GatewayException(GatewayException.Kind.UNAVAILABLE, "connect: connection refused"));

        CliHarness.Run r = cli.run("plan", spec());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot reach the Docker daemon at fake:///docker.sock: connect: connection refused\n");
        assertThat(r.err()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void unexpectedFailuresGiveOneLineAndTheDebugHint() {
        cli.planner = (d, l, p) -> {
            throw new IllegalStateException("planner exploded");
        };

        CliHarness.Run r = cli.run("plan", spec());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: planner exploded\nrun with STACKWIRE_DEBUG=1 for a stack trace\n");
    }

    @Test
    void debugModePrintsTheStackTrace() {
        cli.environment.put("STACKWIRE_DEBUG", "1");
        cli.planner = (d, l, p) -> {
            throw new IllegalStateException("planner exploded");
        };

        CliHarness.Run r = cli.run("plan", spec());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("java.lang.IllegalStateException: planner exploded", "\tat ");
    }

    // ---- apply

    @Test
    void applyRefusesWithoutATerminalUnlessAutoApproved() {
        cli.plan(Plans.createFront(""));

        CliHarness.Run r = cli.run("apply", spec());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("refusing to apply without confirmation", "--auto-approve");
        assertThat(cli.docker.changes()).isEmpty();
    }

    @Test
    void applyAsksAndAppliesOnlyAfterYes() {
        cli.plan(Plans.createFront("")).typing("yes");

        CliHarness.Run r = cli.run("apply", spec());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(ApplyFlow.PROMPT);
        assertThat(cli.docker.changes()).containsExactlyInAnyOrder("create stackwire-lease", "create front",
                "connect web/front", "connect api/front", "remove id-stackwire-lease");
        assertThat(cli.docker.changes().get(1)).as("the lease comes before the first change").isEqualTo("create front");
        assertThat(cli.docker.changes().get(4)).as("and is released at the end").isEqualTo("remove id-stackwire-lease");
    }

    @Test
    void applyFailsAtOnceNamingTheHolderWhenTheLeaseIsHeldAndLockTimeoutIsZero() {
        cli.plan(Plans.createFront(""));
        cli.docker.withLease("stackwire-lease", "run:edge-1-77-abcdef", Instant.parse("2099-01-01T00:00:00Z"));

        CliHarness.Run r = cli.run("apply", spec(), "--auto-approve", "--lock-timeout", "0");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the daemon lease stackwire-lease is held by run:edge-1-77-abcdef until 2099-01-01T00:00:00Z;"
                + " nothing was changed.", "--lock-timeout");
        assertThat(cli.docker.changes()).containsExactly("create stackwire-lease");
    }

    @Test
    void destroyTakesTheLeaseUnderTheNameGiven() {
        cli.plan(Plans.createFront(""));

        CliHarness.Run r = cli.run("destroy", spec(), "--auto-approve", "--lease-name", "swtest-x-lease");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(cli.docker.changes()).startsWith("create swtest-x-lease").endsWith("remove id-swtest-x-lease");
    }

    @Test
    void aPlanChangedWhileWaitingForTheLeaseIsRefusedUnderIt() {
        cli.plan(Plans.createFront("sha256:not-what-the-daemon-looks-like"));

        CliHarness.Run r = cli.run("apply", spec(), "--auto-approve");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("run apply again");
        assertThat(cli.docker.changes()).containsExactly("create stackwire-lease", "remove id-stackwire-lease");
    }

    @Test
    void applyNamesTheContainersItWillReCreateBeforeAsking() {
        cli.plan(Plans.replaceWeb("")).typing("no");

        CliHarness.Run r = cli.run("apply", spec());

        assertThat(r.out()).contains("-/+ container.web (replace, disruptive)")
                .contains("Warning: 1 container will be re-created to change published ports"
                        + " (stopped, replaced, started; volumes and networks are kept): web\n");
        assertThat(r.out().indexOf("Warning: 1 container")).isLessThan(r.out().indexOf(ApplyFlow.PROMPT));
        assertThat(cli.docker.changes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no", "y", "YES please", ""})
    void applyCancelsOnAnyAnswerButYes(String answer) {
        cli.plan(Plans.createFront("")).typing(answer);

        CliHarness.Run r = cli.run("apply", spec());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Apply cancelled; nothing was changed.");
        assertThat(cli.docker.changes()).isEmpty();
    }

    @Test
    void applyPrintsOneProgressLinePerStepAndASummary() {
        cli.plan(Plans.createFront(""));

        CliHarness.Run r = cli.run("apply", spec(), "--auto-approve", "--parallelism", "1");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("\\[1/3\\] create network front: done: id id-front \\(\\d+ ms\\)")
                .containsPattern("\\[2/3\\] connect web -> front: done \\(\\d+ ms\\)")
                .containsPattern("\\[3/3\\] connect api -> front: done \\(\\d+ ms\\)")
                .endsWith("Apply complete: 3 applied, 0 already in place, 0 failed, 0 skipped.\n");
        assertThat(cli.docker.closed()).isTrue();
    }

    @Test
    void applyFailsWhenAStepFailsAndSaysWhatWasSkipped() {
        cli.plan(Plans.createFront(""));
        cli.docker.failing("create front", new GatewayException(GatewayException.Kind.REFUSED, "pool overlaps"));

        CliHarness.Run r = cli.run("apply", spec(), "--auto-approve");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("create network front: FAILED: pool overlaps",
                "connect web -> front: not run: skipped: depends on failed step 0 (create network front)",
                "Apply incomplete: 0 applied, 0 already in place, 1 failed, 2 skipped.");
        assertThat(r.err()).contains("run 'stackwire plan'");
    }

    @Test
    void applyWithNothingToDoChangesNothing() {
        CliHarness.Run r = cli.run("apply", spec());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("No changes. The daemon matches the spec.\n");
        assertThat(cli.docker.changes()).isEmpty();
    }

    @Test
    void applyRejectsAParallelismBelowOne() {
        CliHarness.Run r = cli.run("apply", spec(), "--parallelism", "0");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--parallelism must be at least 1");
    }

    @Test
    void appliesASavedPlanWithoutAskingWhenTheDaemonIsUnchanged() throws Exception {
        Path saved = Files.writeString(dir.resolve("plan.json"), JsonPlan.write(Plans.createFront(Fingerprint.of(cli.docker.observe()))));

        CliHarness.Run r = cli.run("apply", saved.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("Applying saved plan " + saved + " for host edge-1 (revision test): Plan: 1 to add,");
        assertThat(cli.docker.changes()).hasSize(5).startsWith("create stackwire-lease").endsWith("remove id-stackwire-lease");
        assertThat(cli.policies).isEmpty();
    }

    @Test
    void refusesAStaleSavedPlan() throws Exception {
        Path saved = Files.writeString(dir.resolve("plan.json"), JsonPlan.write(Plans.createFront(Fingerprint.of(cli.docker.observe()))));
        cli.docker.withNetwork("surprise");

        CliHarness.Run r = cli.run("apply", saved.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: the daemon changed since this plan was made", "run plan again");
        assertThat(cli.docker.changes()).as("nothing but the lease").containsExactly("create stackwire-lease", "remove id-stackwire-lease");
    }

    @Test
    void refusesASavedPlanOfAnotherFormatVersion() throws Exception {
        Path saved = Files.writeString(dir.resolve("plan.json"),
                JsonPlan.write(Plans.createFront("x")).replace("\"format_version\": 1", "\"format_version\": 7"));

        CliHarness.Run r = cli.run("apply", saved.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("format_version 7", "run plan again");
        assertThat(cli.gatewaysOpened).isZero();
    }

    @Test
    void refusesASavedPlanForAnotherHost() throws Exception {
        Path saved = Files.writeString(dir.resolve("plan.json"), JsonPlan.write(Plans.createFront("x")));

        CliHarness.Run r = cli.run("apply", saved.toString(), "--host", "edge-2");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("was planned for host edge-1, not edge-2");
    }

    // ---- errors are never "no changes"

    private static final Notice SWARM_REQUIRED = new Notice(Severity.ERROR, "swarm-required", ResourceKey.network("mesh"), "shop",
            "overlay network mesh does not exist yet, but this Docker engine is not in swarm mode", "run `docker swarm init`");

    private static Plan withNotices(Plan p, Notice... notices) {
        return new Plan(p.formatVersion(), p.host(), p.revision(), p.liveFingerprint(), p.changes(), p.steps(), List.of(notices),
                p.dependencies());
    }

    @Test
    void aPlanWithAnErrorExitsOneEvenWithDetailedExitCodeAndNeverSaysNoChanges() throws Exception {
        cli.plan(withNotices(Plans.createFront(""), SWARM_REQUIRED));

        CliHarness.Run detailed = cli.run("plan", spec(), "--detailed-exitcode");
        cli.plan(withNotices(new Plan(Plan.FORMAT_VERSION, "edge-1", "test", "", null, null, null), SWARM_REQUIRED));
        CliHarness.Run empty = cli.run("plan", spec(), "--detailed-exitcode");
        CliHarness.Run json = cli.run("plan", spec(), "--format", "json");

        assertThat(detailed.exit()).isEqualTo(1);
        assertThat(detailed.out()).contains("Error: network.mesh:", "Plan: 1 to add, 0 to change, 0 to destroy, 2 to connect, 0 to disconnect; 1 error.");
        assertThat(detailed.err()).contains("error: the plan has 1 error (above)");
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.out()).doesNotContain("matches the spec").contains("No changes can be made, and the daemon does not match the spec: 1 error");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(json.out()).get("summary").get("errors").asInt()).isEqualTo(1);
    }

    @Test
    void applyWithAnErrorAppliesWhatItSafelyCanThenExitsOneNamingWhatWasRefused() {
        cli.plan(withNotices(Plans.createFront(""), SWARM_REQUIRED));

        CliHarness.Run r = cli.run("apply", spec(), "--auto-approve");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(cli.docker.changes()).contains("create front", "connect web/front", "connect api/front");
        assertThat(r.err()).contains("error: 1 error in the plan above: everything else was applied, but not network.mesh [swarm-required]");
    }

    @Test
    void applyAndDestroyWithOnlyRefusalsChangeNothingAndExitOne() {
        cli.plan(withNotices(new Plan(Plan.FORMAT_VERSION, "edge-1", "test", "", null, null, null), SWARM_REQUIRED));

        CliHarness.Run apply = cli.run("apply", spec(), "--auto-approve");
        CliHarness.Run destroy = cli.run("destroy", spec(), "--stack", "shpo", "--auto-approve");

        assertThat(apply.exit()).isEqualTo(1);
        assertThat(apply.err()).contains("nothing could be done for network.mesh [swarm-required]");
        assertThat(destroy.exit()).isEqualTo(1);
        assertThat(cli.docker.changes()).isEmpty();
    }

    // ---- a confirmed plan whose dependencies changed is planned again

    /** The plan depends on network "surprise" being absent; the first planning run creates it right after observing. */
    private void planThatGoesStale(Plan second) {
        Dependencies deps = Dependencies.of(LiveState.empty(), List.of("surprise"), List.of("surprise"), List.of(), false);
        Plan first = Plans.createFront("");
        Plan stale = new Plan(first.formatVersion(), first.host(), first.revision(), deps.fingerprint(), first.changes(),
                first.steps(), first.notices(), deps);
        int[] calls = {0};
        cli.planner = (d, l, p) -> {
            if (calls[0]++ == 0) {
                cli.docker.withNetwork("surprise");
                return stale;
            }
            return second;
        };
    }

    @Test
    void aDependencyThatChangedWithoutChangingTheStepsIsAppliedAfterSayingSo() {
        planThatGoesStale(Plans.createFront(""));

        CliHarness.Run r = cli.run("apply", spec(), "--auto-approve");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("network.surprise: created since the plan was made", "Planned again: the same steps, so they are applied.");
        assertThat(cli.docker.changes()).contains("create front");
    }

    @Test
    void aDifferentPlanIsShownAndAskedForAgain() {
        planThatGoesStale(Plans.replaceWeb(""));
        cli.typing("yes", "no");

        CliHarness.Run r = cli.run("apply", spec());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("network.surprise: created since the plan was made", "Planned again, and the plan is different:",
                "container.web (replace");
        assertThat(r.out().split(java.util.regex.Pattern.quote(ApplyFlow.PROMPT), -1)).as("asked twice").hasSize(3);
        assertThat(r.err()).contains("Apply cancelled; nothing was changed.");
        assertThat(cli.docker.changes()).doesNotContain("create front");
    }

    @Test
    void withAutoApproveADifferentPlanIsAppliedAndSaidSo() {
        Plan other = new Plan(Plan.FORMAT_VERSION, "edge-1", "test", "", Plans.createFront("").changes().subList(0, 1),
                Plans.createFront("").steps().subList(0, 1), null);
        planThatGoesStale(other);

        CliHarness.Run r = cli.run("apply", spec(), "--auto-approve");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Planned again, and the plan is different:", "Applying the new plan (--auto-approve).");
        assertThat(cli.docker.changes()).contains("create front").doesNotContain("connect web/front");
    }

    // ---- destroy

    @Test
    void destroyPlansWithTheDestroyPolicyForTheNamedStacks() {
        CliHarness.Run r = cli.run("destroy", spec(), "--stack", "shop", "--stack", "db", "--auto-approve");

        assertThat(r.exit()).isZero();
        assertThat(cli.policies).containsExactly(PlanPolicy.destroy(Set.of("db", "shop")));
    }

    @Test
    void destroyAsksLikeApply() {
        cli.plan(Plans.createFront(""));

        CliHarness.Run r = cli.run("destroy", spec());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("refusing to apply without confirmation");
        assertThat(cli.docker.changes()).isEmpty();
    }

    @Test
    void aCommandLineNamingACommandBuildsOnlyThatCommandAndAnythingElseBuildsThemAll() {
        Env env = new CliHarness().env();
        assertThat(Main.commandLine(env, new String[] {"plan", "--host", "x"}).getSubcommands()).containsOnlyKeys("plan");
        assertThat(Main.commandLine(env, new String[] {"version"}).getSubcommands()).containsOnlyKeys("version");
        List<String> all = List.of("validate", "plan", "apply", "destroy", "run", "status", "export-state", "version", "completion", "generate-man", "help");
        assertThat(Main.commandLine(env, new String[] {"help", "plan"}).getSubcommands().keySet()).containsExactlyElementsOf(all);
        assertThat(Main.commandLine(env, new String[] {"plna"}).getSubcommands().keySet()).containsExactlyElementsOf(all);
        assertThat(Main.commandLine(env, new String[] {"--help"}).getSubcommands().keySet()).containsExactlyElementsOf(all);
        assertThat(Main.commandLine(env, new String[0]).getSubcommands().keySet()).containsExactlyElementsOf(all);
        // Each name is the one its @Command declares.
        StackwireCommand.SUBCOMMANDS.forEach((name, type) ->
                assertThat(type.getAnnotation(picocli.CommandLine.Command.class).name()).isEqualTo(name));
        // A typo still gets the suggestion, which needs every command's name.
        CliHarness.Run r = new CliHarness().run("plna");
        assertThat(r.err()).contains("plan");
    }
}
