package io.stackwire.reconcile.render;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwire.model.Severity;
import io.stackwire.reconcile.plan.Action;
import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.EndpointRef;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Terraform-style human rendering of a plan, grouped by stack:
 *
 * <pre>
 * Stack shop:
 *
 *   -/+ network.back (replace, disruptive)
 *       # subnet changed: 10.1.0.0/24 -> 10.2.0.0/24 forces replacement
 *       ~ subnet: "10.1.0.0/24" -> "10.2.0.0/24" # forces replacement
 *       # affects: web (running, managed), legacy (stopped, unmanaged)
 * </pre>
 *
 * Colour (ANSI) is off unless asked for; the CLI asks only when stdout is a terminal and NO_COLOR
 * is unset.
 */
public final class TextPlan {

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String DIM = "\u001b[2m";

    private final boolean colour;

    public TextPlan(boolean colour) {
        this.colour = colour;
    }

    public String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        if (!plan.isEmpty()) {
            out.append("stackwire will perform the following actions on host ").append(Values.quote(plan.host()));
            if (!plan.revision().isEmpty()) {
                out.append(" (revision ").append(plan.revision()).append(')');
            }
            out.append(":\n");
            Map<String, String> selectedBy = plan.dependencies().selectedBy();
            for (Map.Entry<String, List<Change>> stack : byStack(plan.changes()).entrySet()) {
                out.append('\n').append(paint(BOLD, stack.getKey().isEmpty() ? "Outside any stack:" : "Stack " + stack.getKey() + ":")).append('\n');
                for (Map.Entry<String, List<Change>> group : byEntry(stack.getValue(), selectedBy).entrySet()) {
                    if (!group.getKey().isEmpty()) {
                        var sel = plan.dependencies().selections().get(group.getKey());
                        out.append('\n').append("  ").append(paint(BOLD, "Entry " + sel.entry() + " selects " + sel.selector() + ", matching "
                                + String.join(", ", sel.containers()) + ":")).append('\n');
                    }
                    for (Change c : group.getValue()) {
                        out.append('\n');
                        change(out, c);
                    }
                }
            }
            out.append('\n');
        }
        if (!plan.notices().isEmpty()) {
            for (Notice n : plan.notices()) {
                notice(out, n);
            }
            out.append('\n');
        }
        String headline = PlanSummary.headline(plan);
        out.append(plan.isEmpty() && !plan.hasErrors() ? headline : paint(plan.hasErrors() ? RED + BOLD : BOLD, headline)).append('\n');
        return out.toString();
    }

    /** Stacks in name order (changes outside any stack last); changes keep plan order inside a stack. */
    static Map<String, List<Change>> byStack(List<Change> changes) {
        Set<String> names = new TreeSet<>((a, b) -> a.isEmpty() != b.isEmpty() ? (a.isEmpty() ? 1 : -1) : a.compareTo(b));
        changes.forEach(c -> names.add(c.stack()));
        Map<String, List<Change>> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, new ArrayList<>()));
        changes.forEach(c -> out.get(c.stack()).add(c));
        return out;
    }

    /**
     * A stack's changes with each select: entry's matched containers grouped under the entry (key
     * the entry, {@code ""} for the rest, which come first); plan order inside each group.
     */
    static Map<String, List<Change>> byEntry(List<Change> changes, Map<String, String> selectedBy) {
        Map<String, List<Change>> out = new java.util.TreeMap<>();
        for (Change c : changes) {
            String entry = c.key().kind() == io.stackwire.reconcile.plan.ResourceKind.NETWORK ? null : selectedBy.get(c.key().name());
            out.computeIfAbsent(entry == null ? "" : entry, k -> new ArrayList<>()).add(c);
        }
        return out;
    }

    private void change(StringBuilder out, Change c) {
        String symbol = c.action().symbol();
        String header = symbol + " " + c.key().address() + " (" + c.action().verb() + (c.disruptive() ? ", disruptive" : "") + ")";
        out.append("  ").append(paint(colourOf(c.action()), header)).append('\n');
        if (!c.reason().isEmpty()) {
            out.append("      ").append(paint(DIM, "# " + c.reason())).append('\n');
        }
        for (AttributeLine line : attributeLines(c)) {
            String text = line.symbol + " " + line.name + ": " + line.value
                    + (line.forcesReplacement ? " # forces replacement" : "");
            out.append("      ").append(paint(colourOf(line.symbol), text)).append('\n');
        }
        if (!c.endpoints().isEmpty()) {
            out.append("      ").append(paint(DIM, "# affects: " + affects(c.endpoints()))).append('\n');
        }
    }

    /** {@code web (running, managed), legacy (stopped, unmanaged)}; names the network when it is not the change's own. */
    static String affects(List<EndpointRef> endpoints) {
        Set<String> networks = new TreeSet<>();
        endpoints.forEach(e -> networks.add(e.network()));
        List<String> parts = new ArrayList<>();
        for (EndpointRef e : endpoints) {
            parts.add((networks.size() > 1 ? e.container() + " on " + e.network() : e.container())
                    + " (" + (e.running() ? "running" : "stopped") + ", " + (e.managed() ? "managed" : "unmanaged") + ")");
        }
        return String.join(", ", parts);
    }

    record AttributeLine(String symbol, String name, String value, String before, String after, boolean forcesReplacement) {}

    /**
     * What to show per attribute: every non-empty attribute for a create or delete, only what
     * differs for a replace or reconnect (unchanged attributes would hide the change).
     */
    static List<AttributeLine> attributeLines(Change c) {
        List<AttributeLine> lines = new ArrayList<>();
        Set<String> names = new TreeSet<>(c.before().keySet());
        names.addAll(c.after().keySet());
        for (String name : names) {
            boolean forces = c.forcesReplacement().contains(name);
            boolean hasBefore = c.before().containsKey(name);
            boolean hasAfter = c.after().containsKey(name);
            String before = hasBefore ? Values.format(JsonFormat.value(c.before().get(name))) : null;
            String after = hasAfter ? Values.format(JsonFormat.value(c.after().get(name))) : null;
            if (hasBefore && hasAfter) {
                if (!before.equals(after)) {
                    lines.add(new AttributeLine("~", name, before + " -> " + after, before, after, forces));
                }
            } else if (hasAfter) {
                if (!isEmpty(after)) {
                    lines.add(new AttributeLine("+", name, after, null, after, forces));
                }
            } else if (!isEmpty(before)) {
                lines.add(new AttributeLine("-", name, before, before, null, forces));
            }
        }
        return lines;
    }

    /** Empty maps, lists and strings say nothing on a one-sided change; leave them out. */
    private static boolean isEmpty(String formatted) {
        return formatted.equals("{}") || formatted.equals("[]") || formatted.equals("\"\"") || formatted.equals("null");
    }

    private void notice(StringBuilder out, Notice n) {
        String level = switch (n.severity()) {
            case ERROR -> "Error";
            case WARNING -> "Warning";
            case INFO -> "Info";
        };
        // A notice about no one resource (a count) reads "Info: 3 networks ...", not "Info:: 3 networks ...".
        String subject = n.subject() == null ? "" : " " + n.subject().address() + ":";
        out.append(paint(n.severity() == Severity.ERROR ? RED : n.severity() == Severity.WARNING ? YELLOW : DIM, level + ":")).append(subject)
                .append(' ').append(n.message()).append(" [").append(n.code()).append("]\n");
        if (!n.hint().isEmpty()) {
            out.append("  ").append(n.hint()).append('\n');
        }
    }

    private static String colourOf(Action a) {
        return switch (a) {
            case CREATE, CONNECT -> GREEN;
            case DELETE, DISCONNECT, REPLACE -> RED;
            case RECONNECT -> YELLOW;
        };
    }

    private static String colourOf(String symbol) {
        return switch (symbol) {
            case "+" -> GREEN;
            case "-" -> RED;
            default -> YELLOW;
        };
    }

    private String paint(String code, String text) {
        return colour ? code + text + RESET : text;
    }
}
