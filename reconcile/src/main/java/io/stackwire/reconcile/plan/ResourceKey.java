package io.stackwire.reconcile.plan;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identifies one resource: a network by name, a container by name, or an attachment of a
 * container to a network.
 *
 * @param network the network of an attachment; null for the other kinds
 */
public record ResourceKey(ResourceKind kind, String name, String network) implements Comparable<ResourceKey> {

    private static final Comparator<ResourceKey> ORDER = Comparator.comparing(ResourceKey::kind)
            .thenComparing(ResourceKey::name)
            .thenComparing(k -> k.network == null ? "" : k.network);

    public ResourceKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if ((kind == ResourceKind.ATTACHMENT) != (network != null)) {
            throw new IllegalArgumentException("only attachments name a network");
        }
    }

    public static ResourceKey network(String name) {
        return new ResourceKey(ResourceKind.NETWORK, name, null);
    }

    public static ResourceKey container(String name) {
        return new ResourceKey(ResourceKind.CONTAINER, name, null);
    }

    public static ResourceKey attachment(String container, String network) {
        return new ResourceKey(ResourceKind.ATTACHMENT, container, network);
    }

    /** {@code network.front}, {@code container.web}, {@code attachment.web/front}. */
    public String address() {
        return switch (kind) {
            case NETWORK -> "network." + name;
            case CONTAINER -> "container." + name;
            case ATTACHMENT -> "attachment." + name + "/" + network;
        };
    }

    @Override
    public int compareTo(ResourceKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return address();
    }
}
