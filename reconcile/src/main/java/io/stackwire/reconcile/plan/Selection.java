package io.stackwire.reconcile.plan;

import io.stackwire.model.Attachment;
import io.stackwire.model.ContainerSelector;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code select:} entries of a desired state, resolved against the live containers: one
 * container spec per matched container (the entry's networks and aliases, named after the
 * container), merged with what other entries give the same container. The planner then treats a
 * matched container exactly as one named in the spec, so every rule (ownership, drift, self-heal,
 * destroy) applies unchanged. Pure, like the planner.
 *
 * <p>Only a container's name and labels are read, which {@code GET /containers/json} lists: an
 * observation may inspect only the containers that match.
 *
 * @param desired the state with matched containers added to {@link DesiredState#containers()}
 * @param notices what the selection reports: selectors that match nothing, conflicting entries,
 *     swarm tasks left out
 * @param facts per selector, what it matched ({@code selector.<entry>}): part of the plan's
 *     dependencies, so a saved plan goes stale when a replica appears or goes
 */
record Selection(DesiredState desired, List<Notice> notices, SortedMap<String, Object> facts) {

    static final String FACT_PREFIX = "selector.";

    static Selection of(DesiredState d, LiveState live) {
        if (d.selectors().isEmpty()) {
            return new Selection(d, List.of(), new TreeMap<>());
        }
        SortedMap<String, ContainerSpec> containers = new TreeMap<>(d.containers());
        List<Notice> notices = new ArrayList<>();
        SortedMap<String, Object> facts = new TreeMap<>();
        // Who gave each (container, network) its settings, for a conflict's message.
        Map<String, String> givenBy = new HashMap<>();
        for (ContainerSpec named : d.containers().values()) {
            for (Attachment a : named.attachments()) {
                givenBy.put(named.name() + "\u0000" + a.network(), "entry '" + named.name() + "' (by name)");
            }
        }
        for (ContainerSpec entry : d.selectors().values()) {
            ContainerSelector sel = entry.selector();
            List<String> matched = new ArrayList<>();
            TreeSet<String> tasks = new TreeSet<>();
            for (LiveContainer lc : live.containers().values()) {
                if (!sel.matches(lc.name(), lc.labels()) || temporary(lc.name())) {
                    continue;
                }
                if (lc.labels().containsKey(PlanContext.SWARM_TASK_LABEL)) {
                    tasks.add(lc.name());
                    continue;
                }
                matched.add(lc.name());
            }
            facts.put(FACT_PREFIX + entry.name(), fact(sel, matched));
            ResourceKey key = ResourceKey.container(entry.name());
            if (!tasks.isEmpty()) {
                notices.add(NoticeCode.SELECTOR_SWARM_TASK.notice(key, entry.stack(),
                        "selector entry " + entry.name() + " (" + sel.describe() + ") matches swarm service tasks "
                                + String.join(", ", tasks) + "; stackwire does not attach service tasks (their networks"
                                + " belong to the service), so they are left out"));
            }
            if (matched.isEmpty()) {
                notices.add(NoticeCode.PENDING_SELECTOR.notice(key, entry.stack(),
                        "selector entry " + entry.name() + " (" + sel.describe() + ") matches no container yet; its"
                                + " attachments are made when one appears"));
            }
            String who = "entry '" + entry.name() + "' (" + sel.describe() + ")";
            for (String name : matched) {
                ContainerSpec mine = entry.selected(name);
                ContainerSpec had = containers.get(name);
                containers.put(name, had == null ? mine : merge(had, mine, who, givenBy, live.container(name), notices));
                for (Attachment a : mine.attachments()) {
                    givenBy.putIfAbsent(name + "\u0000" + a.network(), who);
                }
            }
        }
        DesiredState expanded = new DesiredState(d.host(), d.revision(), d.stacks(), d.networks(), containers, d.policy(),
                d.owner(), d.selectors());
        return new Selection(expanded, List.copyOf(notices), facts);
    }

    /** The containers {@code sel} selects in {@code live}, by name (what the facts record). */
    static List<String> matching(ContainerSelector sel, LiveState live) {
        List<String> out = new ArrayList<>();
        for (LiveContainer lc : live.containers().values()) {
            if (sel.matches(lc.name(), lc.labels()) && !temporary(lc.name()) && !lc.labels().containsKey(PlanContext.SWARM_TASK_LABEL)) {
                out.add(lc.name());
            }
        }
        return out;
    }

    /** A replacement's temporaries ({@code web-stackwire-new}) carry the labels of what they replace. */
    private static boolean temporary(String name) {
        return name.endsWith(Leftovers.NEW_SUFFIX) || name.endsWith(Leftovers.OLD_SUFFIX);
    }

    static SortedMap<String, Object> fact(ContainerSelector sel, List<String> matched) {
        SortedMap<String, Object> select = new TreeMap<>();
        select.put("labels", new TreeMap<String, Object>(sel.labels()));
        select.put("name", sel.namePattern());
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("select", select);
        m.put("containers", List.copyOf(new TreeSet<>(matched)));
        return m;
    }

    /** The selector a fact was made from (to match it again in a newer observation). */
    @SuppressWarnings("unchecked")
    static ContainerSelector selectorOf(String entry, Object fact) {
        Map<String, Object> m = fact instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
        Map<String, Object> select = m.get("select") instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
        Map<String, String> labels = new TreeMap<>();
        if (select.get("labels") instanceof Map<?, ?> l) {
            l.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        }
        Object name = select.get("name");
        return new ContainerSelector(entry, labels, name == null ? null : String.valueOf(name));
    }

    /**
     * One container given settings by two entries. Networks only one of them names are simply
     * joined; the same network with other aliases or addresses is a conflict: an error naming both
     * entries, and that attachment is left as it is (kept if it exists, not made if it does not).
     */
    private static ContainerSpec merge(ContainerSpec had, ContainerSpec mine, String who, Map<String, String> givenBy,
            LiveContainer lc, List<Notice> notices) {
        Map<String, Attachment> byNetwork = new java.util.LinkedHashMap<>();
        had.attachments().forEach(a -> byNetwork.putIfAbsent(a.network(), a));
        for (Attachment a : mine.attachments()) {
            Attachment b = byNetwork.get(a.network());
            if (b == null) {
                byNetwork.put(a.network(), a);
                continue;
            }
            if (sameSettings(a, b)) {
                continue;
            }
            String name = mine.name();
            String other = givenBy.getOrDefault(name + "\u0000" + a.network(), "another entry");
            notices.add(NoticeCode.SELECTOR_CONFLICT.notice(ResourceKey.attachment(name, a.network()), mine.stack(),
                    "container " + name + " is selected by " + other + " and by " + who + ", which want different settings on "
                            + a.network() + " (" + settings(b) + " vs " + settings(a) + "); the attachment is left as it is",
                    "make the two entries agree on " + a.network() + ", or narrow one selector (labels, name) so that it does not"
                            + " match " + name));
            LiveEndpoint e = lc == null ? null : lc.endpoint(a.network());
            if (e == null) {
                byNetwork.remove(a.network());
            } else {
                byNetwork.put(a.network(), new Attachment(a.network(), Normalizer.aliases(e.aliases(), Normalizer.autoAliases(lc)),
                        e.ipv4Config(), e.ipv6Config(), a.source()));
            }
        }
        return new ContainerSpec(had.name(), had.stack(), List.copyOf(byNetwork.values()), had.ports(), had.replace(),
                had.source(), had.managesPorts(), had.selector());
    }

    private static boolean sameSettings(Attachment a, Attachment b) {
        return PlanContext.desiredEndpoint(a).equals(PlanContext.desiredEndpoint(b));
    }

    private static String settings(Attachment a) {
        List<String> parts = new ArrayList<>();
        parts.add("aliases " + new TreeSet<>(a.aliases()));
        if (a.ipv4Address() != null) {
            parts.add("ipv4 " + a.ipv4Address());
        }
        if (a.ipv6Address() != null) {
            parts.add("ipv6 " + a.ipv6Address());
        }
        return String.join(", ", parts);
    }
}
