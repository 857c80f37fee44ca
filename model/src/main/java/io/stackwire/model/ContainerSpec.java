package io.stackwire.model;

import java.util.List;
import java.util.Objects;

/**
 * A container referenced by its explicit name, or (with a {@code selector}) an entry standing for
 * every container that matches it. stackwire does not create containers; it manages their network
 * attachments and published ports.
 *
 * @param attachments one per network, in the order written
 * @param ports the bindings wanted; only compared with the container's when {@code managesPorts}
 * @param replace null to inherit the repo policy
 * @param managesPorts the spec has a {@code ports:} key (an empty list means "publish nothing");
 *     without it stackwire leaves the container's published ports alone
 * @param selector null for a container named exactly; otherwise the entry selects containers and
 *     {@code name} is the entry's key (for a matched container the planner makes one spec per
 *     match, named after the container, that keeps the selector to say which entry gave it)
 */
public record ContainerSpec(
        String name,
        String stack,
        List<Attachment> attachments,
        List<PortBinding> ports,
        ReplacePolicy replace,
        SourceRef source,
        boolean managesPorts,
        ContainerSelector selector) {

    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stack, "stack");
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        ports = ports == null ? List.of() : List.copyOf(ports);
        source = source == null ? SourceRef.UNKNOWN : source;
    }

    /** A container named exactly. */
    public ContainerSpec(String name, String stack, List<Attachment> attachments, List<PortBinding> ports,
            ReplacePolicy replace, SourceRef source, boolean managesPorts) {
        this(name, stack, attachments, ports, replace, source, managesPorts, null);
    }

    /** The same entry standing for the container {@code container}, which its selector matched. */
    public ContainerSpec selected(String container) {
        return new ContainerSpec(container, stack, attachments, ports, replace, source, managesPorts, selector);
    }

    /** The form before {@code managesPorts} existed: ports are managed when any are listed. */
    public ContainerSpec(String name, String stack, List<Attachment> attachments, List<PortBinding> ports,
            ReplacePolicy replace, SourceRef source) {
        this(name, stack, attachments, ports, replace, source, ports != null && !ports.isEmpty());
    }
}
