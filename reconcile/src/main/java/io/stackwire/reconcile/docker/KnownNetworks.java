package io.stackwire.reconcile.docker;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Networks whose removal the daemon answers only once they are gone, so no call is spent to see
 * it: configuration-only networks made here (lease records, always local) and local-scope
 * networks as last listed or made here (unlike a swarm's overlays). Shared by the observation,
 * which lists, and the network operations, which make and remove.
 */
final class KnownNetworks {

    private final Set<String> configOnly = ConcurrentHashMap.newKeySet();
    private final Set<String> localScope = ConcurrentHashMap.newKeySet();

    /** A full list: {@code local} are its local-scope IDs; local IDs no longer listed are forgotten. */
    void listed(Collection<String> ids, Collection<String> local) {
        localScope.addAll(local);
        localScope.retainAll(Set.copyOf(ids));
    }

    void madeConfigOnly(String id) {
        configOnly.add(id);
    }

    void madeLocal(String id) {
        localScope.add(id);
    }

    /** Forgets {@code id}; whether it was known to be gone once its removal was answered. */
    boolean removed(String id) {
        boolean madeConfigOnly = configOnly.remove(id);
        boolean local = localScope.remove(id);
        return madeConfigOnly || local;
    }
}
