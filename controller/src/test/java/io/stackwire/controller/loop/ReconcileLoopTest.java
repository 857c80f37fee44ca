package io.stackwire.controller.loop;

import io.stackwire.reconcile.daemon.GatewayException;
import io.stackwire.reconcile.daemon.InMemoryDaemon;
import io.stackwire.controller.pass.HostCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwire.controller.http.StatusServer;
import io.stackwire.controller.http.WebhookAuth;
import io.stackwire.controller.loop.PassReport.Outcome;
import io.stackwire.controller.source.GitAuth;
import io.stackwire.controller.source.GitSource;
import io.stackwire.controller.source.RepoIdentity;
import io.stackwire.controller.source.Snapshot;
import io.stackwire.controller.source.SourceException;
import io.stackwire.controller.source.SpecSource;
import io.stackwire.controller.source.TestRepo;
import io.stackwire.model.Protocol;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.Labels;
import io.stackwire.reconcile.daemon.DockerEvent;
import io.stackwire.reconcile.plan.HostPorts;
import io.stackwire.reconcile.plan.PeerClaim;
import io.stackwire.reconcile.plan.Planner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One pass at a time, driven synchronously against an in-memory daemon with the real loader and planner. */
class ReconcileLoopTest {

    /** A revision whose owner is derived from its folder, as for a spec outside Git. */
    private static Snapshot snap(String revision, java.nio.file.Path root) {
        return new Snapshot(revision, root);
    }

    /** A revision of one repository, whichever folder its files are in (as Git revisions are). */
    private static Snapshot owned(String revision, java.nio.file.Path root) {
        return new Snapshot(revision, root, "", "", "test.example/acme/spec");
    }


    private static final Instant NOW = Instant.parse("2026-11-28T05:00:00Z");

    @TempDir
    Path dir;

    private final InMemoryDaemon daemon = new InMemoryDaemon("fake");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final List<String> loads = new ArrayList<>();
    private FakeSource source;
    private HostCheck hostCheck = HostCheck.NONE;
    private SpecSource gitSource; // when set, used instead of the fake source

    /** A source whose next fetch answers what the test says: a revision and folder, or a failure. */
    static final class FakeSource implements SpecSource {
        Snapshot next;
        String failure;

        @Override
        public Snapshot fetch() throws SourceException {
            if (failure != null) {
                throw new SourceException(failure);
            }
            return next;
        }

        @Override
        public String describe() {
            return name;
        }

        /** What the source says it is (a controller's stable name is made from it). */
        String name = "fake";
    }

    @BeforeEach
    void spec() throws IOException {
        source = new FakeSource();
        source.next = snap("c1", write("good", """
                stack: t
                networks:
                  t-front:
                    driver: bridge
                containers:
                  t-web:
                    networks:
                      t-front:
                        aliases: [www]
                """));
        daemon.withContainer("t-web", "bridge");
    }

    private Path write(String folder, String yaml) throws IOException {
        Path d = Files.createDirectories(dir.resolve(folder));
        Files.writeString(d.resolve("stack.yaml"), yaml);
        return d;
    }

    private ReconcileLoop loop(boolean dryRun, boolean allowMassDelete) {
        LoopConfig c = new LoopConfig("edge", Duration.ofSeconds(30), Duration.ofMinutes(5), null, null, null,
                dryRun, false, 0.5, allowMassDelete, "me", "lease-test", Duration.ofMinutes(5), 1);
        ReconcileLoop loop = new ReconcileLoop(c, gitSource != null ? gitSource : source, (root, host) -> {
            loads.add(root.getFileName().toString());
            return SpecLoader.load(root, host);
        }, Planner::plan, (d, l) -> hostCheck.probe(d, l), daemon, () -> daemon.calls().size(), clock, new Random(1));
        loop.subscribe();
        return loop;
    }

    private static PassQueue.Work work(Trigger t) {
        return new PassQueue.Work(t.fetch, t.observe, Set.of(t));
    }

    @Test
    void appliesVerifiesAndStampsItsInstanceOnCreatedNetworks() {
        PassReport r = loop(false, false).runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(r.applied()).isEqualTo(2);
        assertThat(r.revision()).isEqualTo("c1");
        assertThat(daemon.networks().get("t-front").labels()).containsEntry(Labels.OWNER, "me")
                .containsEntry(Labels.REPO, RepoIdentity.ofFolder(source.next.root()));
        assertThat(daemon.containers().get("t-web").endpoint("t-front").aliases()).containsExactly("www");
        assertThat(daemon.networks()).as("lease released after the apply").doesNotContainKey("lease-test");
    }

    @Test
    void idlePassesUseTheCacheAndCallTheDaemonNotAtAll() {
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        int calls = daemon.calls().size();

        for (int i = 0; i < 10; i++) {
            assertThat(loop.runPass(work(Trigger.INTERVAL)).outcome()).isEqualTo(Outcome.NO_CHANGES);
        }

        assertThat(daemon.calls()).hasSize(calls);
        assertThat(loop.runPass(work(Trigger.RESYNC)).outcome()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(daemon.calls().subList(calls, daemon.calls().size())).containsExactly("observe");
    }

    @Test
    void observesEveryPassWhileTheEventStreamIsDown() {
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        daemon.streamConnected(false);
        int before = daemon.observations();

        loop.runPass(work(Trigger.INTERVAL));
        loop.runPass(work(Trigger.INTERVAL));

        assertThat(daemon.observations()).isEqualTo(before + 2);
    }

    @Test
    void eventOnASpecdNameInvalidatesTheCacheAndTheNextPassHealsADisconnect() throws Exception {
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        daemon.disconnect("t-web", "t-front", false); // somebody's manual docker network disconnect

        daemon.listener().onEvent(new DockerEvent(DockerEvent.Type.NETWORK, "disconnect", "id-t-front", "t-front",
                "t-front", InMemoryDaemon.idOf("t-web"), NOW));
        PassReport r = loop.runPass(work(Trigger.EVENT));

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(daemon.containers().get("t-web").endpoint("t-front")).isNotNull();
        assertThat(loop.metrics().driftDetected()).isEqualTo(1);
    }

    @Test
    void anEventPassReadsOnlyWhatTheEventNamedAndVerificationOnlyWhatTheStepsTouched() throws Exception {
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        daemon.withContainer("bystander", "bridge"); // unrelated, and no event about it: not read
        daemon.disconnect("t-web", "t-front", false);
        int calls = daemon.calls().size();

        daemon.listener().onEvent(new DockerEvent(DockerEvent.Type.NETWORK, "disconnect", "id-t-front", "t-front",
                "t-front", InMemoryDaemon.idOf("t-web"), NOW));
        PassReport r = loop.runPass(work(Trigger.EVENT));

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        List<String> made = daemon.calls().subList(calls, daemon.calls().size());
        assertThat(made).doesNotContain("observe");
        assertThat(made.get(0)).isEqualTo("refresh [" + InMemoryDaemon.idOf("t-web") + "]");
        assertThat(made).as("verified by re-reading the container the steps touched").contains("refresh [t-web]");
        assertThat(daemon.containers().get("t-web").endpoint("t-front")).isNotNull();
        // The resync still reads everything.
        loop.runPass(work(Trigger.RESYNC));
        assertThat(daemon.calls().get(daemon.calls().size() - 1)).isEqualTo("observe");
    }

    @Test
    void ignoresEventsAboutNamesTheSpecDoesNotMention() {
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));

        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.CONTAINER, "start", "x", "someone-else", null, null, NOW))).isFalse();
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.NETWORK, "connect", "n", "other-net", "other-net", "x", NOW))).isFalse();
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.CONTAINER, "start", InMemoryDaemon.idOf("t-web"), "t-web", null, null, NOW))).isTrue();
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.CONTAINER, "rename", InMemoryDaemon.idOf("t-web"), "renamed", null, null, NOW)))
                .as("known by ID").isTrue();
    }

    @Test
    void aContainerEventWhoseLabelsMatchASelectorTriggersAndAnyOtherIsDecidedWithoutTheDaemon() throws IOException {
        Files.writeString(source.next.root().resolve("selected.yaml"), """
                stack: t2
                containers:
                  t-webs:
                    select: {compose: {project: t-shop, service: web}}
                    networks:
                      t-front: {aliases: [web]}
                """);
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        int calls = daemon.calls().size();

        Map<String, String> replica = Map.of("com.docker.compose.project", "t-shop", "com.docker.compose.service", "web");
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.CONTAINER, "start", "new-id", "t-shop-web-3", null, null, NOW,
                replica))).isTrue();
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.CONTAINER, "start", "other-id", "t-shop-db-1", null, null, NOW,
                Map.of("com.docker.compose.project", "t-shop", "com.docker.compose.service", "db")))).isFalse();
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.CONTAINER, "start", "x", "someone-else", null, null, NOW)))
                .isFalse();
        assertThat(daemon.calls().size()).as("deciding costs no Docker call").isEqualTo(calls);
    }

    @Test
    void aNewReplicaThatMatchesASelectorIsAttachedByThePassItsEventTriggers() throws IOException {
        Files.writeString(source.next.root().resolve("selected.yaml"), """
                stack: t2
                containers:
                  t-webs:
                    select: {compose: {project: t-shop, service: web}}
                    networks:
                      t-front: {aliases: [web]}
                """);
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        Map<String, String> replica = Map.of("com.docker.compose.project", "t-shop", "com.docker.compose.service", "web");
        daemon.containers().put("t-shop-web-1", new io.stackwire.reconcile.LiveContainer(InMemoryDaemon.idOf("t-shop-web-1"),
                "t-shop-web-1", true, "bridge", replica, List.of(), List.of(), List.of()));
        daemon.listener().onEvent(new DockerEvent(DockerEvent.Type.CONTAINER, "start", InMemoryDaemon.idOf("t-shop-web-1"),
                "t-shop-web-1", null, null, NOW, replica));

        PassReport r = loop.runPass(work(Trigger.EVENT));

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(daemon.containers().get("t-shop-web-1").endpoint("t-front").aliases()).contains("web");
    }

    @Test
    void ignoresEventsAboutAnotherRepositorysNetworks() {
        String ours = RepoIdentity.ofFolder(source.next.root());
        daemon.withNetwork("t-theirs", Map.of(Labels.MANAGED, "true", Labels.STACK, "t", Labels.REPO, "github.com/acme/other"))
                .withNetwork("t-legacy", Map.of(Labels.MANAGED, "true", Labels.STACK, "t"))
                .withNetwork("t-ours", Map.of(Labels.MANAGED, "true", Labels.STACK, "t", Labels.REPO, ours));
        ReconcileLoop loop = loop(true, false);
        loop.runPass(work(Trigger.START));

        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.NETWORK, "connect", "n", "t-theirs", "t-theirs", "x", NOW))).isFalse();
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.NETWORK, "connect", "n", "t-legacy", "t-legacy", "x", NOW))).isTrue();
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.NETWORK, "connect", "n", "t-ours", "t-ours", "x", NOW))).isTrue();
    }

    @Test
    void dryRunPlansAndReportsButNeverChanges() {
        ReconcileLoop loop = loop(true, false);
        PassReport r = loop.runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.DRY_RUN);
        assertThat(daemon.calls()).containsOnly("observe");
        assertThat(loop.status().held()).startsWith("dry-run: 2 step(s) planned");
    }

    @Test
    void holdsAPlanThatRemovesMostManagedNetworks() {
        Map<String, String> managed = Map.of(Labels.MANAGED, "true", Labels.STACK, "t",
                Labels.REPO, RepoIdentity.ofFolder(source.next.root()));
        daemon.withNetwork("t-old1", managed).withNetwork("t-old2", managed);
        ReconcileLoop loop = loop(false, false);

        PassReport r = loop.runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.HELD);
        assertThat(r.message()).isEqualTo("held: 2 of 2 managed networks would be removed;"
                + " apply with --allow-mass-delete, a commit trailer 'Stackwire-Allow-Mass-Delete: yes', or run `stackwire apply`");
        assertThat(daemon.networks()).containsKeys("t-old1", "t-old2");
        assertThat(loop.status().held()).isEqualTo(r.message());
    }

    @Test
    void leavesAnotherRepositorysNetworksOfTheSameStackAloneAndOutOfTheMassDeleteCount() {
        Map<String, String> ours = Map.of(Labels.MANAGED, "true", Labels.STACK, "t",
                Labels.REPO, RepoIdentity.ofFolder(source.next.root()));
        Map<String, String> theirs = Map.of(Labels.MANAGED, "true", Labels.STACK, "t", Labels.REPO, "github.com/acme/other");
        daemon.withNetwork("t-old1", ours).withNetwork("t-other1", theirs).withNetwork("t-other2", theirs).withNetwork("t-other3", theirs);

        PassReport r = loop(false, false).runPass(work(Trigger.START));

        assertThat(r.outcome()).as("1 of 1 of our networks: held, whatever the other repository has").isEqualTo(Outcome.HELD);
        assertThat(r.message()).startsWith("held: 1 of 1 managed networks");
        assertThat(daemon.networks()).containsKeys("t-old1", "t-other1", "t-other2", "t-other3");
    }

    @Test
    void appliesAMassDeleteWhenAllowed() {
        Map<String, String> managed = Map.of(Labels.MANAGED, "true", Labels.STACK, "t",
                Labels.REPO, RepoIdentity.ofFolder(source.next.root()));
        daemon.withNetwork("t-old1", managed).withNetwork("t-old2", managed);

        PassReport r = loop(false, true).runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(daemon.networks()).doesNotContainKeys("t-old1", "t-old2");
    }

    @Test
    void aCommitTrailerConfirmsAHeldMassDeleteForThatRevisionOnly() throws Exception {
        String stack = Files.readString(source.next.root().resolve("stack.yaml"));
        try (TestRepo repo = TestRepo.init(dir.resolve("origin"))) {
            Map<String, String> managed = Map.of(Labels.MANAGED, "true", Labels.STACK, "t",
                    Labels.REPO, RepoIdentity.ofGit(repo.url(), ""));
            daemon.withNetwork("t-old1", managed).withNetwork("t-old2", managed);
            repo.commit("Drop the old networks\n\nThey moved to another host.\n\nStackwire-Allow-Mass-Delete: yes\n",
                    Map.of("stack.yaml", stack));
            gitSource = new GitSource(new GitSource.Config(repo.url(), "main", "", dir.resolve("cache"), GitAuth.none()));
            ReconcileLoop loop = loop(false, false);

            PassReport confirmed = loop.runPass(work(Trigger.START));

            assertThat(confirmed.outcome()).isEqualTo(Outcome.APPLIED);
            assertThat(daemon.networks()).doesNotContainKeys("t-old1", "t-old2").containsKey("t-front");

            // The next revision has no trailer: another mass delete is held again.
            daemon.withNetwork("t-old3", managed).withNetwork("t-old4", managed).withNetwork("t-old5", managed);
            repo.commit("Rename the alias", Map.of("stack.yaml", stack.replace("[www]", "[www2]")));

            PassReport next = loop.runPass(work(Trigger.RESYNC));

            assertThat(next.outcome()).isEqualTo(Outcome.HELD);
            assertThat(daemon.networks()).containsKeys("t-old3", "t-old4", "t-old5");
        } finally {
            gitSource.close();
        }
    }

    @Test
    void rejectsARevisionWithErrorsWholeKeepsTheLastGoodOneAndDoesNotReloadIt() throws IOException {
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        source.next = snap("c2", write("bad", """
                stack: t
                networks:
                  t-front:
                    driver: bridge
                    subnet_typo: 1
                """));

        PassReport r = loop.runPass(work(Trigger.INTERVAL));
        loop.runPass(work(Trigger.INTERVAL));
        loop.runPass(work(Trigger.INTERVAL));

        assertThat(r.outcome()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(r.revision()).isEqualTo("c1");
        assertThat(loads).containsExactly("good", "bad");
        LoopStatus s = loop.status();
        assertThat(s.revision()).isEqualTo("c1");
        assertThat(s.fetchedRevision()).isEqualTo("c2");
        assertThat(s.errors()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo("spec");
            assertThat(e.revision()).isEqualTo("c2");
            assertThat(e.file()).isEqualTo("stack.yaml");
            assertThat(e.line()).isPositive();
        });
        assertThat(loop.metrics().render()).contains("stackwire_errors_total{kind=\"spec\"} 1");
    }

    @Test
    void aFirstRevisionWithErrorsIsTerminalNotAFailure() throws IOException {
        source.next = snap("c9", write("bad", "stack: t\nnetworks: 3\n"));

        PassReport r = loop(false, false).runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.NO_SPEC);
        assertThat(r.outcome().ok()).as("no backoff-driven retries of a revision that cannot get better").isTrue();
        assertThat(daemon.calls()).isEmpty();
    }

    @Test
    void aFailedFetchKeepsReconcilingTheLastGoodSnapshotAndReportsTheError() throws Exception {
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        source.failure = "cannot fetch https://git.example/repo: connection refused";
        daemon.disconnect("t-web", "t-front", false);
        daemon.listener().onEvent(new DockerEvent(DockerEvent.Type.NETWORK, "disconnect", "id", "t-front", "t-front", InMemoryDaemon.idOf("t-web"), NOW));

        PassReport r = loop.runPass(work(Trigger.INTERVAL));

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(r.message()).endsWith("; fetch failing since " + NOW + ", revision c1 still enforced");
        assertThat(loop.status().errors()).extracting(LoopStatus.ErrorView::kind).contains("source");
        assertThat(loop.status().fetchError()).isEqualTo(source.failure);
        assertThat(loop.status().fetchFailingSince()).isEqualTo(NOW.toString());
        assertThat(loop.status().lastFetchAt()).isEqualTo(NOW.toString());
        assertThat(loop.metrics().render()).contains("stackwire_git_fetch_failures_total 1", "stackwire_errors_total{kind=\"source\"} 1",
                        "stackwire_git_fetch_failing 1\n")
                .containsPattern("stackwire_git_fetch_duration_seconds_count [2-9]");
        PassReport idle = loop.runPass(work(Trigger.INTERVAL));
        assertThat(idle.outcome()).as("nothing to change is no failure, whatever the fetch did").isEqualTo(Outcome.NO_CHANGES);
        assertThat(idle.message()).isEqualTo("fetch failing since " + NOW + ", revision c1 still enforced");
        assertThat(loop.status().consecutiveFailures()).isZero();
        assertThat(loop.status().consecutiveFetchFailures()).isEqualTo(2);

        source.failure = null;
        assertThat(loop.runPass(work(Trigger.INTERVAL)).message()).isEmpty();
        assertThat(loop.status().fetchError()).isNull();
        assertThat(loop.status().fetchFailingSince()).isNull();
        assertThat(loop.status().errors()).isEmpty();
        assertThat(loop.metrics().render()).contains("stackwire_git_fetch_failing 0\n");
    }

    @Test
    void whileFetchesBackOffADockerEventIsHealedAtOnceAgainstTheLastGoodRevision() throws Exception {
        ReconcileLoop loop = loop(false, false);
        loop.finished(loop.runPass(work(Trigger.START)));
        source.failure = "git: cannot reach http://127.0.0.1:1/repo.git: connection refused";
        PassReport failedFetch = loop.runPass(work(Trigger.INTERVAL));
        loop.finished(failedFetch);
        assertThat(failedFetch.outcome().ok()).isTrue();
        assertThat(loop.nextPassIn()).as("a pass that fetches again after the fetch backoff").isBetween(1000L, 1100L);

        daemon.disconnect("t-web", "t-front", false);
        daemon.listener().onEvent(new DockerEvent(DockerEvent.Type.NETWORK, "disconnect", "id", "t-front", "t-front",
                InMemoryDaemon.idOf("t-web"), NOW));

        assertThat(loop.nextPassIn()).as("the event waits for its debounce only, not for Git").isEqualTo(LoopConfig.DEFAULT_DEBOUNCE.toMillis());
        PassReport healed = loop.runPass(work(Trigger.EVENT));
        assertThat(healed.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(healed.revision()).isEqualTo("c1");
        assertThat(daemon.containers().get("t-web").endpoint("t-front")).isNotNull();
        assertThat(loop.metrics().render()).as("the event pass did not fetch").contains("stackwire_git_fetch_duration_seconds_count 2\n");
    }

    @Test
    void livenessWaitsOutABackoffButNotAStuckLoop() throws Exception {
        MutableClock time = new MutableClock(NOW);
        source.failure = "git: cannot reach the server";
        LoopConfig c = new LoopConfig("edge", Duration.ofSeconds(30), Duration.ofMinutes(5), null, Duration.ofMinutes(10),
                Duration.ofMinutes(10), false, false, 0.5, false, "me", "lease-test", Duration.ofMinutes(5), 1);
        try (ReconcileLoop loop = new ReconcileLoop(c, source, SpecLoader::load, Planner::plan, HostCheck.NONE,
                daemon, () -> 0, time, new Random(1))) {
            loop.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().lastPass() != null && loop.nextPassIn() > 0);
            assertThat(loop.status().lastPass().outcome()).as("Git down before any revision: nothing to enforce").isEqualTo("error");

            time.now = NOW.plus(Duration.ofMinutes(5));
            assertThat(loop.healthy()).as("waiting out a 10-minute backoff is alive").isTrue();
            assertThat(loop.ready()).isFalse();
            time.now = NOW.plus(Duration.ofMinutes(12));
            assertThat(loop.healthy()).as("no pass 2 minutes after the backoff ended: stuck").isFalse();
        }
    }

    /** A loop of controller {@code instance} on the shared fake daemon, reading {@code from}, on {@code time}. */
    private ReconcileLoop loopAs(String instance, SpecSource from, Clock time) {
        LoopConfig c = new LoopConfig("edge", Duration.ofSeconds(30), Duration.ofMinutes(5), null, null, null,
                false, false, 0.5, false, instance, "lease-test", Duration.ofMinutes(5), 1);
        ReconcileLoop loop = new ReconcileLoop(c, from, SpecLoader::load, Planner::plan, HostCheck.NONE, daemon,
                () -> daemon.calls().size(), time, new Random(1));
        loop.subscribe();
        return loop;
    }

    private static final String MAIN_SPEC = "stack: t\nnetworks:\n  t-front:\n    ipam:\n      config:\n        - subnet: 10.1.0.0/24\n";
    private static final String BRANCH_SPEC = "stack: t\nnetworks:\n  t-front:\n    ipam:\n      config:\n        - subnet: 10.2.0.0/24\n";

    private long creates(String name) {
        return daemon.calls().stream().filter(x -> x.equals("create " + name)).count();
    }

    private List<String> claimNetworks() {
        return daemon.networks().keySet().stream().filter(n -> n.startsWith(PeerClaim.NAME_PREFIX)).toList();
    }

    @Test
    void twoControllersWhoseSpecsDisagreeAboutANetworkBothReportItAndNeitherReplacesTheOthersWhileBothRun() throws IOException {
        MutableClock time = new MutableClock(NOW);
        daemon.clock(() -> time.now);
        FakeSource mainSource = new FakeSource();
        mainSource.name = "git main";
        mainSource.next = owned("c-main", write("main", MAIN_SPEC));
        FakeSource branchSource = new FakeSource();
        branchSource.name = "git branch";
        branchSource.next = owned("c-branch", write("branch", BRANCH_SPEC));
        ReconcileLoop main = loopAs("ctl-main", mainSource, time);
        ReconcileLoop branch = loopAs("ctl-branch", branchSource, time);

        assertThat(main.runPass(work(Trigger.START)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(claimNetworks()).as("no conflict, no claim").isEmpty();
        for (int i = 0; i < 5; i++) {
            time.now = time.now.plusSeconds(30);
            assertThat(branch.runPass(work(Trigger.RESYNC)).outcome()).isEqualTo(Outcome.PLAN_ERRORS);
            assertThat(main.runPass(work(Trigger.RESYNC)).outcome()).as("the side whose network stands sees it too")
                    .isEqualTo(Outcome.PLAN_ERRORS);
        }
        assertThat(creates("t-front")).as("made once, never replaced").isEqualTo(1);
        assertThat(daemon.networks().get("t-front").labels()).containsEntry(Labels.OWNER, "ctl-main")
                .containsEntry(Labels.REVISION, "c-main");
        assertThat(claimNetworks()).as("one claim each").hasSize(2);
        LoopStatus.ErrorView held = branch.status().errors().stream()
                .filter(x -> "conflict-other-revision".equals(x.code())).findFirst().orElseThrow();
        assertThat(held.subject()).isEqualTo("network.t-front");
        assertThat(held.message()).contains("controller ctl-main at revision c-main");
        LoopStatus.ErrorView stands = main.status().errors().stream()
                .filter(x -> "conflict-other-revision".equals(x.code())).findFirst().orElseThrow();
        assertThat(stands.subject()).isEqualTo("network.t-front");
        assertThat(stands.message()).contains("is kept as this spec (revision c-main)", "controller ctl-branch at revision c-branch",
                "in conflict since " + NOW.plusSeconds(30));
        for (ReconcileLoop l : List.of(main, branch)) {
            assertThat(l.metrics().render()).as("counted once, when it began")
                    .contains("stackwire_conflicts_total{code=\"conflict-other-revision\"} 1\n",
                            "stackwire_plan_errors{code=\"conflict-other-revision\",resource=\"network.t-front\"} 1\n");
        }

        // Past the quiet period the branch controller still holds: the main one runs and asserts its spec.
        while (!time.now.isAfter(NOW.plus(PeerStamps.PEER_QUIET).plusSeconds(60))) {
            time.now = time.now.plusSeconds(30); // both pass every interval (each sees the other's renewals: an event)
            assertThat(main.runPass(work(Trigger.RESYNC)).outcome()).isEqualTo(Outcome.PLAN_ERRORS);
            assertThat(branch.runPass(work(Trigger.RESYNC)).outcome()).isEqualTo(Outcome.PLAN_ERRORS);
        }
        assertThat(branch.status().errors()).anyMatch(x -> x.message().contains("for as long as that controller runs"));
        assertThat(creates("t-front")).isEqualTo(1);

        // The main controller dies without a word: once its claim lapses, the branch one replaces the network, once.
        time.now = time.now.plus(ClaimKeeper.ttl(Duration.ofSeconds(30)));
        assertThat(branch.runPass(work(Trigger.RESYNC)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(creates("t-front")).isEqualTo(2);
        assertThat(branch.status().errors()).noneMatch(x -> "conflict-other-revision".equals(x.code()));
        assertThat(claimNetworks()).as("the branch controller withdrew its claim; the dead one's stays until cleaned")
                .singleElement().asString().startsWith(PeerClaim.NAME_PREFIX + main.controllerName(null) + ".");
    }

    @Test
    void theConflictClearsOnBothSidesWhenOneSpecIsChangedToAgree() throws IOException {
        MutableClock time = new MutableClock(NOW);
        daemon.clock(() -> time.now);
        FakeSource mainSource = new FakeSource();
        mainSource.name = "git main";
        mainSource.next = owned("c-main", write("main", MAIN_SPEC));
        FakeSource branchSource = new FakeSource();
        branchSource.name = "git branch";
        branchSource.next = owned("c-branch", write("branch", BRANCH_SPEC));
        ReconcileLoop main = loopAs("ctl-main", mainSource, time);
        ReconcileLoop branch = loopAs("ctl-branch", branchSource, time);
        main.runPass(work(Trigger.START));
        time.now = time.now.plusSeconds(30);
        branch.runPass(work(Trigger.RESYNC));
        main.runPass(work(Trigger.RESYNC));
        assertThat(claimNetworks()).hasSize(2);

        // The branch is brought in line with main.
        branchSource.next = owned("c-branch-2", write("branch2", MAIN_SPEC));
        time.now = time.now.plusSeconds(30);
        assertThat(branch.runPass(work(Trigger.RESYNC)).outcome()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(main.runPass(work(Trigger.RESYNC)).outcome()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(claimNetworks()).as("both claims withdrawn").isEmpty();
        assertThat(main.status().errors()).isEmpty();
        assertThat(branch.status().errors()).isEmpty();
        assertThat(creates("t-front")).isEqualTo(1);
    }

    @Test
    void anotherControllersClaimComingOrGoingIsAnEventOursIsNot() {
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        String theirs = PeerClaim.networkName("0123456789abcdef", 1);
        String ours = PeerClaim.networkName(loop.controllerName(null), 0);
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.NETWORK, "create", "n", theirs, theirs, null, NOW))).isTrue();
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.NETWORK, "destroy", "n", theirs, theirs, null, NOW))).isTrue();
        assertThat(loop.concerns(new DockerEvent(DockerEvent.Type.NETWORK, "create", "n", ours, ours, null, NOW))).isFalse();
    }

    @Test
    void aControllerWithoutConflictMakesNoDockerCallForClaims() {
        ReconcileLoop l = loop(false, false);
        l.runPass(work(Trigger.START));
        int before = daemon.calls().size();
        assertThat(l.runPass(work(Trigger.INTERVAL)).outcome()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(daemon.calls().subList(before, daemon.calls().size())).isEmpty();
    }

    @Test
    void aRestartedControllerWithANewCommitReplacesItsOwnNetworkAtOnce() throws IOException {
        MutableClock time = new MutableClock(NOW);
        daemon.clock(() -> time.now);
        FakeSource source = new FakeSource();
        source.name = "git main";
        source.next = owned("c1", write("v1", "stack: t\nnetworks:\n  t-front:\n    ipam:\n      config:\n        - subnet: 10.1.0.0/24\n"));
        assertThat(loopAs("ctl-before", source, time).runPass(work(Trigger.START)).outcome()).isEqualTo(Outcome.APPLIED);

        // The same controller (same source, same host) comes back as a new process with a new commit.
        time.now = time.now.plusSeconds(30);
        source.next = owned("c2", write("v2", "stack: t\nnetworks:\n  t-front:\n    ipam:\n      config:\n        - subnet: 10.2.0.0/24\n"));
        ReconcileLoop restarted = loopAs("ctl-after", source, time);

        assertThat(restarted.runPass(work(Trigger.START)).outcome()).as("its own network: no hold").isEqualTo(Outcome.APPLIED);
        assertThat(daemon.calls().stream().filter(x -> x.equals("create t-front"))).hasSize(2);
        assertThat(daemon.networks().get("t-front").labels()).containsEntry(Labels.OWNER, "ctl-after")
                .containsEntry(Labels.CONTROLLER, restarted.controllerName(null));
    }

    @Test
    void waitsAtLeastTwoFetchIntervalsBeforeReplacingAnotherControllersNetwork() {
        assertThat(PeerStamps.peerQuiet(Duration.ofSeconds(30))).isEqualTo(Duration.ofMinutes(10));
        assertThat(PeerStamps.peerQuiet(Duration.ofMinutes(15))).isEqualTo(Duration.ofMinutes(30));
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void statusShowsEachRevisionWithItsOwnErrorWhenAPathFolderGoesAndComesBack() throws Exception {
        String stack = Files.readString(source.next.root().resolve("stack.yaml"));
        Map<String, String> bad = new TreeMap<>();
        bad.put("spec/stack.yaml", "stack: t\nnetworks: 3\n");
        Map<String, String> gone = new TreeMap<>();
        gone.put("spec/stack.yaml", null);
        gone.put("README.md", "moved\n");
        try (TestRepo repo = TestRepo.init(dir.resolve("origin"))) {
            String a = repo.commit("A", Map.of("spec/stack.yaml", stack)).name();
            gitSource = new GitSource(new GitSource.Config(repo.url(), "main", "spec", dir.resolve("cache"), GitAuth.none()));
            ReconcileLoop loop = loop(false, false);
            assertThat(loop.runPass(work(Trigger.START)).outcome()).isEqualTo(Outcome.APPLIED);
            String broken = repo.commit("A2: a spec error", bad).name();
            loop.runPass(work(Trigger.INTERVAL));
            assertThat(loop.status().errors()).isNotEmpty().allSatisfy(e -> assertThat(e.revision()).isEqualTo(broken));

            String b = repo.commit("B: the spec folder goes", gone).name();
            PassReport afterB = loop.runPass(work(Trigger.INTERVAL));

            assertThat(afterB.outcome()).as("a bad revision is not a failed fetch").isEqualTo(Outcome.NO_CHANGES);
            LoopStatus s = loop.status();
            assertThat(s.revision()).as("still applied").isEqualTo(a);
            assertThat(s.fetchedRevision()).isEqualTo(b);
            assertThat(s.fetchError()).isNull();
            assertThat(s.errors()).as("A2's error is gone; B's names B").singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo("spec");
                assertThat(e.revision()).isEqualTo(b);
                assertThat(e.message()).contains("--path spec does not exist in commit " + b);
            });
            assertThat(loop.status().consecutiveFetchFailures()).isZero();

            String c = repo.commit("C: the spec folder is back", Map.of("spec/stack.yaml", stack)).name();
            loop.runPass(work(Trigger.INTERVAL));

            assertThat(loop.status().revision()).isEqualTo(c);
            assertThat(loop.status().fetchedRevision()).isEqualTo(c);
            assertThat(loop.status().errors()).isEmpty();
        } finally {
            gitSource.close();
        }
    }

    @Test
    void anUnreachableDaemonIsAnErrorThatBacksOff() {
        daemon.unavailable(new GatewayException(GatewayException.Kind.UNAVAILABLE, "cannot reach the Docker daemon"));

        ReconcileLoop loop = loop(false, false);
        PassReport r = loop.runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.outcome().ok()).isFalse();
        assertThat(r.message()).contains("cannot reach");
        assertThat(loop.metrics().render()).contains("stackwire_errors_total{kind=\"daemon\"} 1", "stackwire_seconds_since_last_success -1");
    }

    @Test
    void verificationTurnsAMissingAliasIntoAFailedStep() {
        daemon.droppingAliases();

        ReconcileLoop loop = loop(false, false);
        PassReport r = loop.runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(loop.metrics().render()).contains("stackwire_errors_total{kind=\"apply\"} 1");
        assertThat(r.failures()).containsExactly(
                "connect t-web -> t-front: verify failed: aliases [www] missing on t-front (has [])");
    }

    @Test
    void waitsWhileAnotherControllerHoldsTheLease() {
        daemon.withNetwork("lease-test", Map.of(Labels.LEASE, "true", Labels.LEASE_OWNER, "other-host-42",
                Labels.LEASE_EXPIRES, Long.toString(NOW.plusSeconds(60).getEpochSecond())));

        PassReport r = loop(false, false).runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.LEASE_BUSY);
        assertThat(r.message()).contains("lease held by other-host-42 until 2026-11-28T05:01:00Z");
        assertThat(daemon.networks()).doesNotContainKey("t-front");
    }

    @Test
    void takesOverAnExpiredLeaseOfACrashedController() {
        daemon.withNetwork("lease-test", Map.of(Labels.LEASE, "true", Labels.LEASE_OWNER, "crashed",
                Labels.LEASE_EXPIRES, Long.toString(NOW.minusSeconds(1).getEpochSecond())));

        PassReport r = loop(false, false).runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(daemon.calls()).contains("remove id-lease-test");
        assertThat(daemon.networks()).doesNotContainKey("lease-test");
    }

    @Test
    void aHostPortHeldByAProcessOnThisHostStopsAReplaceInThePlan() throws IOException {
        source.next = snap("c2", write("ports", """
                stack: t
                networks:
                  t-front:
                    driver: bridge
                containers:
                  t-web:
                    replace: allow
                    ports: ["127.0.0.1:8080:80"]
                    networks:
                      t-front:
                        aliases: [www]
                """));
        List<String> probed = new ArrayList<>();
        hostCheck = (d, l) -> {
            probed.addAll(d.containers().keySet());
            return new HostPorts(true, Set.of("127.0.0.1"),
                    new TreeMap<>(Map.of(HostPorts.key("127.0.0.1", 8080, Protocol.TCP), "Address already in use")));
        };
        ReconcileLoop loop = loop(false, false);

        PassReport r = loop.runPass(work(Trigger.START));

        assertThat(probed).containsExactly("t-web");
        assertThat(loop.status().notices()).anySatisfy(n -> assertThat(n.message())
                .contains("wants host port 127.0.0.1:8080:80, which is in use on this host: Address already in use"));
        assertThat(r.outcome()).as("the rest is applied; the refused replace keeps it from converging").isEqualTo(Outcome.PLAN_ERRORS);
        assertThat(r.applied()).isEqualTo(2);

        hostCheck = HostCheck.NONE; // without the probe the loop would try (the daemon refuses here)
        daemon.failing("replace t-web", new GatewayException(GatewayException.Kind.REFUSED,
                "replace container t-web: this Docker gateway cannot re-create containers"));
        assertThat(loop(false, false).runPass(work(Trigger.START)).failures())
                .anySatisfy(f -> assertThat(f).contains("t-web").contains("cannot re-create containers"));
    }

    /** c1's spec plus t-back, a network whose name an unmanaged network on the daemon already has. */
    private Snapshot withUnmanagedNetwork(String revision) throws IOException {
        daemon.withNetwork("t-back", Map.of());
        return owned(revision, write("refused-" + revision, """
                stack: t
                networks:
                  t-front:
                    driver: bridge
                  t-back:
                    driver: bridge
                containers:
                  t-web:
                    networks:
                      t-front:
                        aliases: [www]
                """));
    }

    /** What the loop's logger (slf4j-simple, on System.err) writes while {@code r} runs. */
    private static String logOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPlanWithErrorsAppliesTheRestButIsNotConvergedAndDoesNotBackOff() throws IOException {
        source.next = withUnmanagedNetwork("c1");
        ReconcileLoop loop = loop(false, false);

        PassReport r = loop.runPass(work(Trigger.START));

        assertThat(r.outcome()).isEqualTo(Outcome.PLAN_ERRORS);
        assertThat(r.outcome().converged()).isFalse();
        assertThat(r.applied()).as("the network and the attachment that are not refused").isEqualTo(2);
        assertThat(r.message()).endsWith("1 plan error(s): part of the spec is refused.");
        assertThat(daemon.containers().get("t-web").endpoint("t-front").aliases()).containsExactly("www");
        assertThat(daemon.networks().get("t-back").labels()).as("left alone").isEmpty();

        LoopStatus s = loop.status();
        assertThat(s.converged()).isFalse();
        assertThat(s.lastPass().outcome()).isEqualTo("plan_errors");
        assertThat(s.errors()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("plan");
            assertThat(e.revision()).isEqualTo("c1");
            assertThat(e.subject()).isEqualTo("network.t-back");
            assertThat(e.code()).isEqualTo("conflict-unmanaged-network");
            assertThat(e.message()).contains("exists but was not created by stackwire");
            assertThat(e.hint()).contains("external: true");
            assertThat(e.text()).startsWith("network.t-back: network t-back exists but")
                    .contains("[conflict-unmanaged-network] (mark it `external: true`");
        });
        assertThat(loop.metrics().render()).contains(
                "stackwire_plan_errors{code=\"conflict-unmanaged-network\",resource=\"network.t-back\"} 1\n",
                "stackwire_plan_notices{severity=\"error\"} 1\n",
                "stackwire_converged 0\n",
                "stackwire_passes_total{result=\"plan_errors\"} 1\n");

        loop.finished(r);
        assertThat(loop.nextPassIn()).as("no retry: plan errors are not a failure of the controller").isEqualTo(-1);
        assertThat(loop.runPass(work(Trigger.INTERVAL)).outcome()).as("still refused, nothing else to do")
                .isEqualTo(Outcome.PLAN_ERRORS);
    }

    @Test
    void theErrorsClearFromStatusAndMetricsWhenTheSpecNoLongerAsksForIt() throws IOException {
        Snapshot good = source.next;
        source.next = withUnmanagedNetwork("c1");
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        source.next = owned("c2", good.root());

        PassReport r = loop.runPass(work(Trigger.INTERVAL));

        assertThat(r.outcome()).isEqualTo(Outcome.NO_CHANGES);
        assertThat(loop.status().converged()).isTrue();
        assertThat(loop.status().errors()).isEmpty();
        assertThat(loop.metrics().render()).doesNotContain("stackwire_plan_errors{")
                .contains("stackwire_plan_notices{severity=\"error\"} 0\n", "stackwire_converged 1\n");
    }

    @Test
    void aDaemonErrorStillBacksOffAndRetries() {
        daemon.unavailable(new GatewayException(GatewayException.Kind.UNAVAILABLE, "cannot reach the Docker daemon"));
        ReconcileLoop loop = loop(false, false);

        loop.finished(loop.runPass(work(Trigger.START)));

        assertThat(loop.nextPassIn()).as("the contrast: a daemon error waits for the backoff, then retries").isPositive();
    }

    @Test
    void logsPlanErrorsOncePerRevisionAndOnceWhenTheyClear() throws IOException {
        Snapshot good = source.next;
        source.next = withUnmanagedNetwork("c1");
        ReconcileLoop loop = loop(false, false);

        String first = logOf(() -> loop.runPass(work(Trigger.START)));
        String settled = logOf(() -> loop.runPass(work(Trigger.INTERVAL)));
        String same = logOf(() -> {
            loop.runPass(work(Trigger.INTERVAL));
            loop.runPass(work(Trigger.RESYNC));
        });
        source.next = owned("c2", source.next.root());
        String nextRevision = logOf(() -> loop.runPass(work(Trigger.INTERVAL)));
        source.next = owned("c3", good.root());
        String cleared = logOf(() -> loop.runPass(work(Trigger.INTERVAL)));
        String quiet = logOf(() -> loop.runPass(work(Trigger.INTERVAL)));

        assertThat(first).contains("rev c1: the plan refuses part of the spec, 1 error(s); not converged until they are fixed",
                "  network.t-back: network t-back exists but was not created by stackwire");
        assertThat(settled).as("the first pass that finds nothing left to apply says so, not the errors again")
                .doesNotContain("refuses").contains("plan_errors, 0 of 0 step(s) applied");
        assertThat(same).as("the same errors for the same revision, the same pass again: nothing at info")
                .doesNotContain("refuses", "network.t-back:", "plan_errors");
        assertThat(nextRevision).contains("rev c2: the plan refuses part of the spec, 1 error(s)");
        assertThat(cleared).contains("rev c3: plan errors cleared");
        assertThat(quiet).doesNotContain("cleared", "refuses");
    }

    @Test
    void readyzStaysReadyWhileStatusAndMetricsReportThePlanErrors() throws Exception {
        source.next = withUnmanagedNetwork("c1");
        ReconcileLoop loop = loop(false, false);
        HttpClient http = HttpClient.newHttpClient();
        try (loop; StatusServer server = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), loop, new WebhookAuth(null))) {
            loop.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> loop.status().lastPass() != null);
            String base = "http://127.0.0.1:" + server.address().getPort();
            java.util.function.Function<String, HttpResponse<String>> get = path -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            };

            assertThat(get.apply("/readyz").statusCode()).isEqualTo(200);
            assertThat(get.apply("/status").body()).contains("\"outcome\" : \"plan_errors\"", "\"converged\" : false",
                    "\"kind\" : \"plan\"", "\"code\" : \"conflict-unmanaged-network\"", "\"subject\" : \"network.t-back\"",
                    "\"hint\" : \"mark it `external: true`");
            assertThat(get.apply("/metrics").body())
                    .contains("stackwire_plan_errors{code=\"conflict-unmanaged-network\",resource=\"network.t-back\"} 1");
        }
    }

    @Test
    void metricsCountPassesByResultAndTheApiCalls() {
        ReconcileLoop loop = loop(false, false);
        loop.runPass(work(Trigger.START));
        loop.runPass(work(Trigger.INTERVAL));

        String text = loop.metrics().render();

        assertThat(text).contains("stackwire_passes_total{result=\"applied\"} 1",
                "stackwire_passes_total{result=\"no_changes\"} 1",
                "stackwire_changes_applied_total{action=\"create\"} 1",
                "stackwire_changes_applied_total{action=\"connect\"} 1",
                "stackwire_pass_duration_seconds_count 2",
                "stackwire_revision_info{kind=\"applied\",revision=\"c1\"} 1",
                "stackwire_docker_api_calls_total " + daemon.calls().size());
    }
}
