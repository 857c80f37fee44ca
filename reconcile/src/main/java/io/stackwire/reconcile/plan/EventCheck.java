package io.stackwire.reconcile.plan;

import io.stackwire.model.ContainerSelector;
import io.stackwire.reconcile.daemon.DockerEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether the daemon's events since a plan's observation can concern what the plan depends on
 * ({@link Dependencies}): when none can, the plan still holds and need not be checked by reading
 * the daemon again. It only ever errs towards "concerns" (then the daemon is read again, which
 * costs calls but is always right): an event that names a dependency by name or ID, an event
 * that names nothing, a container a selector may match, or a plan that depends on what events do
 * not show (the swarm role).
 */
public final class EventCheck {

    private static final String NETWORK = "network.";
    private static final String CONTAINER = "container.";
    private static final String REPLACEMENT = "-stackwire-"; // <name>-stackwire-new / -old while re-created

    private EventCheck() {}

    /**
     * What in {@code events} may concern {@code deps}, one line each; empty when nothing does and
     * the plan still holds.
     */
    public static List<String> concerns(Dependencies deps, List<DockerEvent> events) {
        if (!deps.recorded()) {
            return List.of("the plan depends on the whole daemon");
        }
        Map<String, Object> facts = deps.resources();
        if (facts.containsKey(Dependencies.SWARM)) {
            return List.of("the plan depends on the swarm role, which container and network events do not show");
        }
        Set<String> networks = new HashSet<>();
        Set<String> networkIds = new HashSet<>();
        Set<String> allEndpoints = new HashSet<>(); // networks on which every endpoint counts
        Set<String> containers = new HashSet<>();
        Set<String> containerIds = new HashSet<>();
        List<ContainerSelector> selectors = new ArrayList<>();
        facts.forEach((key, value) -> {
            Map<?, ?> fact = value instanceof Map<?, ?> m ? m : Map.of();
            if (key.startsWith(NETWORK)) {
                String name = key.substring(NETWORK.length());
                networks.add(name);
                addId(networkIds, fact);
                if (value == null || fact.containsKey("endpoints")) {
                    allEndpoints.add(name); // null: not there when planned; any sign of it counts
                }
            } else if (key.startsWith(CONTAINER)) {
                containers.add(key.substring(CONTAINER.length()));
                addId(containerIds, fact);
            } else if (key.startsWith(Selection.FACT_PREFIX)) {
                selectors.add(Selection.selectorOf(key.substring(Selection.FACT_PREFIX.length()), value));
                if (fact.get("containers") instanceof List<?> l) {
                    l.forEach(c -> containers.add(String.valueOf(c)));
                }
            }
        });
        List<String> out = new ArrayList<>();
        for (DockerEvent e : events) {
            boolean concerns = switch (e.type()) {
                case CONTAINER -> containerConcerns(e, containers, containerIds, selectors);
                case NETWORK -> networkConcerns(e, networks, networkIds, allEndpoints, containerIds);
            };
            if (concerns) {
                out.add(describe(e));
            }
        }
        return out;
    }

    /**
     * Container actions that change nothing a plan depends on (a health check runs an exec every
     * interval, so these would otherwise send most plans of a healthy host back to a re-read).
     * Anything else, start and die included, counts.
     */
    private static final Set<String> HARMLESS = Set.of("exec_create", "exec_start", "exec_die", "exec_detach",
            "health_status", "top", "attach", "detach", "resize", "archive-path", "extract-to-dir", "export", "copy");

    private static boolean containerConcerns(DockerEvent e, Set<String> names, Set<String> ids, List<ContainerSelector> selectors) {
        // Docker writes health results as "health_status: healthy" and exec starts as "exec_start: sh -c …".
        String action = e.action().contains(":") ? e.action().substring(0, e.action().indexOf(':')).trim() : e.action();
        if (HARMLESS.contains(action)) {
            return false;
        }
        String name = e.actorName();
        if (name.isEmpty() || names.contains(name) || ids.contains(e.actorId())) {
            return true;
        }
        String old = e.attributes().getOrDefault("oldName", "");
        if (names.contains(old.startsWith("/") ? old.substring(1) : old)) {
            return true; // renamed away from a name the plan uses
        }
        int r = name.indexOf(REPLACEMENT);
        if (r > 0 && names.contains(name.substring(0, r))) {
            return true;
        }
        // Container events carry the container's labels: a new match changes what a selector selects.
        return selectors.stream().anyMatch(s -> s.matches(name, e.attributes()));
    }

    private static boolean networkConcerns(DockerEvent e, Set<String> names, Set<String> ids, Set<String> allEndpoints,
            Set<String> containerIds) {
        String name = e.actorName().isEmpty() && e.network() != null ? e.network() : e.actorName();
        String container = e.container() == null ? "" : e.container();
        boolean connection = e.action().equals("connect") || e.action().equals("disconnect");
        if (connection && containerIds.contains(container)) {
            return true; // a named container's endpoints changed, on whatever network
        }
        if (name.isEmpty() && e.actorId().isEmpty()) {
            return true;
        }
        boolean ours = names.contains(name) || ids.contains(e.actorId());
        if (!ours) {
            return false;
        }
        // On a network where only the named containers' endpoints count (Docker's bridge, a
        // network the plan only references), others joining or leaving change nothing planned.
        return !connection || container.isEmpty() || name.isEmpty() || allEndpoints.contains(name);
    }

    private static void addId(Set<String> ids, Map<?, ?> fact) {
        if (fact.get("id") instanceof String id && !id.isEmpty()) {
            ids.add(id);
        }
    }

    private static String describe(DockerEvent e) {
        String what = e.type() == DockerEvent.Type.CONTAINER ? "container" : "network";
        String who = e.actorName().isEmpty() ? shortId(e.actorId()) : e.actorName();
        return what + " " + who + " " + e.action() + (e.container() == null || e.container().isEmpty() ? "" : " " + shortId(e.container()));
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
