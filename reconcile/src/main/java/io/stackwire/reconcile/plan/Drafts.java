package io.stackwire.reconcile.plan;

import io.stackwire.reconcile.daemon.ContainerReplace;
import io.stackwire.reconcile.daemon.EndpointConfig;
import io.stackwire.reconcile.daemon.NetworkCreate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Changes and steps while a plan is being computed, and their assembly into the final total order
 * with step ids and dependencies.
 */
final class Drafts {

    private Drafts() {}

    /** A step before it has an id: identified by (op, network, container), which is unique in a plan. */
    record StepDraft(StepOp op, String network, String networkId, String container, NetworkCreate create,
            EndpointConfig endpoint, ContainerReplace replace) {

        String key() {
            return key(op, network, container);
        }

        /** The key of the step (op, network, container) in a plan, whether or not it is there. */
        static String key(StepOp op, String network, String container) {
            return op + "\u0000" + network + "\u0000" + (container == null ? "" : container);
        }
    }

    /** A change being built; steps belong to it. */
    static final class ChangeDraft {
        final ResourceKey key;
        final String stack;
        final Action action;
        SortedMap<String, Object> before = new TreeMap<>();
        SortedMap<String, Object> after = new TreeMap<>();
        String reason = "";
        List<String> forcesReplacement = List.of();
        /** Null: disruptive if the change can cut connectivity and any endpoint is running. */
        Boolean disruptive;
        final TreeSet<EndpointRef> endpoints = new TreeSet<>(ENDPOINT_ORDER);
        final List<StepDraft> steps = new ArrayList<>();

        ChangeDraft(ResourceKey key, String stack, Action action) {
            this.key = key;
            this.stack = stack == null ? "" : stack;
            this.action = action;
        }

        Change toChange() {
            boolean cuts = action == Action.DELETE || action == Action.REPLACE
                    || action == Action.DISCONNECT || action == Action.RECONNECT;
            boolean d = disruptive != null ? disruptive : cuts && endpoints.stream().anyMatch(EndpointRef::running);
            return new Change(key, stack, action, before, after, reason, forcesReplacement, d, List.copyOf(endpoints));
        }
    }

    static final Comparator<EndpointRef> ENDPOINT_ORDER =
            Comparator.comparing(EndpointRef::container).thenComparing(EndpointRef::network);

    /** The order of changes: stack, then kind, name, network. */
    static final Comparator<ChangeDraft> CHANGE_ORDER =
            Comparator.<ChangeDraft, String>comparing(c -> c.stack).thenComparing(c -> c.key);

    /**
     * The total step order: phase (REPAIR_REPLACEMENT, DISCONNECT, REMOVE_NETWORK, CREATE_NETWORK, CONNECT,
     * REPLACE_CONTAINER — the {@link StepOp} declaration order), then, among creates, those that
     * replace a network before brand-new ones, then network name, then container name. Replacements
     * come last: they copy the container's attachments as they are by then. A new network that
     * reuses a replaced network's old address space can so wait for the replacement's create: if
     * that fails, the old network is put back where it was (rollback), which the new one must not
     * have taken.
     *
     * @param replaced the networks the plan removes and creates again
     */
    static Comparator<StepDraft> stepOrder(java.util.Set<String> replaced) {
        return Comparator.comparing(StepDraft::op)
                .thenComparing(s -> s.op() == StepOp.CREATE_NETWORK && !replaced.contains(s.network()))
                .thenComparing(StepDraft::network)
                .thenComparing(s -> s.container() == null ? "" : s.container());
    }

    /** The repair of an interrupted replacement of this container, which its other steps wait for. */
    private static StepDraft repairOf(String container) {
        return new StepDraft(StepOp.REPAIR_REPLACEMENT, "", null, container, null, null, null);
    }

    /** Sorts changes and steps, numbers the steps and wires {@code dependsOn}. */
    static Plan assemble(String host, String revision, Dependencies dependencies, List<ChangeDraft> drafts, List<Notice> notices) {
        return assemble(host, revision, dependencies, drafts, notices, Map.of());
    }

    /**
     * As above, plus orderings the step kinds alone do not imply: {@code after} maps a step's
     * {@link StepDraft#key()} to the keys of steps it must wait for (absent ones are ignored). Each
     * must point at an earlier phase, so dependencies still point backwards.
     */
    static Plan assemble(String host, String revision, Dependencies dependencies, List<ChangeDraft> drafts, List<Notice> notices,
            Map<String, ? extends Collection<String>> after) {
        List<ChangeDraft> sorted = new ArrayList<>(drafts);
        sorted.sort(CHANGE_ORDER);
        List<Change> changes = new ArrayList<>(sorted.size());
        Map<String, Integer> changeOf = new HashMap<>();
        List<StepDraft> all = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            ChangeDraft c = sorted.get(i);
            if (i > 0 && CHANGE_ORDER.compare(sorted.get(i - 1), c) == 0) {
                throw new IllegalStateException("planner bug: two changes for " + c.key);
            }
            changes.add(c.toChange());
            for (StepDraft s : c.steps) {
                if (changeOf.put(s.key(), i) != null) {
                    throw new IllegalStateException("planner bug: duplicate step " + s.op() + " " + s.network() + " " + s.container());
                }
                all.add(s);
            }
        }
        java.util.Set<String> removing = new java.util.HashSet<>();
        java.util.Set<String> replaced = new java.util.HashSet<>();
        all.forEach(x -> {
            if (x.op() == StepOp.REMOVE_NETWORK) {
                removing.add(x.network());
            }
        });
        all.forEach(x -> {
            if (x.op() == StepOp.CREATE_NETWORK && removing.contains(x.network())) {
                replaced.add(x.network());
            }
        });
        all.sort(stepOrder(replaced));
        createsInWaitOrder(all, after, stepOrder(replaced));

        Map<String, Integer> idOf = new HashMap<>();
        Map<String, List<Integer>> disconnectsFrom = new HashMap<>();
        Map<String, List<Integer>> attachmentStepsOf = new HashMap<>();
        for (int id = 0; id < all.size(); id++) {
            StepDraft s = all.get(id);
            idOf.put(s.key(), id);
            if (s.op() == StepOp.DISCONNECT) {
                disconnectsFrom.computeIfAbsent(s.network(), n -> new ArrayList<>()).add(id);
            }
            if ((s.op() == StepOp.DISCONNECT || s.op() == StepOp.CONNECT) && s.container() != null) {
                attachmentStepsOf.computeIfAbsent(s.container(), n -> new ArrayList<>()).add(id);
            }
        }
        List<Step> steps = new ArrayList<>(all.size());
        for (int id = 0; id < all.size(); id++) {
            StepDraft s = all.get(id);
            TreeSet<Integer> deps = new TreeSet<>();
            switch (s.op()) {
                case REMOVE_NETWORK -> deps.addAll(disconnectsFrom.getOrDefault(s.network(), List.of()));
                case CREATE_NETWORK -> addIfPresent(deps, idOf, new StepDraft(StepOp.REMOVE_NETWORK, s.network(), null, null, null, null, null));
                case CONNECT -> {
                    addIfPresent(deps, idOf, repairOf(s.container()));
                    addIfPresent(deps, idOf, new StepDraft(StepOp.CREATE_NETWORK, s.network(), null, null, null, null, null));
                    addIfPresent(deps, idOf, new StepDraft(StepOp.DISCONNECT, s.network(), null, s.container(), null, null, null));
                    addIfPresent(deps, idOf, new StepDraft(StepOp.DISCONNECT, "none", null, s.container(), null, null, null));
                }
                // Re-creation copies the attachments, so they must be final first.
                case REPLACE_CONTAINER -> {
                    addIfPresent(deps, idOf, repairOf(s.container()));
                    deps.addAll(attachmentStepsOf.getOrDefault(s.container(), List.of()));
                }
                case DISCONNECT -> addIfPresent(deps, idOf, repairOf(s.container()));
                default -> { }
            }
            Collection<String> waits = after.get(s.key());
            for (String k : waits == null ? List.<String>of() : waits) {
                Integer dep = idOf.get(k);
                if (dep != null) {
                    if (dep >= id) {
                        if (s.op() == StepOp.CREATE_NETWORK && all.get(dep).op() == StepOp.CREATE_NETWORK) {
                            continue; // a broken cycle of creates (see createsInWaitOrder)
                        }
                        throw new IllegalStateException("planner bug: " + s.op() + " " + s.network() + " waits for a later step");
                    }
                    deps.add(dep);
                }
            }
            steps.add(Step.of(id, s.op(), s.network(), s.networkId(), s.container(), s.create(), s.endpoint(), s.replace(),
                    List.copyOf(deps), changeOf.get(s.key())));
        }
        List<Notice> ns = new ArrayList<>(notices);
        ns.sort(NOTICE_ORDER);
        return new Plan(Plan.FORMAT_VERSION, host, revision, dependencies.fingerprint(), changes, steps, ns, dependencies);
    }

    /**
     * Reorders the creates so that a create comes after the creates it waits for ({@code after}),
     * keeping the step order otherwise (Kahn's algorithm, smallest ready step first). A cycle (two
     * replaced networks swapping subnets) is broken at its smallest step; the wait that would
     * then point forward is dropped when dependencies are wired.
     */
    private static void createsInWaitOrder(List<StepDraft> all, Map<String, ? extends Collection<String>> after,
            Comparator<StepDraft> order) {
        int from = -1;
        int to = -1;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).op() == StepOp.CREATE_NETWORK) {
                from = from < 0 ? i : from;
                to = i + 1;
            }
        }
        if (from < 0 || after.isEmpty()) {
            return;
        }
        List<StepDraft> creates = new ArrayList<>(all.subList(from, to));
        Map<String, StepDraft> byKey = new HashMap<>();
        creates.forEach(c -> byKey.put(c.key(), c));
        Map<String, Integer> waiting = new HashMap<>();
        for (StepDraft c : creates) {
            Collection<String> waits = after.get(c.key());
            waiting.put(c.key(), waits == null ? 0 : (int) waits.stream().filter(byKey::containsKey).count());
        }
        java.util.TreeSet<StepDraft> left = new java.util.TreeSet<>(order);
        left.addAll(creates);
        List<StepDraft> out = new ArrayList<>();
        while (!left.isEmpty()) {
            StepDraft next = left.stream().filter(c -> waiting.get(c.key()) == 0).findFirst().orElse(left.first());
            left.remove(next);
            out.add(next);
            for (StepDraft c : left) {
                Collection<String> waits = after.get(c.key());
                if (waits != null && waits.contains(next.key())) {
                    waiting.merge(c.key(), -1, Integer::sum);
                }
            }
        }
        for (int i = 0; i < out.size(); i++) {
            all.set(from + i, out.get(i));
        }
    }

    private static void addIfPresent(TreeSet<Integer> deps, Map<String, Integer> idOf, StepDraft probe) {
        Integer id = idOf.get(probe.key());
        if (id != null) {
            deps.add(id);
        }
    }

    static final Comparator<Notice> NOTICE_ORDER = Comparator.comparing(Notice::stack)
            .thenComparing(Notice::subject, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Notice::code)
            .thenComparing(Notice::message);
}
