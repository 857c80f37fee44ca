package io.stackwire.reconcile.plan;

/** Kinds of resource, in the order their creations run. */
public enum ResourceKind {
    NETWORK,
    CONTAINER,
    ATTACHMENT
}
