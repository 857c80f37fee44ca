package io.stackwire.reconcile.render;

import io.stackwire.reconcile.plan.Change;
import io.stackwire.reconcile.plan.Notice;
import io.stackwire.reconcile.plan.Plan;
import java.util.List;
import java.util.Map;

/** A plan as a pull-request comment: heading, summary, a table of changes, a diff block, notices. */
public final class MarkdownPlan {

    private MarkdownPlan() {}

    public static String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("### stackwire plan for `").append(code(plan.host())).append('`');
        if (!plan.revision().isEmpty()) {
            out.append(" at `").append(code(plan.revision())).append('`');
        }
        out.append("\n\n");
        out.append("**").append(PlanSummary.headline(plan)).append("**\n");
        if (!plan.isEmpty()) {
            out.append("\n| | Resource | Stack | Action | Reason | Disruptive | Affects |\n");
            out.append("|---|---|---|---|---|---|---|\n");
            Map<String, List<Change>> byStack = TextPlan.byStack(plan.changes());
            Map<String, String> selectedBy = plan.dependencies().selectedBy();
            for (Change c : byStack.values().stream().flatMap(List::stream).toList()) {
                String entry = c.key().kind() == io.stackwire.reconcile.plan.ResourceKind.NETWORK ? null : selectedBy.get(c.key().name());
                out.append("| `").append(c.action().symbol()).append("` | `").append(code(c.key().address())).append('`')
                        .append(entry == null ? "" : " (selected by `" + code(entry) + "`)").append(" | ")
                        .append(cell(c.stack())).append(" | ").append(c.action().verb()).append(" | ")
                        .append(cell(c.reason())).append(" | ").append(c.disruptive() ? "**yes**" : "no").append(" | ")
                        .append(cell(c.endpoints().isEmpty() ? "" : TextPlan.affects(c.endpoints()))).append(" |\n");
            }
            out.append("\n```diff\n");
            for (Map.Entry<String, List<Change>> stack : byStack.entrySet()) {
                out.append("# ").append(stack.getKey().isEmpty() ? "outside any stack" : "stack " + stack.getKey()).append('\n');
                for (Change c : stack.getValue()) {
                    out.append(c.action().symbol()).append(' ').append(c.key().address())
                            .append(" (").append(c.action().verb()).append(")\n");
                    for (TextPlan.AttributeLine line : TextPlan.attributeLines(c)) {
                        String forces = line.forcesReplacement() ? " # forces replacement" : "";
                        // GitHub colours a diff by the first character, so a change becomes a -/+ pair.
                        if (line.before() != null) {
                            out.append("-     ").append(line.name()).append(": ").append(line.before()).append(forces).append('\n');
                        }
                        if (line.after() != null) {
                            out.append("+     ").append(line.name()).append(": ").append(line.after()).append(forces).append('\n');
                        }
                    }
                }
            }
            out.append("```\n");
        }
        if (!plan.notices().isEmpty()) {
            out.append("\n#### Notices\n\n");
            for (Notice n : plan.notices()) {
                out.append("- **").append(n.severity().name().toLowerCase(java.util.Locale.ROOT)).append("** `")
                        .append(code(n.code())).append("`");
                if (n.subject() != null) {
                    out.append(" `").append(code(n.subject().address())).append('`');
                }
                out.append(": ").append(cell(n.message()));
                if (!n.hint().isEmpty()) {
                    out.append(" — ").append(cell(n.hint()));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** Table cells: one line, pipes escaped. */
    private static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    private static String code(String s) {
        return s.replace("`", "'");
    }
}
