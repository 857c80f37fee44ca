package io.stackwire.model.yaml;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code ${name}} and {@code ${name:-default}} substitution with one host's variables; {@code $$}
 * is a literal {@code $}. Strict for the stacks the host runs (an undefined variable is an error),
 * lenient for the others (the value is skipped silently, so only their structure is checked).
 */
final class Vars {

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    final String host;
    final String overlayFile;
    final Map<String, String> values;
    final boolean strict;
    /**
     * Characters substitution may still write, shared by the strict and lenient copies: like an
     * alias, a variable of 1 MiB used in 100,000 places would otherwise be 100 GB.
     */
    private final long[] budget;

    Vars(String host, String overlayFile, Map<String, String> values, boolean strict) {
        this(host, overlayFile, values, strict, new long[] {YamlFile.MAX_EXPANDED});
    }

    private Vars(String host, String overlayFile, Map<String, String> values, boolean strict, long[] budget) {
        this.host = host;
        this.overlayFile = overlayFile;
        this.values = new TreeMap<>(values);
        this.strict = strict;
        this.budget = budget;
    }

    Vars lenient() {
        return new Vars(host, overlayFile, values, false, budget);
    }

    /** Substituted text, or null when a reference could not be resolved (reported if strict). */
    String apply(Doc doc, org.snakeyaml.engine.v2.nodes.ScalarNode node, String text) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean ok = true;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = text.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            if (next != '{') {
                out.append(c);
                i++;
                continue;
            }
            int close = text.indexOf('}', i + 2);
            if (close < 0) {
                doc.diags.error("bad-variable", doc.at(node, i), "unclosed variable reference in '" + YamlFile.clip(text) + "'",
                        "write ${name} or ${name:-default}; use $$ for a literal $");
                return null;
            }
            String body = text.substring(i + 2, close);
            int dflt = body.indexOf(":-");
            String name = dflt < 0 ? body : body.substring(0, dflt);
            if (!NAME.matcher(name).matches()) {
                doc.diags.error("bad-variable", doc.at(node, i), "invalid variable name '" + YamlFile.clip(name) + "' in '" + YamlFile.clip(text) + "'",
                        "variable names are letters, digits and _, not starting with a digit");
                return null;
            }
            String value = values.get(name);
            if (value == null && dflt >= 0) {
                value = body.substring(dflt + 2);
            }
            if (value == null) {
                ok = false;
                if (strict) {
                    doc.diags.error("undefined-variable", doc.at(node, i), host == null
                            ? "variable ${" + name + "} is not defined: there is no host overlay (hosts/*.yaml) to define it"
                            : "variable ${" + name + "} is not defined for host '" + host + "'", definedHint(name));
                }
            } else {
                if (budget[0] < value.length()) {
                    if (budget[0] >= 0) { // reported once; every later use fails quietly
                        doc.diags.error("yaml-limit", doc.at(node, i), "variables expand to more than " + (YamlFile.MAX_EXPANDED >> 20)
                                + " Mi characters in all", "use long variables in fewer places, or shorten them");
                    }
                    budget[0] = -1;
                    return null;
                }
                budget[0] -= value.length();
                out.append(value);
            }
            i = close + 1;
        }
        return ok ? out.toString() : null;
    }

    private String definedHint(String name) {
        if (host == null) {
            return "create hosts/HOSTNAME.yaml with variables: {" + name + ": ...}, or write ${" + name + ":-default}";
        }
        String where = overlayFile == null ? "create hosts/" + host + ".yaml with" : "add it to";
        String defined = values.isEmpty()
                ? "host '" + host + "' defines no variables"
                : "defined: " + String.join(", ", values.keySet());
        String close = Suggest.closest(name, values.keySet());
        return (close != null ? "did you mean ${" + close + "}? " : "") + defined + "; " + where + " variables: {"
                + name + ": ...}" + (overlayFile == null ? "" : " in " + overlayFile) + ", or write ${" + name + ":-default}";
    }
}
