package io.stackwire.model;

import java.util.Objects;

/**
 * Repo-wide policy from the optional {@code stackwire.yaml} at the spec root.
 *
 * @param prune remove stackwire-managed networks that left the spec
 * @param selfHeal disconnect containers that were attached by hand to a managed network
 * @param replace what may happen unattended when a container must be re-created
 * @param denyPublicPorts ports published on every interface are errors, not warnings
 */
public record RepoPolicy(boolean prune, boolean selfHeal, ReplacePolicy replace, boolean denyPublicPorts) {

    public static final RepoPolicy DEFAULT = new RepoPolicy(true, false, ReplacePolicy.PLAN_ONLY, false);

    public RepoPolicy {
        Objects.requireNonNull(replace, "replace");
    }
}
