package io.stackwire.model.yaml;

import io.stackwire.model.ReplacePolicy;
import io.stackwire.model.RepoPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/** Reads the repository policy file, stackwire.yaml. */
final class PolicyReader {

    static final List<String> POLICY_KEYS = List.of("prune", "self_heal", "replace", "deny_public_ports", "owner", "include", "exclude",
            "unknown_hosts");
    /** Values of {@code unknown_hosts}: what a host without an overlay file runs when other hosts have one. */
    static final List<String> UNKNOWN_HOSTS = List.of("error", "all");
    /** Long enough for any URL-like identity, short enough to read in `docker network inspect`. */
    static final int MAX_OWNER = 200;

    /**
     * What stackwire.yaml says.
     *
     * @param include null: every candidate (see {@link StackFiles})
     * @param unknownHostsRunAll {@code unknown_hosts: all}: a host without an overlay runs every
     *     stack even when other hosts have overlays. Off by default: there, a host name that matches
     *     no overlay is far more often a typo or the wrong machine than a host meant to run everything.
     */
    record Policy(RepoPolicy policy, List<StackFiles.Glob> include, List<StackFiles.Glob> exclude, boolean unknownHostsRunAll) {
        static final Policy DEFAULT = new Policy(RepoPolicy.DEFAULT, null, List.of(), false);
    }

    private PolicyReader() {}

    /** The policy of {@code path}; defaults for what it leaves out or gets wrong (reported). */
    static Policy read(String rel, Path path, Diags diags) {
        Node node = YamlFile.read(path, rel, diags);
        if (Doc.isNull(node)) {
            return Policy.DEFAULT;
        }
        Doc doc = new Doc(rel, diags, null);
        MappingNode m = doc.mapping(node, "stackwire.yaml", false);
        if (m == null) {
            return Policy.DEFAULT;
        }
        Map<String, NodeTuple> f = doc.fields(m, POLICY_KEYS, "stackwire.yaml");
        RepoPolicy d = RepoPolicy.DEFAULT;
        Boolean prune = doc.bool(Doc.value(f, "prune"), "'prune'");
        Boolean selfHeal = doc.bool(Doc.value(f, "self_heal"), "'self_heal'");
        Boolean deny = doc.bool(Doc.value(f, "deny_public_ports"), "'deny_public_ports'");
        List<StackFiles.Glob> include = StackFiles.globs(doc, Doc.value(f, "include"), "include");
        List<StackFiles.Glob> ex = StackFiles.globs(doc, Doc.value(f, "exclude"), "exclude");
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
        boolean unknownHostsRunAll = false;
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
        RepoPolicy policy = new RepoPolicy(prune == null ? d.prune() : prune, selfHeal == null ? d.selfHeal() : selfHeal, replace,
                deny == null ? d.denyPublicPorts() : deny, owner);
        return new Policy(policy, include, ex == null ? List.of() : ex, unknownHostsRunAll);
    }

    /** The declared owner identity: one line of printable text, at most {@link #MAX_OWNER} characters. */
    private static String owner(Doc doc, Node n) {
        if (n == null) {
            return null;
        }
        String hint = "use a short name that no other repository on this daemon uses, e.g. github.com/acme/infra";
        if (Doc.isNull(n)) {
            doc.diags.error("bad-value", doc.at(n), "'owner' is empty", hint + ", or remove the key for the default");
            return null;
        }
        String s = doc.rawString(n, "'owner'");
        if (s == null) {
            return null;
        }
        if (s.isBlank()) {
            doc.diags.error("bad-value", doc.at(n), "'owner' is empty", hint + ", or remove the key for the default");
            return null;
        }
        if (!s.equals(s.strip())) {
            doc.diags.error("bad-value", doc.at(n), "'owner' starts or ends with blanks", "remove them: '" + s.strip() + "'");
            return null;
        }
        if (s.codePointCount(0, s.length()) > MAX_OWNER) {
            doc.diags.error("bad-value", doc.at(n), "'owner' is " + s.codePointCount(0, s.length()) + " characters long, more than "
                    + MAX_OWNER, hint);
            return null;
        }
        if (s.codePoints().anyMatch(c -> Character.isISOControl(c) || !Character.isDefined(c)
                || Character.getType(c) == Character.FORMAT)) {
            doc.diags.error("bad-value", doc.at(n), "'owner' contains control or invisible characters", hint);
            return null;
        }
        return s;
    }
}
