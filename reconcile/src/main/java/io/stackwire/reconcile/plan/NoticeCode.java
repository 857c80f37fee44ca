package io.stackwire.reconcile.plan;

import io.stackwire.model.Severity;
import java.util.Objects;

/**
 * Every notice the planner emits: its stable {@code code} (in the JSON plan, the metrics and the
 * loop's status; never renamed), its severity, and its hint where the hint is the same every time
 * (null where it names the resource or what to run). The messages name the resources, so they are
 * written where the notice is made. docs/planning.md lists the codes ("Notice codes");
 * {@code NoticeCodeTest} keeps the two in step.
 */
public enum NoticeCode {
    // Networks (NetworkClassifier, NetworkChanges, AddressSpace)
    PREDEFINED_NETWORK("predefined-network", Severity.ERROR,
            "declare it with `external: true` to attach containers to it, or use another name"),
    EXTERNAL_NETWORK_MISSING("external-network-missing", Severity.ERROR, null),
    CONFLICT_OTHER_OWNER("conflict-other-owner", Severity.ERROR, null),
    CONFLICT_UNMANAGED_NETWORK("conflict-unmanaged-network", Severity.ERROR,
            "mark it `external: true` to use it as is, `adopt: true` to let stackwire manage it, or rename the network in the spec"),
    ADOPTED_UNLABELLED("adopted-unlabelled", Severity.WARNING,
            "nothing to do; it gets stackwire's labels the next time a spec change replaces it"),
    ADOPTED_LEGACY_NETWORK("adopted-legacy-network", Severity.INFO,
            "nothing to do; it gets the owner label the next time a spec change replaces it"),
    REPLACE_WOULD_STRAND("replace-would-strand", Severity.ERROR, "set `attachable: true` on the network"),
    REPLACE_ADDRESS_CONFLICT("replace-address-conflict", Severity.ERROR,
            "declare a subnet that contains those addresses, or change the containers' addresses"),
    SUBNET_IN_USE("subnet-in-use", Severity.ERROR, null),

    // Two controllers of one repository (PeerConflicts)
    CONFLICT_OTHER_REVISION("conflict-other-revision", Severity.ERROR, null),

    // Overlays and swarm roles (NetworkClassifier)
    SWARM_REQUIRED("swarm-required", Severity.ERROR,
            "run `docker swarm init` on this host (or `docker swarm join` it to a swarm), then plan again"),
    OVERLAY_PENDING("overlay-pending", Severity.WARNING,
            "apply the spec on the swarm leader (`docker node ls` marks it Leader); a connect that finds no network is retried"
                    + " on the next pass"),
    OVERLAY_DRIFT("overlay-drift", Severity.WARNING, "apply the spec on the swarm leader (`docker node ls` marks it Leader)"),
    OVERLAY_ALLOCATING("overlay-allocating", Severity.WARNING, null),
    OVERLAY_NOT_ATTACHABLE("overlay-not-attachable", Severity.ERROR, null),

    // Prune and ownership (Prune)
    LEGACY_NETWORK_NOT_PRUNED("legacy-network-not-pruned", Severity.WARNING, null),
    FOREIGN_STACK_NETWORK("foreign-stack-network", Severity.WARNING, null),
    PRUNE_SKIPPED_IN_USE("prune-skipped-in-use", Severity.WARNING, "declare the network again, or drop those attachments"),
    PRUNE_SKIPPED("prune-skipped", Severity.WARNING, "enable prune in stackwire.yaml, or remove it by hand"),
    OTHER_OWNERS_NETWORKS("other-owners-networks", Severity.INFO, null),

    // Attachments (Attachments, NetworkClassifier, StaticAddresses)
    PENDING_CONTAINER("pending-container", Severity.WARNING, "start it (stackwire does not create containers)"),
    CONTAINER_HOST_NETWORK("container-host-network", Severity.ERROR,
            "re-create it without --network host, e.g. on one of the networks the spec gives it"),
    CONTAINER_SHARED_NETWORK("container-shared-network", Severity.ERROR,
            "attach the container it shares with instead, or re-create it with its own network"),
    NETWORK_MODE_MISMATCH("network-mode-mismatch", Severity.ERROR, null),
    ATTACHMENT_NETWORK_MISSING("attachment-network-missing", Severity.ERROR,
            "declare the network in a stack this host runs, or create it and declare it `external: true`"),
    ALIASES_ON_DEFAULT_BRIDGE("aliases-on-default-bridge", Severity.ERROR, "attach it to a user-defined network for aliases"),
    DRIFT_UNMANAGED_ATTACHMENT("drift-unmanaged-attachment", Severity.WARNING,
            "declare the attachment in the spec, disconnect it by hand, or enable selfHeal"),
    ADDRESS_IN_USE("address-in-use", Severity.ERROR, null),

    // Containers by selector (Selection)
    PENDING_SELECTOR("pending-selector", Severity.WARNING,
            "start the containers (e.g. docker compose up); stackwire does not create containers"),
    SELECTOR_CONFLICT("selector-conflict", Severity.ERROR, null),
    SELECTOR_SWARM_TASK("selector-swarm-task", Severity.WARNING,
            "attach the service in its definition (docker service update --network-add NETWORK SERVICE),"
                    + " or narrow the selector"),

    // Ports (Ports) and interrupted replacements (Leftovers)
    PORTS_WITHOUT_NETWORK("ports-without-network", Severity.ERROR, null),
    PORTS_DRIFT("ports-drift", Severity.WARNING, "re-create the container by hand, or set replace: allow (or plan-only) for it"),
    REPLACE_NEEDS_APPROVAL("replace-needs-approval", Severity.WARNING,
            "run `stackwire apply` and confirm, or set replace: allow for it"),
    PORT_ADDRESS_NOT_ON_HOST("port-address-not-on-host", Severity.ERROR, null),
    PORT_CONFLICT("port-conflict", Severity.ERROR, "pick a free host port, or free this one first"),
    REPLACE_INTERRUPTED("replace-interrupted", Severity.ERROR, null),
    REPLACE_LEFTOVER("replace-leftover", Severity.WARNING, null),

    // Destroy (Destroy)
    UNKNOWN_STACK("unknown-stack", Severity.ERROR, null),
    DESTROY_SKIPPED_UNLABELLED("destroy-skipped-unlabelled", Severity.WARNING, "remove it by hand if it should go"),
    DESTROY_SKIPPED_OTHER_OWNER("destroy-skipped-other-owner", Severity.WARNING, "destroy it from that repository"),
    DESTROY_SKIPPED_LEGACY("destroy-skipped-legacy", Severity.WARNING, null),
    DESTROY_SKIPPED_SWARM("destroy-skipped-swarm", Severity.WARNING,
            "run destroy on the swarm leader (`docker node ls` marks it Leader)"),
    DESTROY_SKIPPED_IN_USE("destroy-skipped-in-use", Severity.WARNING, "");

    private final String code;
    private final Severity severity;
    private final String hint;

    NoticeCode(String code, Severity severity, String hint) {
        this.code = code;
        this.severity = severity;
        this.hint = hint;
    }

    /** {@code conflict-unmanaged-network}: what plans, metrics and status pages carry. */
    public String code() {
        return code;
    }

    public Severity severity() {
        return severity;
    }

    /** The fixed hint, or null when each notice of this code writes its own. */
    public String hint() {
        return hint;
    }

    /** A notice with the fixed hint. */
    Notice notice(ResourceKey subject, String stack, String message) {
        if (hint == null) {
            throw new IllegalStateException(code + " has no fixed hint: give one");
        }
        return new Notice(severity, code, subject, stack, message, hint);
    }

    /** A notice whose hint names the resource or the command to run. */
    Notice notice(ResourceKey subject, String stack, String message, String hint) {
        if (this.hint != null) {
            throw new IllegalStateException(code + " has a fixed hint");
        }
        return new Notice(severity, code, subject, stack, message, Objects.requireNonNull(hint, "hint"));
    }
}
