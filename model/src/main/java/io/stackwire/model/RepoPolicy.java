package io.stackwire.model;

import java.util.Objects;

/**
 * Repo-wide policy from the optional {@code stackwire.yaml} at the spec root.
 *
 * @param prune remove stackwire-managed networks that left the spec
 * @param selfHeal disconnect containers that were attached by hand to a managed network
 * @param replace what may happen unattended when a container must be re-created
 * @param denyPublicPorts ports published on every interface are errors, not warnings
 * @param owner the repository's declared owner identity ({@code owner:}), written on every network
 *     stackwire creates; null when not declared (the controller then derives one from the source)
 */
public record RepoPolicy(boolean prune, boolean selfHeal, ReplacePolicy replace, boolean denyPublicPorts, String owner) {

    public static final RepoPolicy DEFAULT = new RepoPolicy(true, false, ReplacePolicy.PLAN_ONLY, false);

    public RepoPolicy {
        Objects.requireNonNull(replace, "replace");
    }

    /** A policy without a declared owner. */
    public RepoPolicy(boolean prune, boolean selfHeal, ReplacePolicy replace, boolean denyPublicPorts) {
        this(prune, selfHeal, replace, denyPublicPorts, null);
    }
}
