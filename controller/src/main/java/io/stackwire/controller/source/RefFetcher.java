package io.stackwire.controller.source;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;

/**
 * Brings the commit a ref names into the cache: asks the server what the ref points to now, fetches
 * it shallowly where the server allows, and a pinned commit only when the cache lacks it.
 */
final class RefFetcher {

    private static final Pattern FULL_COMMIT = Pattern.compile("[0-9a-fA-F]{40}");
    private static final String CURRENT = "refs/stackwire/current";
    /** Seconds a connection may stall before a fetch fails, so a hung server cannot stop the loop. */
    private static final int TIMEOUT_SECONDS = 60;

    private final String url;
    private final String shownUrl;
    /** A branch, tag, full refs/ name or full commit id; null: the remote's HEAD. */
    private final String ref;
    private final CredentialsProvider credentials;
    private final TransportConfigCallback transport;
    private final GitErrors errors;

    RefFetcher(String url, String shownUrl, String ref, CredentialsProvider credentials, TransportConfigCallback transport,
            GitErrors errors) {
        this.url = url;
        this.shownUrl = shownUrl;
        this.ref = ref;
        this.credentials = credentials;
        this.transport = transport;
        this.errors = errors;
    }

    /** Ref resolution order: full commit id; refs/heads/REF; refs/tags/REF; a full refs/ name; HEAD when none. */
    ObjectId resolveAndFetch(Git git) throws SourceException, CorruptCache {
        if (ref != null && FULL_COMMIT.matcher(ref).matches()) {
            return fetchPinned(git, ObjectId.fromString(ref.toLowerCase()));
        }
        Map<String, Ref> advertised;
        try {
            advertised = git.lsRemote().setRemote(url).setCredentialsProvider(credentials)
                    .setTransportConfigCallback(transport).setTimeout(TIMEOUT_SECONDS).setHeads(false).setTags(false).callAsMap();
        } catch (GitAPIException | RuntimeException e) {
            throw errors.remote("cannot list the refs of " + shownUrl, e);
        }
        if (advertised.keySet().stream().noneMatch(n -> n.startsWith("refs/heads/") || n.startsWith("refs/tags/"))) {
            throw errors.fail("repository " + shownUrl + " has no commits (no branches or tags); refusing to read it as an empty spec", null);
        }
        Ref chosen = choose(advertised, ref);
        ObjectId id = chosen.getPeeledObjectId() != null ? chosen.getPeeledObjectId() : chosen.getObjectId();
        String name = chosen.isSymbolic() ? chosen.getTarget().getName() : chosen.getName();
        if (id == null) {
            throw errors.fail("ref " + name + " of " + shownUrl + " points nowhere", null);
        }
        Repository repo = git.getRepository();
        if (isCommitInCache(repo, id)) {
            return id;
        }
        fetch(git, List.of(new RefSpec("+" + name + ":" + CURRENT)), true);
        try {
            Ref current = repo.exactRef(CURRENT);
            if (current == null) {
                throw new CorruptCache("fetch of " + name + " left no " + CURRENT, null);
            }
            // The ref may have moved since ls-remote; what was fetched is the newest truth.
            return current.getObjectId();
        } catch (IOException e) {
            throw new CorruptCache(errors.oneLine(e), e);
        }
    }

    private Ref choose(Map<String, Ref> advertised, String ref) throws SourceException {
        if (ref == null) {
            Ref head = advertised.get(Constants.HEAD);
            if (head == null) {
                throw errors.fail("repository " + shownUrl + " does not say which branch is its default; give --ref "
                        + branchList(advertised), null);
            }
            return head;
        }
        for (String candidate : List.of(Constants.R_HEADS + ref, Constants.R_TAGS + ref, ref)) {
            Ref r = advertised.get(candidate);
            if (r != null && (candidate.startsWith(Constants.R_REFS) || candidate.equals(Constants.HEAD))) {
                return r;
            }
        }
        throw errors.fail("no branch or tag '" + ref + "' in " + shownUrl + "; " + branchList(advertised), null);
    }

    private static String branchList(Map<String, Ref> advertised) {
        List<String> branches = advertised.keySet().stream().filter(n -> n.startsWith(Constants.R_HEADS))
                .map(n -> n.substring(Constants.R_HEADS.length())).sorted().toList();
        if (branches.isEmpty()) {
            return "it has no branches";
        }
        String shown = String.join(", ", branches.subList(0, Math.min(GitSource.LIST_LIMIT, branches.size())));
        return "branches: " + shown + (branches.size() > GitSource.LIST_LIMIT ? " (and " + (branches.size() - GitSource.LIST_LIMIT) + " more)" : "");
    }

    private ObjectId fetchPinned(Git git, ObjectId commit) throws SourceException, CorruptCache {
        Repository repo = git.getRepository();
        if (isCommitInCache(repo, commit)) {
            return commit; // a commit never changes: no need to ask the server again
        }
        try {
            // Servers that allow fetching a commit by id (GitHub, GitLab, JGit, git >= 2.5 with v2) need only it.
            fetch(git, List.of(new RefSpec("+" + commit.name() + ":" + CURRENT)), true);
        } catch (SourceException byId) {
            // Otherwise everything reachable from branches and tags, then look for it.
            fetch(git, List.of(new RefSpec("+refs/heads/*:refs/stackwire/heads/*"),
                    new RefSpec("+refs/tags/*:refs/stackwire/tags/*")), false);
        }
        if (!isCommitInCache(repo, commit)) {
            throw errors.fail("commit " + commit.name() + " is not in " + shownUrl + " (not reachable from any branch or tag)", null);
        }
        try {
            var update = repo.updateRef(CURRENT);
            update.setNewObjectId(commit);
            update.setForceUpdate(true);
            update.update();
        } catch (IOException e) {
            throw new CorruptCache(errors.oneLine(e), e);
        }
        return commit;
    }

    /** Fetches shallowly first when asked, and in full when the server (or dumb HTTP) cannot do shallow. */
    private void fetch(Git git, List<RefSpec> specs, boolean shallowFirst) throws SourceException, CorruptCache {
        if (shallowFirst) {
            try {
                runFetch(git, specs, 1);
                return;
            } catch (SourceException e) {
                // fall through to a full fetch; if the server is simply unreachable this fails the same way
            }
        }
        runFetch(git, specs, 0);
    }

    private void runFetch(Git git, List<RefSpec> specs, int depth) throws SourceException, CorruptCache {
        var cmd = git.fetch().setRemote(url).setRefSpecs(specs).setTagOpt(TagOpt.NO_TAGS)
                .setCredentialsProvider(credentials).setTransportConfigCallback(transport).setTimeout(TIMEOUT_SECONDS)
                .setRemoveDeletedRefs(false);
        if (depth > 0) {
            cmd.setDepth(depth);
        } else if (isShallow(git.getRepository())) {
            cmd.setUnshallow(true);
        }
        try {
            cmd.call();
        } catch (TransportException | InvalidRemoteException e) {
            throw errors.remote("cannot fetch from " + shownUrl, e);
        } catch (GitAPIException | RuntimeException e) {
            if (isLocalDamage(e)) {
                throw new CorruptCache(errors.oneLine(e), e);
            }
            throw errors.remote("cannot fetch from " + shownUrl, e);
        }
    }

    private static boolean isShallow(Repository repo) {
        return Files.exists(repo.getDirectory().toPath().resolve("shallow"));
    }

    private static boolean isLocalDamage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MissingObjectException || t instanceof org.eclipse.jgit.errors.CorruptObjectException
                    || t instanceof org.eclipse.jgit.errors.PackInvalidException) {
                return true;
            }
        }
        return false;
    }

    private boolean isCommitInCache(Repository repo, ObjectId id) throws CorruptCache {
        try (RevWalk walk = new RevWalk(repo)) {
            if (!repo.getObjectDatabase().has(id)) {
                return false;
            }
            walk.parseCommit(id);
            // A shallow boundary commit has its tree; that is all we read.
            return true;
        } catch (MissingObjectException e) {
            return false;
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            return false;
        } catch (IOException e) {
            throw new CorruptCache(errors.oneLine(e), e);
        }
    }
}
