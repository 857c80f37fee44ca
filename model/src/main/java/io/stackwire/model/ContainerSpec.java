package io.stackwire.model;

import java.util.List;
import java.util.Objects;

/**
 * A container referenced by its explicit name. stackwire does not create containers; it manages
 * their network attachments and published ports.
 *
 * @param attachments one per network, in the order written
 * @param ports the bindings wanted; only compared with the container's when {@code managesPorts}
 * @param replace null to inherit the repo policy
 * @param managesPorts the spec has a {@code ports:} key (an empty list means "publish nothing");
 *     without it stackwire leaves the container's published ports alone
 */
public record ContainerSpec(
        String name,
        String stack,
        List<Attachment> attachments,
        List<PortBinding> ports,
        ReplacePolicy replace,
        SourceRef source,
        boolean managesPorts) {

    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stack, "stack");
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        ports = ports == null ? List.of() : List.copyOf(ports);
        source = source == null ? SourceRef.UNKNOWN : source;
    }

    /** The form before {@code managesPorts} existed: ports are managed when any are listed. */
    public ContainerSpec(String name, String stack, List<Attachment> attachments, List<PortBinding> ports,
            ReplacePolicy replace, SourceRef source) {
        this(name, stack, attachments, ports, replace, source, ports != null && !ports.isEmpty());
    }
}
