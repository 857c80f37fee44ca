package io.stackwire.model;

import java.util.List;
import java.util.Objects;

/**
 * A container referenced by its explicit name. stackwire does not create containers; it manages
 * their network attachments and published ports.
 *
 * @param attachments one per network, in the order written
 * @param replace null to inherit the repo policy
 */
public record ContainerSpec(
        String name,
        String stack,
        List<Attachment> attachments,
        List<PortBinding> ports,
        ReplacePolicy replace,
        SourceRef source) {

    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stack, "stack");
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        ports = ports == null ? List.of() : List.copyOf(ports);
        source = source == null ? SourceRef.UNKNOWN : source;
    }
}
