package io.stackwire.controller.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GitSource against real repositories the test makes with JGit, fetched over file://. */
class GitSourceTest {

    @TempDir
    Path tmp;

    private TestRepo origin;
    private Path cache;

    @BeforeEach
    void makeRepo() throws Exception {
        origin = TestRepo.init(tmp.resolve("origin"));
        cache = tmp.resolve("cache");
    }

    @AfterEach
    void closeRepo() {
        origin.close();
    }

    private GitSource source(String ref, String path) throws SourceException {
        return new GitSource(new GitSource.Config(origin.url(), ref, path, cache, GitAuth.none()));
    }

    private static String read(Path root, String file) throws Exception {
        return Files.readString(root.resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void readsTheDefaultBranchAndPicksUpANewCommitOnTheNextFetch() throws Exception {
        RevCommit first = origin.commit("stacks/a.yaml", "one\n");
        try (GitSource source = source(null, "stacks")) {
            Snapshot s1 = source.fetch();
            assertThat(s1.revision()).isEqualTo(first.name());
            assertThat(read(s1.root(), "a.yaml")).isEqualTo("one\n");

            RevCommit second = origin.commit("stacks/a.yaml", "two\n");
            Snapshot s2 = source.fetch();

            assertThat(s2.revision()).isEqualTo(second.name());
            assertThat(read(s2.root(), "a.yaml")).isEqualTo("two\n");
            assertThat(read(s1.root(), "a.yaml")).as("the previous revision's files stay as they were").isEqualTo("one\n");
        }
    }

    @Test
    void clonesShallowlyWhereTheServerAllowsIt() throws Exception {
        origin.commit("stacks/a.yaml", "one\n");
        origin.commit("stacks/a.yaml", "two\n");
        try (GitSource source = source("main", "stacks")) {
            source.fetch();
            assertThat(source.cacheDir().resolve("repo.git/shallow")).exists();
        }
    }

    @Test
    void readsANamedBranch() throws Exception {
        origin.commit("stacks/a.yaml", "main\n");
        origin.branch("staging");
        origin.checkout("staging");
        RevCommit staging = origin.commit("stacks/a.yaml", "staging\n");
        origin.checkout("main");

        try (GitSource source = source("staging", "stacks")) {
            Snapshot s = source.fetch();
            assertThat(s.revision()).isEqualTo(staging.name());
            assertThat(read(s.root(), "a.yaml")).isEqualTo("staging\n");
        }
    }

    @Test
    void readsLightweightAndAnnotatedTagsAsTheirCommit() throws Exception {
        RevCommit v1 = origin.commit("stacks/a.yaml", "v1\n");
        origin.tag("v1", false);
        RevCommit v2 = origin.commit("stacks/a.yaml", "v2\n");
        origin.tag("v2", true);
        origin.commit("stacks/a.yaml", "later\n");

        try (GitSource light = source("v1", "stacks")) {
            Snapshot s = light.fetch();
            assertThat(s.revision()).isEqualTo(v1.name());
            assertThat(read(s.root(), "a.yaml")).isEqualTo("v1\n");
        }
        try (GitSource annotated = source("v2", "stacks")) {
            Snapshot s = annotated.fetch();
            assertThat(s.revision()).isEqualTo(v2.name());
            assertThat(read(s.root(), "a.yaml")).isEqualTo("v2\n");
        }
    }

    @Test
    void aFullCommitIdPinsTheRevisionEvenWhenTheBranchMovesOn() throws Exception {
        RevCommit pinned = origin.commit("stacks/a.yaml", "pinned\n");
        origin.commit("stacks/a.yaml", "newer\n");

        try (GitSource source = source(pinned.name(), "stacks")) {
            Snapshot s = source.fetch();
            assertThat(s.revision()).isEqualTo(pinned.name());
            assertThat(read(s.root(), "a.yaml")).isEqualTo("pinned\n");

            origin.commit("stacks/a.yaml", "newest\n");
            assertThat(source.fetch().revision()).isEqualTo(pinned.name());
        }
    }

    @Test
    void aPinnedCommitThatIsNotInTheRepositoryIsAnError() throws Exception {
        origin.commit("stacks/a.yaml", "one\n");
        String absent = "0123456789abcdef0123456789abcdef01234567";

        try (GitSource source = source(absent, "stacks")) {
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .hasMessageContaining("commit " + absent + " is not in");
        }
    }

    @Test
    void narrowsToThePathAndReadsOnlyItsFiles() throws Exception {
        origin.commit("both", Map.of("stacks/prod/a.yaml", "a\n", "stacks/prod/sub/b.yaml", "b\n", "README.md", "hi\n"));

        try (GitSource source = source("main", "/stacks/prod/")) {
            Snapshot s = source.fetch();
            assertThat(s.root().getFileName().toString()).isEqualTo("prod");
            assertThat(read(s.root(), "a.yaml")).isEqualTo("a\n");
            assertThat(read(s.root(), "sub/b.yaml")).isEqualTo("b\n");
            assertThat(s.root().getParent().getParent().resolve("README.md")).doesNotExist();
        }
    }

    @Test
    void aMissingPathNamesThePathTheCommitAndWhatExists() throws Exception {
        RevCommit c = origin.commit("both", Map.of("stacks/prod/a.yaml", "a\n", "stacks/staging/a.yaml", "a\n"));

        try (GitSource source = source("main", "stacks/prd")) {
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .hasMessageContaining("--path stacks/prd does not exist in commit " + c.name())
                    .hasMessageContaining("stacks/ has: prod/, staging/");
        }
    }

    @Test
    void servesTheCommitsFilesEvenAfterSomeoneEditedTheCachedTree() throws Exception {
        RevCommit c = origin.commit("stacks/a.yaml", "from git\n");
        try (GitSource source = source("main", "stacks")) {
            Path file = source.fetch().root().resolve("a.yaml");
            file.toFile().setWritable(true);
            Files.writeString(file, "edited by hand\n");
            Files.writeString(file.resolveSibling("extra.yaml"), "not in git\n");

            Snapshot again = source.fetch();

            assertThat(again.revision()).isEqualTo(c.name());
            assertThat(read(again.root(), "a.yaml")).isEqualTo("from git\n");
            assertThat(again.root().resolve("extra.yaml")).doesNotExist();
        }
    }

    @Test
    void theCacheHasNoWorkingTreeAndTheFilesAreReadOnly() throws Exception {
        origin.commit("stacks/a.yaml", "x\n");
        try (GitSource source = source("main", "stacks")) {
            Snapshot s = source.fetch();
            assertThat(source.cacheDir().resolve("repo.git/config")).exists();
            assertThat(source.cacheDir().resolve("repo.git/stacks")).doesNotExist();
            assertThat(Files.getPosixFilePermissions(s.root().resolve("a.yaml")))
                    .doesNotContain(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void keepsOnlyTheTwoMostRecentTrees() throws Exception {
        RevCommit first = origin.commit("stacks/a.yaml", "1\n");
        try (GitSource source = source("main", "stacks")) {
            source.fetch();
            RevCommit second = origin.commit("stacks/a.yaml", "2\n");
            source.fetch();
            RevCommit third = origin.commit("stacks/a.yaml", "3\n");
            source.fetch();

            try (Stream<Path> trees = Files.list(source.cacheDir().resolve("trees"))) {
                assertThat(trees.map(p -> p.getFileName().toString()).sorted().toList())
                        .containsExactlyInAnyOrder(second.name(), third.name())
                        .doesNotContain(first.name());
            }
        }
    }

    @Test
    void aRepositoryThatDisappearsIsAnErrorAndStaysOneForANewSource() throws Exception {
        origin.commit("stacks/a.yaml", "x\n");
        try (GitSource source = source("main", "stacks")) {
            source.fetch();
            deleteTree(origin.dir);

            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .hasMessageStartingWith("git: cannot list the refs of " + origin.url().replaceAll("/$", ""))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        try (GitSource again = source("main", "stacks")) {
            assertThatThrownBy(again::fetch).isInstanceOf(SourceException.class)
                    .hasMessageContaining("cannot list the refs of");
        }
    }

    @Test
    void anEmptyRepositoryIsAnErrorNotAnEmptySpec() throws Exception {
        try (GitSource source = source(null, null)) {
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .hasMessageContaining("has no commits")
                    .hasMessageContaining("refusing to read it as an empty spec");
        }
    }

    @Test
    void aCommitWithNoFilesIsAnError() throws Exception {
        origin.commit("a.yaml", "x\n");
        RevCommit empty = origin.commit("remove", java.util.Collections.singletonMap("a.yaml", null));

        try (GitSource source = source("main", null)) {
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .hasMessageContaining("commit " + empty.name() + " (ref main) has no files");
        }
    }

    @Test
    void anUnknownRefListsTheBranches() throws Exception {
        origin.commit("stacks/a.yaml", "x\n");
        origin.branch("staging");
        origin.branch("prod");

        try (GitSource source = source("prdo", "stacks")) {
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .hasMessageContaining("no branch or tag 'prdo' in")
                    .hasMessageEndingWith("branches: main, prod, staging");
        }
    }

    @Test
    void aCorruptCacheIsClonedAgainOnce() throws Exception {
        origin.commit("stacks/a.yaml", "one\n");
        try (GitSource source = source("main", "stacks")) {
            source.fetch();
            deleteTree(source.cacheDir().resolve("repo.git/objects"));
            RevCommit next = origin.commit("stacks/a.yaml", "two\n");

            Snapshot s = source.fetch();

            assertThat(s.revision()).isEqualTo(next.name());
            assertThat(read(s.root(), "a.yaml")).isEqualTo("two\n");
        }
    }

    @Test
    void aLocalPathWorksLikeAFileUrl() throws Exception {
        RevCommit c = origin.commit("stacks/a.yaml", "x\n");
        try (GitSource source = new GitSource(new GitSource.Config(origin.dir.toString(), "main", "stacks", cache, null))) {
            assertThat(source.fetch().revision()).isEqualTo(c.name());
        }
    }

    @Test
    void aPathThatIsNeitherAUrlNorAFolderIsRefused() {
        assertThatThrownBy(() -> new GitSource(new GitSource.Config(tmp.resolve("nope").toString(), null, null, cache, null)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("does not exist (not a URL, and no such local path)");
    }

    @Test
    void refusesAPathThatLeavesTheRepository() {
        assertThatThrownBy(() -> new GitSource.Config(origin.url(), null, "stacks/../../etc", cache, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must stay inside the repository");
    }

    @Test
    void redactsCredentialsInTheUrlFromDescribeAndErrors() throws Exception {
        // Port 9 on loopback: nothing listens, so the fetch fails fast without leaving the machine.
        String secretUrl = "https://deploy:s3cr3t-pw@127.0.0.1:9/org/repo.git";
        try (GitSource source = new GitSource(new GitSource.Config(secretUrl, "main", "stacks", cache, null))) {
            assertThat(source.describe()).isEqualTo("https://127.0.0.1:9/org/repo.git@main path stacks")
                    .doesNotContain("s3cr3t-pw");
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("127.0.0.1:9").doesNotContain("s3cr3t-pw").doesNotContain("deploy"));
        }
    }

    @Test
    void theCacheKeyIgnoresCredentials() throws Exception {
        try (GitSource a = new GitSource(new GitSource.Config("https://u:one@127.0.0.1:9/r.git", null, null, cache, null));
                GitSource b = new GitSource(new GitSource.Config("https://127.0.0.1:9/r.git", null, null, cache, GitAuth.token("two")))) {
            assertThat(a.cacheDir()).isEqualTo(b.cacheDir());
        }
    }

    @Test
    void redactsUrlsInFreeText() {
        record Row(String in, String out) {}
        List<Row> rows = List.of(
                new Row("https://user:pass@host/x", "https://***@host/x"),
                new Row("https://token@host/x", "https://***@host/x"),
                new Row("fetch 'http://a:b@h:8080/r.git' failed", "fetch 'http://***@h:8080/r.git' failed"),
                new Row("https://host/x", "https://host/x"),
                new Row("git@github.com:org/repo.git", "git@github.com:org/repo.git"),
                new Row("ssh://git@host/r", "ssh://git@host/r"),
                new Row("ssh://git:pw@host/r", "ssh://***@host/r"));
        for (Row r : rows) {
            assertThat(Redaction.urls(r.in())).as(r.in()).isEqualTo(r.out());
        }
        assertThat(Redaction.message("bad token abc123\n at line", List.of("abc123"))).isEqualTo("bad token *** at line");
    }

    static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.delete(p);
            }
        }
    }
}
