package io.stackwire.controller.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token auth over HTTP against a loopback server that demands it; the token comes from a file or the environment. */
class GitSourceHttpTest {

    private static final String TOKEN = "ghp_testtoken_0123456789";

    @TempDir
    Path tmp;

    private TestRepo origin;
    private DumbHttpGitServer server;

    @BeforeEach
    void serve() throws Exception {
        origin = TestRepo.init(tmp.resolve("origin"));
        server = new DumbHttpGitServer(origin.git.getRepository(), GitAuth.TOKEN_USER, TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
        origin.close();
    }

    private GitSource source(GitAuth auth) throws SourceException {
        return new GitSource(new GitSource.Config(server.url(), "main", "stacks", tmp.resolve("cache"), auth));
    }

    @Test
    void fetchesWithATokenFromAFileAndPicksUpNewCommits() throws Exception {
        RevCommit first = origin.commit("stacks/a.yaml", "one\n");
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        GitAuth auth = GitAuth.resolve(tokenFile, null, null, null, null, false, Map.of());

        try (GitSource source = source(auth)) {
            Snapshot s = source.fetch();
            assertThat(s.revision()).isEqualTo(first.name());
            assertThat(Files.readString(s.root().resolve("a.yaml"), StandardCharsets.UTF_8)).isEqualTo("one\n");

            RevCommit second = origin.commit("stacks/a.yaml", "two\n");
            assertThat(source.fetch().revision()).isEqualTo(second.name());
        }
        assertThat(server.authorizations).anyMatch(a -> a.startsWith("Basic "));
    }

    @Test
    void takesTheTokenFromTheEnvironment() throws Exception {
        RevCommit c = origin.commit("stacks/a.yaml", "x\n");
        GitAuth auth = GitAuth.resolve(null, null, null, null, null, false, Map.of(GitAuth.ENV_TOKEN, TOKEN));

        try (GitSource source = source(auth)) {
            assertThat(source.fetch().revision()).isEqualTo(c.name());
        }
    }

    @Test
    void withoutCredentialsTheServerRefusesAndTheErrorSaysWhatToSet() throws Exception {
        origin.commit("stacks/a.yaml", "x\n");

        try (GitSource source = source(GitAuth.none())) {
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .hasMessageContaining("cannot list the refs of " + server.url())
                    .hasMessageContaining("--git-token-file");
        }
    }

    @Test
    void aWrongTokenIsRefusedAndNeverPrinted() throws Exception {
        origin.commit("stacks/a.yaml", "x\n");

        try (GitSource source = source(GitAuth.token("wrong-token-value"))) {
            assertThat(source.describe()).doesNotContain("wrong-token-value");
            assertThatThrownBy(source::fetch).isInstanceOf(SourceException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("--git-token-file").doesNotContain("wrong-token-value"));
        }
    }

    @Test
    void aUserAndPasswordFromFilesWork() throws Exception {
        RevCommit c = origin.commit("stacks/a.yaml", "x\n");
        Path password = tmp.resolve("password");
        Files.writeString(password, TOKEN);
        GitAuth auth = GitAuth.resolve(null, GitAuth.TOKEN_USER, password, null, null, false, Map.of());

        try (GitSource source = source(auth)) {
            assertThat(source.fetch().revision()).isEqualTo(c.name());
        }
    }
}
