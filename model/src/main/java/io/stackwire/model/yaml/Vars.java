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

    Vars(String host, String overlayFile, Map<String, String> values, boolean strict) {
        this.host = host;
        this.overlayFile = overlayFile;
        this.values = new TreeMap<>(values);
        this.strict = strict;
    }

    Vars lenient() {
        return new Vars(host, overlayFile, values, false);
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
                doc.diags.error("bad-variable", doc.at(node, i), "unclosed variable reference in '" + text + "'",
                        "write ${name} or ${name:-default}; use $$ for a literal $");
                return null;
            }
            String body = text.substring(i + 2, close);
            int dflt = body.indexOf(":-");
            String name = dflt < 0 ? body : body.substring(0, dflt);
            if (!NAME.matcher(name).matches()) {
                doc.diags.error("bad-variable", doc.at(node, i), "invalid variable name '" + name + "' in '" + text + "'",
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
