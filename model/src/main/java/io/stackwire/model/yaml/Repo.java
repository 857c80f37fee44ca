package io.stackwire.model.yaml;

import io.stackwire.model.DesiredState;
import io.stackwire.model.HostOverlay;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.StackReader.BuiltNetwork;
import io.stackwire.model.yaml.StackReader.BuiltStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * A spec repository read once: composed stack files, the repo policy and the host overlays. Each
 * {@link #resolve} builds and validates the stacks for one host from the composed trees.
 */
final class Repo {

    static final String POLICY_FILE = "stackwire.yaml";
    static final String HOSTS_DIR = "hosts";
    /** How many skipped files the no-stacks error names. */
    private static final int NAMED_SKIPPED = 5;

    /** A composed stack file. */
    record StackFile(String file, Node root) {}

    /** A parsed overlay, with the problems found in its own file and where each stack is named. */
    record Overlay(HostOverlay overlay, List<io.stackwire.model.Diagnostic> diagnostics, Map<String, SourceRef> stackRefs) {}

    private final String revision;
    private final Diags diags = new Diags();
    private final List<StackFile> stackFiles = new ArrayList<>();
    private final List<LoadResult.Skipped> skipped = new ArrayList<>();
    private final Map<String, Overlay> overlays = new TreeMap<>();
    /** What stackwire.yaml says, or the defaults without one. */
    private PolicyReader.Policy policy = PolicyReader.Policy.DEFAULT;

    private Repo(Path root) {
        this.revision = root.toString();
    }

    static Repo open(Path root) {
        Repo repo = new Repo(root);
        repo.scan(root);
        return repo;
    }

    List<String> hosts() {
        return List.copyOf(overlays.keySet());
    }

    private void scan(Path root) {
        if (Files.isRegularFile(root)) {
            candidate(root, root.getFileName().toString(), StackFiles.Named.PATH);
            return;
        }
        if (!Files.isDirectory(root)) {
            diags.error("unreadable", new SourceRef(root.toString(), 0, 0), "spec root does not exist or is not a folder",
                    "pass the folder that holds your stack files, or one .yaml file");
            return;
        }
        Map<String, Path> sorted = new SpecWalk(diags).yamlFiles(root);
        if (sorted == null) {
            return;
        }
        // The policy first: its include and exclude decide which files are candidates.
        if (sorted.containsKey(POLICY_FILE)) {
            policy = PolicyReader.read(POLICY_FILE, sorted.get(POLICY_FILE), diags);
        }
        List<StackFiles.Glob> include = policy.include();
        List<StackFiles.Glob> exclude = policy.exclude();
        Set<StackFiles.Glob> used = new HashSet<>();
        for (Map.Entry<String, Path> e : sorted.entrySet()) {
            String rel = e.getKey();
            if (rel.equals(POLICY_FILE)) {
                continue;
            }
            if (rel.startsWith(HOSTS_DIR + "/")) {
                Overlay o = OverlayReader.read(rel, e.getValue(), overlays, diags);
                if (o != null) {
                    overlays.put(o.overlay().name(), o);
                }
                continue;
            }
            List<StackFiles.Glob> in = include == null ? List.of() : include.stream().filter(g -> g.matches(rel)).toList();
            List<StackFiles.Glob> out = exclude.stream().filter(g -> g.matches(rel)).toList();
            used.addAll(in);
            used.addAll(out);
            if (include != null && in.isEmpty()) {
                skipped.add(new LoadResult.Skipped(rel, "matched by no include: glob in " + POLICY_FILE));
            } else if (!out.isEmpty()) {
                skipped.add(new LoadResult.Skipped(rel, "matched by exclude: '" + out.get(0).pattern() + "' in " + POLICY_FILE));
            } else {
                candidate(e.getValue(), rel, include != null ? StackFiles.Named.INCLUDE : StackFiles.Named.NO);
            }
        }
        for (StackFiles.Glob g : include == null ? List.<StackFiles.Glob>of() : include) {
            unused(g, used, "include");
        }
        exclude.forEach(g -> unused(g, used, "exclude"));
        if (stackFiles.isEmpty() && !diags.hasErrors()) {
            diags.error("no-stacks", new SourceRef(root.toString(), 0, 0), "no stack files in the spec root" + skippedSummary(),
                    "a stack file is a .yaml or .yml file whose top level has stack: NAME; pass the folder that holds"
                            + " your stack files (an empty spec would remove every managed network)");
        }
    }

    private void unused(StackFiles.Glob g, Set<StackFiles.Glob> used, String key) {
        if (!used.contains(g)) {
            diags.warning("unused-glob", g.at(), key + " glob '" + g.pattern() + "' matches no YAML file",
                    "check the spelling; " + StackFiles.GLOB_HINT);
        }
    }

    /** For the no-stacks error: which YAML files there were, so the user sees why none counted. */
    private String skippedSummary() {
        if (skipped.isEmpty()) {
            return " (no *.yaml or *.yml files)";
        }
        List<String> names = skipped.stream().limit(NAMED_SKIPPED).map(LoadResult.Skipped::file).toList();
        int more = skipped.size() - names.size();
        return "; skipped " + skipped.size() + " YAML file" + (skipped.size() == 1 ? "" : "s") + " without a top-level stack: key"
                + " or left out by " + POLICY_FILE + ": " + String.join(", ", names) + (more > 0 ? " and " + more + " more" : "");
    }

    private void candidate(Path path, String rel, StackFiles.Named how) {
        StackFiles.Verdict v = StackFiles.read(path, rel, how, diags);
        if (v.root() != null) {
            stackFiles.add(new StackFile(rel, v.root()));
        } else if (v.skipped() != null) {
            skipped.add(new LoadResult.Skipped(rel, v.skipped()));
        }
    }




    /** The overlay for a host name: exact, then case-insensitive, then the name before the first dot. */
    Overlay overlayFor(String host) {
        if (overlays.containsKey(host)) {
            return overlays.get(host);
        }
        for (Overlay o : overlays.values()) {
            if (o.overlay().name().equalsIgnoreCase(host)) {
                return o;
            }
        }
        int dot = host.indexOf('.');
        return dot > 0 ? overlayFor(host.substring(0, dot)) : null;
    }

    /**
     * Builds and validates the desired state for one host.
     *
     * @param host the host name; null validates for "a host without overlay" and builds no state
     */
    LoadResult resolve(String host) {
        Diags d = new Diags();
        d.addAll(diags.sorted());
        Overlay ov = host == null ? null : overlayFor(host);
        String hostName = ov != null ? ov.overlay().name() : host;
        if (ov != null) {
            d.addAll(ov.diagnostics());
        } else if (host != null && !overlays.isEmpty() && !policy.unknownHostsRunAll()) {
            // Alone: what its stacks would say without variables is noise beside the real mistake.
            d.error("unknown-host", new SourceRef(HOSTS_DIR, 0, 0), "host '" + host + "' has no overlay file, and "
                    + "the spec has overlays for: " + String.join(", ", overlays.keySet()), unknownHostHint(host));
            return new LoadResult(null, d.sorted(), skipped);
        }
        Set<String> selected = ov == null || ov.overlay().stacks() == null ? null : new TreeSet<>(ov.overlay().stacks());
        Vars strict = new Vars(hostName, ov == null ? null : ov.overlay().file(),
                ov == null ? Map.of() : ov.overlay().variables(), true);
        List<BuiltStack> all = new ArrayList<>();
        List<BuiltStack> chosen = new ArrayList<>();
        for (StackFile f : stackFiles) {
            String name = StackReader.peekName(f.root());
            boolean runs = selected == null || selected.contains(name);
            Doc doc = new Doc(f.file(), d, runs ? strict : strict.lenient());
            BuiltStack b = new StackReader(doc).read(f.root());
            if (b != null) {
                all.add(b);
                if (runs) {
                    chosen.add(b);
                }
            }
        }
        Validator v = new Validator(d, policy.policy());
        v.uniqueNames(all);
        if (ov != null) {
            Set<String> names = new TreeSet<>();
            all.stream().filter(b -> b.name() != null).forEach(b -> names.add(b.name()));
            ov.stackRefs().forEach((stack, at) -> {
                if (!names.contains(stack)) {
                    d.error("unknown-stack", at, "host '" + ov.overlay().name() + "' runs stack '" + stack
                            + "', which no stack file declares", Suggest.hint(stack, names,
                            names.isEmpty() ? "" : "stacks: " + String.join(", ", names)));
                }
            });
        }
        Map<String, BuiltNetwork> elsewhere = new HashMap<>();
        all.stream().filter(b -> !chosen.contains(b)).forEach(b -> b.networks().forEach(n -> elsewhere.putIfAbsent(n.spec().name(), n)));
        v.selected(chosen, elsewhere, hostName == null ? "(any)" : hostName);
        DesiredState state = null;
        if (!d.hasErrors() && host != null) {
            state = DesiredState.of(hostName, revision, chosen.stream().map(BuiltStack::spec).toList(), policy.policy());
        }
        return new LoadResult(state, d.sorted(), skipped);
    }

    private String unknownHostHint(String host) {
        String close = Suggest.closest(host, overlays.keySet());
        return (close != null ? "did you mean '" + close + "'? " : "") + "pass --host with one of them, add hosts/" + host
                + ".yaml, or set 'unknown_hosts: all' in stackwire.yaml so hosts without an overlay run every stack";
    }

    /** Diagnostics for every overlay host, or for a host without overlay when there are none. */
    LoadResult validateAll() {
        if (overlays.isEmpty()) {
            return resolve(null);
        }
        Diags d = new Diags();
        for (String host : overlays.keySet()) {
            d.addAll(resolve(host).diagnostics());
        }
        return new LoadResult(null, d.sorted(), skipped);
    }
}
