package io.stackwire.controller.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.ReplacePolicy;
import io.stackwire.model.RepoPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepoIdentityTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            https                              | https://github.com/acme/infra                      | github.com/acme/infra
            https with .git                    | https://github.com/acme/infra.git                  | github.com/acme/infra
            trailing slashes                   | https://github.com/acme/infra.git//                | github.com/acme/infra
            trailing slash before .git         | https://github.com/acme/infra/                     | github.com/acme/infra
            token in the URL                   | https://x-access-token:s3cr3t@github.com/acme/infra | github.com/acme/infra
            user only                          | https://ci@github.com/acme/infra                   | github.com/acme/infra
            port                               | https://git.example.com:8443/acme/infra.git        | git.example.com/acme/infra
            host case                          | HTTPS://GitHub.COM/acme/Infra                      | github.com/acme/Infra
            http                               | http://git.local/acme/infra                        | git.local/acme/infra
            ssh://                             | ssh://git@github.com/acme/infra.git                | github.com/acme/infra
            ssh:// with port                   | ssh://git@github.com:22/acme/infra                 | github.com/acme/infra
            git://                             | git://git.example.com/acme/infra                   | git.example.com/acme/infra
            scp form                           | git@github.com:acme/infra.git                      | github.com/acme/infra
            scp form without user              | github.com:acme/infra                              | github.com/acme/infra
            scp form absolute path             | git@host.example.com:/srv/git/infra.git            | host.example.com/srv/git/infra
            scp form home path                 | git@host:~alice/infra                              | host/~alice/infra
            ipv6 host with port                | ssh://git@[fd00::1]:2222/acme/infra                | [fd00::1]/acme/infra
            surrounding blanks                 | '  https://github.com/acme/infra  '                | github.com/acme/infra
            """)
    void normalisesRemoteUrls(String what, String url, String identity) {
        assertThat(RepoIdentity.ofUrl(url)).as(what).isEqualTo(identity);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            file URL            | file:///tmp/stackwire-demo
            absolute path       | /tmp/stackwire-demo
            relative path       | stackwire-demo
            dot path            | ./specs/demo
            windows drive       | C:\\\\repos\\\\demo
            """)
    void localPathsAndFileUrlsAreNoRemoteIdentity(String what, String url) {
        assertThat(RepoIdentity.ofUrl(url)).as(what).isNull();
    }

    @Test
    void aRemoteWithAPathAddsTheSpecFolderAfterADoubleSlash() {
        assertThat(RepoIdentity.ofGit("git@github.com:acme/infra.git", "")).isEqualTo("github.com/acme/infra");
        assertThat(RepoIdentity.ofGit("https://github.com/acme/infra", "stacks/edge")).isEqualTo("github.com/acme/infra//stacks/edge");
    }

    @Test
    void aFolderOutsideGitIsItsRealPath() throws Exception {
        Path specs = Files.createDirectories(tmp.resolve("specs"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), specs);
        assertThat(RepoIdentity.ofFolder(specs)).isEqualTo(specs.toRealPath().toString());
        assertThat(RepoIdentity.ofFolder(link)).as("a symlink names the same folder").isEqualTo(specs.toRealPath().toString());
    }

    @Test
    void aWorkTreeWithoutOriginIsItsRealPathPlusTheSubfolder() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Git.init().setDirectory(repo.toFile()).call().close();
        Path sub = Files.createDirectories(repo.resolve("stacks/edge"));
        String top = repo.toRealPath().toString();
        assertThat(RepoIdentity.ofFolder(repo)).isEqualTo(top);
        assertThat(RepoIdentity.ofFolder(sub)).isEqualTo(top + "//stacks/edge");
    }

    @Test
    void aWorkTreeWithOriginIsTheOriginsIdentitySoACheckoutAndTheSidecarAgree() throws Exception {
        Path repo = repoWithOrigin(tmp.resolve("checkout"), "https://ci:tok@GitHub.com/acme/infra.git");
        Path sub = Files.createDirectories(repo.resolve("stacks/edge"));
        assertThat(RepoIdentity.ofFolder(repo)).isEqualTo("github.com/acme/infra");
        assertThat(RepoIdentity.ofFolder(sub)).isEqualTo("github.com/acme/infra//stacks/edge")
                .isEqualTo(RepoIdentity.ofGit("git@github.com:acme/infra", "stacks/edge"));
    }

    @Test
    void aCloneOfALocalRepositoryFollowsItsOrigin() throws Exception {
        Path upstream = Files.createDirectories(tmp.resolve("upstream"));
        Git.init().setDirectory(upstream.toFile()).call().close();
        Path clone = repoWithOrigin(tmp.resolve("clone"), "../upstream");
        assertThat(RepoIdentity.ofFolder(clone)).isEqualTo(upstream.toRealPath().toString());
    }

    @Test
    void runRepoOnALocalPathAndDestroyOnTheSameFolderAgree() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("stackwire-demo"));
        Git.init().setDirectory(repo.toFile()).call().close();
        Files.createDirectories(repo.resolve("edge"));
        String folder = RepoIdentity.ofFolder(repo);
        assertThat(RepoIdentity.ofGit(repo.toString(), "")).isEqualTo(folder);
        assertThat(RepoIdentity.ofGit(repo.toUri().toString(), "")).isEqualTo(folder);
        assertThat(RepoIdentity.ofGit(repo.toString(), "edge")).isEqualTo(RepoIdentity.ofFolder(repo.resolve("edge")))
                .isEqualTo(folder + "//edge");
    }

    @Test
    void aLinkedWorkTreeIsItsRepositorysIdentity() throws Exception {
        // The layout `git worktree add ../wt` makes: a .git file in the work tree, and the
        // repository's shared config (with origin) behind commondir.
        Path main = repoWithOrigin(tmp.resolve("main"), "git@github.com:acme/infra.git");
        Path admin = Files.createDirectories(main.resolve(".git/worktrees/wt"));
        Files.writeString(admin.resolve("HEAD"), "ref: refs/heads/wt\n");
        Files.writeString(admin.resolve("commondir"), "../..\n");
        Path wt = Files.createDirectories(tmp.resolve("wt"));
        Files.writeString(wt.resolve(".git"), "gitdir: " + admin.toRealPath() + "\n");
        Path sub = Files.createDirectories(wt.resolve("stacks/edge"));

        assertThat(RepoIdentity.ofFolder(sub)).isEqualTo("github.com/acme/infra//stacks/edge")
                .isEqualTo(RepoIdentity.ofFolder(Files.createDirectories(main.resolve("stacks/edge"))));
    }

    @Test
    void aCloneOfALocalBareRepositoryFollowsItsOriginToTheBareRepository() throws Exception {
        Path upstream = tmp.resolve("upstream.git");
        Git.init().setBare(true).setDirectory(upstream.toFile()).call().close();
        Path clone = repoWithOrigin(tmp.resolve("clone"), upstream.toUri().toString());
        assertThat(RepoIdentity.ofFolder(clone)).isEqualTo(upstream.toRealPath().toString());
    }

    @Test
    void anOriginInAnIncludedConfigFileCounts() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Git.init().setDirectory(repo.toFile()).call().close();
        Files.writeString(repo.resolve(".git/remotes.inc"), "[remote \"origin\"]\n\turl = https://git.example.com/acme/infra.git\n");
        Files.writeString(repo.resolve(".git/config"), "[include]\n\tpath = remotes.inc\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(RepoIdentity.ofFolder(repo)).isEqualTo("git.example.com/acme/infra");
    }

    @Test
    void aBrokenCheckoutIsNamedByTheFolderAlone() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(repo.resolve(".git"), "gitdir: " + tmp.resolve("gone") + "\n");
        Path sub = Files.createDirectories(repo.resolve("stacks"));
        assertThat(RepoIdentity.ofFolder(sub)).isEqualTo(sub.toRealPath().toString());
    }

    @Test
    void twoRepositoriesNeverShareAnIdentity() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Git.init().setDirectory(a.toFile()).call().close();
        Git.init().setDirectory(b.toFile()).call().close();
        assertThat(RepoIdentity.ofFolder(a)).isNotEqualTo(RepoIdentity.ofFolder(b));
        assertThat(RepoIdentity.ofGit("https://github.com/acme/a", "")).isNotEqualTo(RepoIdentity.ofGit("https://github.com/acme/b", ""));
    }

    @Test
    void aDeclaredOwnerWinsOverTheSourcesDefault() {
        Snapshot s = new Snapshot("abc", tmp, "", "", "github.com/acme/infra");
        assertThat(RepoIdentity.resolve(RepoPolicy.DEFAULT, s)).isEqualTo("github.com/acme/infra");
        assertThat(RepoIdentity.resolve(new RepoPolicy(true, false, ReplacePolicy.ALLOW, false, "team-edge"), s)).isEqualTo("team-edge");
    }

    /** A new repository (work tree) at {@code dir} whose {@code origin} is {@code url}. */
    private static Path repoWithOrigin(Path dir, String url) throws Exception {
        Files.createDirectories(dir);
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            StoredConfig c = git.getRepository().getConfig();
            c.setString("remote", "origin", "url", url);
            c.save();
        }
        return dir;
    }
}
