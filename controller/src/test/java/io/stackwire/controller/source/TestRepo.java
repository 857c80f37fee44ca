package io.stackwire.controller.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real Git repository made by a test: write files, commit, branch, tag. */
public final class TestRepo implements AutoCloseable {

    private static final PersonIdent WHO = new PersonIdent("stackwire test", "test@example.invalid");

    public final Path dir;
    final Git git;

    private TestRepo(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    public static TestRepo init(Path dir) throws GitAPIException {
        return new TestRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
    }

    /** Writes the files (path -> content; null content deletes) and commits them all. */
    public RevCommit commit(String message, Map<String, String> files) throws IOException, GitAPIException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            if (f.getValue() == null) {
                Files.deleteIfExists(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            }
        }
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        return git.commit().setMessage(message).setAuthor(WHO).setCommitter(WHO).call();
    }

    public RevCommit commit(String path, String content) throws IOException, GitAPIException {
        return commit("change " + path, Map.of(path, content));
    }

    public void branch(String name) throws GitAPIException {
        git.branchCreate().setName(name).call();
    }

    public void checkout(String name) throws GitAPIException {
        git.checkout().setName(name).call();
    }

    public void tag(String name, boolean annotated) throws GitAPIException {
        if (annotated) {
            git.tag().setName(name).setAnnotated(true).setMessage("release " + name).setTagger(WHO).call();
        } else {
            git.tag().setName(name).setAnnotated(false).call();
        }
    }

    public org.eclipse.jgit.lib.Repository repository() {
        return git.getRepository();
    }

    public String url() {
        return dir.toUri().toString();
    }

    @Override
    public void close() {
        git.close();
    }
}
