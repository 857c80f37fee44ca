package io.stackwire.reconcile.daemon;

/**
 * What finishes or undoes a container replacement that was interrupted (a killed {@code apply}),
 * judged from the three names it uses. The planner and the gateway share this one rule: the plan
 * shows the repair, and the gateway re-reads the daemon at apply time and does what it then needs.
 *
 * <p>The replacement creates and connects {@code <name>-stackwire-new} completely before it stops
 * the old container, so once the old one is stopped and renamed the new one is whole: finishing is
 * then safe, and better than restoring (it publishes the spec'd ports). Before that point the
 * new one may be half made, so it is removed and the old one kept (started again if it ran).
 * Only containers stackwire labelled as its replacements are ever removed or renamed into place.
 */
public enum ReplaceRepair {
    /** The name holds the old container, next to a {@code -stackwire-new} that never took over: remove it, start the old one if it ran. */
    REMOVE_NEW,
    /** The name is missing, the old one is {@code -stackwire-old} and the new one complete: rename the new one, start it if the old one ran, remove the old one. */
    FINISH,
    /** The name is missing and only {@code -stackwire-old} is left: rename it back (left stopped: whether it ran is not recorded on it). */
    RESTORE,
    /** The name holds the new container, the old one is still {@code -stackwire-old}: start the new one if the old one ran, remove the old one. */
    REMOVE_OLD;

    /** On a replacement container: the ID of the container it replaces. */
    public static final String REPLACES_LABEL = io.stackwire.reconcile.Labels.PREFIX + "replaces";
    /** On a replacement container: whether the container it replaces was running ({@code true}/{@code false}). */
    public static final String RAN_LABEL = REPLACES_LABEL + ".running";

    /** A slot from a container's ID, state and labels. */
    public static Slot slot(String id, boolean running, java.util.Map<String, String> labels) {
        String ran = labels.get(RAN_LABEL);
        return new Slot(id, running, labels.get(REPLACES_LABEL), ran == null ? null : Boolean.valueOf(ran));
    }

    /** One of the three names as observed; null when no container has it. */
    public record Slot(String id, boolean running, String replaces, Boolean oldRan) {
        /** Whether this container is stackwire's replacement of {@code other}. */
        boolean replaces(Slot other) {
            return other != null && replaces != null && replaces.equals(other.id());
        }
    }

    /**
     * The repair for these three, or null when there is nothing stackwire may do by itself (the
     * planner then reports what is there).
     */
    public static ReplaceRepair of(Slot base, Slot neu, Slot old) {
        if (base != null && old != null) {
            return base.replaces(old) ? REMOVE_OLD : null;
        }
        if (base != null) {
            return neu != null && neu.replaces(base) ? REMOVE_NEW : null;
        }
        if (old != null) {
            if (neu == null) {
                return RESTORE;
            }
            return neu.replaces(old) ? FINISH : null;
        }
        return null;
    }

    /** Whether the container the repair leaves under the name is to be started. */
    public static boolean startAfter(ReplaceRepair r, Slot base, Slot neu) {
        return switch (r) {
            case REMOVE_NEW -> !base.running() && Boolean.TRUE.equals(neu.oldRan());
            case FINISH -> Boolean.TRUE.equals(neu.oldRan());
            case REMOVE_OLD -> !base.running() && Boolean.TRUE.equals(base.oldRan());
            case RESTORE -> false;
        };
    }
}
