package io.stackwire.reconcile;

import java.util.Map;
import java.util.TreeMap;

/** The labels stackwire puts on what it creates; only networks carrying them are ever changed or removed. */
public final class Labels {

    public static final String PREFIX = "io.stackwire.";
    public static final String MANAGED = PREFIX + "managed";
    public static final String STACK = PREFIX + "stack";
    public static final String SPEC_HASH = PREFIX + "spec-hash";
    /**
     * The owner identity of the spec repository that created a network (stackwire.yaml
     * {@code owner:}, or the default the controller derives from the source; docs/spec.md). Prune,
     * destroy and replace touch only networks of their own repository. Not {@link #OWNER}: that one
     * has meant the controller instance since before repositories had identities, so networks
     * an earlier loop created would otherwise read as another repository's.
     */
    public static final String REPO = PREFIX + "repo";
    /** The instance ID of the controller that created a network (the loop stamps it); informational. */
    public static final String OWNER = PREFIX + "owner";
    /**
     * Which controller created a network: a stable name of what it enforces (its spec source and
     * host overlay), the same across its restarts, unlike the instance ID in {@link #OWNER}. Two
     * controllers that disagree are told apart by it (docs/planning.md, "Two controllers").
     */
    public static final String CONTROLLER = PREFIX + "controller";
    /**
     * The spec revision that created a network: a Git commit shortened to 12 digits, or
     * {@code local:<path>} ({@link #revision(String)}). Names the other side of a conflict between
     * two controllers of one repository; informational, never compared as a user label.
     */
    public static final String REVISION = PREFIX + "revision";
    /** Marks the controller lease object; the gateway hides it from observe(), so it is never planned. */
    public static final String LEASE = PREFIX + "lease";
    public static final String LEASE_OWNER = LEASE + ".owner";
    public static final String LEASE_EXPIRES = LEASE + ".expires";

    private Labels() {}

    /** The {@link #REVISION} label value for a spec revision: a full commit hash is shortened, anything else kept. */
    public static String revision(String revision) {
        if (revision == null) {
            return "";
        }
        return revision.length() > 12 && revision.matches("[0-9a-f]{13,64}") ? revision.substring(0, 12) : revision;
    }

    /** True for labels stackwire owns; they are never compared as user labels. */
    public static boolean isOwn(String key) {
        return key.startsWith(PREFIX);
    }

    /** The user's labels, without stackwire's own. */
    public static Map<String, String> userLabels(Map<String, String> labels) {
        Map<String, String> out = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (!isOwn(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
