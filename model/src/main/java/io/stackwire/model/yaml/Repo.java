package io.stackwire.model.yaml;

import io.stackwire.model.DesiredState;
import io.stackwire.model.HostOverlay;
import io.stackwire.model.ReplacePolicy;
import io.stackwire.model.RepoPolicy;
import io.stackwire.model.SourceRef;
import io.stackwire.model.yaml.StackReader.BuiltNetwork;
import io.stackwire.model.yaml.StackReader.BuiltStack;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A spec repository read once: composed stack files, the repo policy and the host overlays. Each
 * {@link #resolve} builds and validates the stacks for one host from the composed trees.
 */
final class Repo {

    static final String POLICY_FILE = "stackwire.yaml";
    static final String HOSTS_DIR = "hosts";
    static final List<String> POLICY_KEYS = List.of("prune", "self_heal", "replace", "deny_public_ports", "owner", "include", "exclude",
            "unknown_hosts");
    /** Values of {@code unknown_hosts}: what a host without an overlay file runs when other hosts have one. */
    static final List<String> UNKNOWN_HOSTS = List.of("error", "all");
    /** How many skipped files the no-stacks error names. */
    private static final int NAMED_SKIPPED = 5;
    /** Long enough for any URL-like identity, short enough to read in `docker network inspect`. */
    static final int MAX_OWNER = 200;
    static final List<String> OVERLAY_KEYS = List.of("host", "stacks", "variables");

    /** A composed stack file. */
    record StackFile(String file, Node root) {}

    /** A parsed overlay, with the problems found in its own file and where each stack is named. */
    record Overlay(HostOverlay overlay, List<io.stackwire.model.Diagnostic> diagnostics, Map<String, SourceRef> stackRefs) {}

    private final String revision;
    private final Diags diags = new Diags();
    private final List<StackFile> stackFiles = new ArrayList<>();
    private final List<LoadResult.Skipped> skipped = new ArrayList<>();
    /** From stackwire.yaml; null: every candidate (see {@link StackFiles}). */
    private List<StackFiles.Glob> include;
    private List<StackFiles.Glob> exclude = List.of();
    private final Map<String, Overlay> overlays = new TreeMap<>();
    private RepoPolicy policy = RepoPolicy.DEFAULT;
    /**
     * {@code unknown_hosts: all}: a host without an overlay runs every stack even when other hosts
     * have overlays. Off by default: there, a host name that matches no overlay is far more often a
     * typo or the wrong machine than a host meant to run everything.
     */
    private boolean unknownHostsRunAll;

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
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException | SecurityException e) {
            diags.error("unreadable", new SourceRef(root.toString(), 0, 0), "cannot read spec root: " + e, "check permissions");
            return;
        }
        // Relative name (a link's own) -> the path to read (a link's resolved target, the one checked).
        Map<String, Path> sorted = new TreeMap<>();
        try {
            // Links are followed (a Kubernetes ConfigMap volume is all links: name -> ..data/name), but
            // only within the spec root; the walker stops at loops. Hidden names, kubelet's ..data and
            // ..<timestamp> folders among them, are skipped before any link is resolved.
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    boolean skip = hidden(dir) || resolvedInsideRoot(root, realRoot, dir) == null;
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String n = file.getFileName().toString();
                    if (hidden(file) || !(n.endsWith(".yaml") || n.endsWith(".yml"))) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isSymbolicLink()) { // followed links get their target's attributes: this one leads nowhere
                        diags.error("bad-symlink", new SourceRef(relative(root, file), 0, 0), "symbolic link points to nothing ("
                                + target(file) + ")", "point it at a file inside the spec folder, or delete it");
                    } else if (attrs.isRegularFile()) {
                        Path read = resolvedInsideRoot(root, realRoot, file);
                        if (read != null) {
                            sorted.put(relative(root, file), read);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (e instanceof FileSystemLoopException) {
                        diags.error("bad-symlink", new SourceRef(relative(root, file), 0, 0), "symbolic link loops back to a folder"
                                + " that contains it (" + target(file) + ")", "point it elsewhere inside the spec folder, or delete it");
                    } else {
                        diags.error("unreadable", new SourceRef(relative(root, file), 0, 0), "cannot read: " + e.getMessage(),
                                "check permissions");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | SecurityException e) {
            diags.error("unreadable", new SourceRef(root.toString(), 0, 0), "cannot read spec root: " + e, "check permissions");
            return;
        }
        // The policy first: its include and exclude decide which files are candidates.
        if (sorted.containsKey(POLICY_FILE)) {
            readPolicy(POLICY_FILE, sorted.get(POLICY_FILE));
        }
        Set<StackFiles.Glob> used = new HashSet<>();
        for (Map.Entry<String, Path> e : sorted.entrySet()) {
            String rel = e.getKey();
            if (rel.equals(POLICY_FILE)) {
                continue;
            }
            if (rel.startsWith(HOSTS_DIR + "/")) {
                readOverlay(rel, e.getValue());
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

    /**
     * The path to read for a walked entry: itself, or for a link its resolved target when that stays
     * inside the spec root (reading the target, not the link, reads what was checked). Null for a
     * link that leaves the root, which is reported. Only the entry itself needs resolving: the
     * folders above it were checked when the walk entered them.
     */
    private Path resolvedInsideRoot(Path root, Path realRoot, Path p) {
        if (!Files.isSymbolicLink(p)) {
            return p;
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException | SecurityException e) {
            return p; // gone since the walker read it; reading it reports the problem
        }
        if (real.startsWith(realRoot)) {
            return real;
        }
        diags.error("bad-symlink", new SourceRef(relative(root, p), 0, 0), "symbolic link points outside the spec folder ("
                + target(p) + ")", "copy what it points to into the spec folder, or point the link at a path inside it;"
                + " stackwire reads nothing outside the spec folder");
        return null;
    }

    /** A link's target as written, for messages. */
    private static String target(Path link) {
        try {
            return String.valueOf(Files.readSymbolicLink(link));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "unreadable";
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private void readPolicy(String rel, Path path) {
        Node node = YamlFile.read(path, rel, diags);
        if (Doc.isNull(node)) {
            return;
        }
        Doc doc = new Doc(rel, diags, null);
        MappingNode m = doc.mapping(node, "stackwire.yaml", false);
        if (m == null) {
            return;
        }
        Map<String, NodeTuple> f = doc.fields(m, POLICY_KEYS, "stackwire.yaml");
        RepoPolicy d = RepoPolicy.DEFAULT;
        Boolean prune = doc.bool(Doc.value(f, "prune"), "'prune'");
        Boolean selfHeal = doc.bool(Doc.value(f, "self_heal"), "'self_heal'");
        Boolean deny = doc.bool(Doc.value(f, "deny_public_ports"), "'deny_public_ports'");
        include = StackFiles.globs(doc, Doc.value(f, "include"), "include");
        List<StackFiles.Glob> ex = StackFiles.globs(doc, Doc.value(f, "exclude"), "exclude");
        exclude = ex == null ? List.of() : ex;
        ReplacePolicy replace = d.replace();
        Node r = Doc.value(f, "replace");
        if (!Doc.isNull(r)) {
            String s = doc.string(r, "'replace'");
            if (s != null && !StackReader.REPLACE.contains(s)) {
                diags.error("bad-value", doc.at(r), "unknown replace policy '" + s + "'",
                        Suggest.hint(s, StackReader.REPLACE, "use allow, plan-only or never"));
            } else if (s != null) {
                replace = ReplacePolicy.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
            }
        }
        String owner = owner(doc, Doc.value(f, "owner"));
        Node u = Doc.value(f, "unknown_hosts");
        if (!Doc.isNull(u)) {
            String s = doc.string(u, "'unknown_hosts'");
            if (s != null && !UNKNOWN_HOSTS.contains(s)) {
                diags.error("bad-value", doc.at(u), "unknown value '" + s + "' for 'unknown_hosts'",
                        Suggest.hint(s, UNKNOWN_HOSTS, "use error (the default) or all"));
            } else {
                unknownHostsRunAll = "all".equals(s);
            }
        }
        policy = new RepoPolicy(prune == null ? d.prune() : prune, selfHeal == null ? d.selfHeal() : selfHeal, replace,
                deny == null ? d.denyPublicPorts() : deny, owner);
    }

    /** The declared owner identity: one line of printable text, at most {@link #MAX_OWNER} characters. */
    private String owner(Doc doc, Node n) {
        if (n == null) {
            return null;
        }
        String hint = "use a short name that no other repository on this daemon uses, e.g. github.com/acme/infra";
        if (Doc.isNull(n)) {
            diags.error("bad-value", doc.at(n), "'owner' is empty", hint + ", or remove the key for the default");
            return null;
        }
        String s = doc.rawString(n, "'owner'");
        if (s == null) {
            return null;
        }
        if (s.isBlank()) {
            diags.error("bad-value", doc.at(n), "'owner' is empty", hint + ", or remove the key for the default");
            return null;
        }
        if (!s.equals(s.strip())) {
            diags.error("bad-value", doc.at(n), "'owner' starts or ends with blanks", "remove them: '" + s.strip() + "'");
            return null;
        }
        if (s.codePointCount(0, s.length()) > MAX_OWNER) {
            diags.error("bad-value", doc.at(n), "'owner' is " + s.codePointCount(0, s.length()) + " characters long, more than "
                    + MAX_OWNER, hint);
            return null;
        }
        if (s.codePoints().anyMatch(c -> Character.isISOControl(c) || !Character.isDefined(c)
                || Character.getType(c) == Character.FORMAT)) {
            diags.error("bad-value", doc.at(n), "'owner' contains control or invisible characters", hint);
            return null;
        }
        return s;
    }

    private void readOverlay(String rel, Path path) {
        Diags own = new Diags();
        String fileName = rel.substring(HOSTS_DIR.length() + 1);
        String name = fileName.substring(0, fileName.lastIndexOf('.'));
        if (fileName.contains("/")) {
            diags.error("misplaced-overlay", new SourceRef(rel, 1, 1), "host overlays must be directly in hosts/",
                    "move it to hosts/" + fileName.substring(fileName.lastIndexOf('/') + 1));
            return;
        }
        if (overlays.containsKey(name)) {
            diags.error("duplicate-host", new SourceRef(rel, 1, 1), "host '" + name + "' already has an overlay file: "
                    + overlays.get(name).overlay().file(), "keep one of hosts/" + name + ".yaml and hosts/" + name + ".yml");
            return;
        }
        Node node = YamlFile.read(path, rel, own);
        Doc doc = new Doc(rel, own, null);
        List<String> stacks = null;
        Map<String, SourceRef> stackRefs = new LinkedHashMap<>();
        Map<String, String> variables = new TreeMap<>();
        MappingNode m = Doc.isNull(node) ? null : doc.mapping(node, "a host overlay", false);
        if (m != null) {
            Map<String, NodeTuple> f = doc.fields(m, OVERLAY_KEYS, "host overlay " + rel);
            Node h = Doc.value(f, "host");
            if (!Doc.isNull(h)) {
                String declared = doc.rawString(h, "'host'");
                if (declared != null && !declared.equals(name)) {
                    own.error("host-mismatch", doc.at(h), "overlay " + rel + " says host '" + declared
                            + "' but its file name says '" + name + "'", "rename the file to hosts/" + declared
                            + ".yaml, or set host: " + name);
                }
            }
            Node s = Doc.value(f, "stacks");
            if (s != null && !Doc.isNull(s)) {
                stacks = new ArrayList<>();
                for (Node item : doc.scalarList(s, "'stacks'", "a list of stack names, e.g. stacks: [web, db]")) {
                    String stack = doc.rawString(item, "a stack name");
                    if (stack != null) {
                        stacks.add(stack);
                        stackRefs.putIfAbsent(stack, doc.at(item));
                    }
                }
            }
            MappingNode vars = doc.mapping(Doc.value(f, "variables"), "'variables'", true);
            if (vars != null) {
                for (Map.Entry<String, NodeTuple> e : doc.fields(vars, null, "'variables'").entrySet()) {
                    Node v = e.getValue().getValueNode();
                    if (!Vars.NAME.matcher(e.getKey()).matches()) {
                        own.error("bad-variable", doc.at(e.getValue().getKeyNode()), "invalid variable name '" + e.getKey() + "'",
                                "variable names are letters, digits and _, not starting with a digit");
                    } else if (v instanceof ScalarNode sv && !Doc.isNull(v)) {
                        variables.put(e.getKey(), sv.getValue());
                    } else {
                        doc.wrongType(v, "variable '" + e.getKey() + "'", "text", "quote it, e.g. \"10.8.0.5\"");
                    }
                }
            }
        }
        HostOverlay overlay = new HostOverlay(name, rel, stacks, variables, new SourceRef(rel, 1, 1));
        overlays.put(name, new Overlay(overlay, own.sorted(), stackRefs));
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
        } else if (host != null && !overlays.isEmpty() && !unknownHostsRunAll) {
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
        Validator v = new Validator(d, policy);
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
            state = DesiredState.of(hostName, revision, chosen.stream().map(BuiltStack::spec).toList(), policy);
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
