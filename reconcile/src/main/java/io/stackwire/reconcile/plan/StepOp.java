package io.stackwire.reconcile.plan;

/** One Docker operation the executor performs. */
public enum StepOp {
    DISCONNECT,
    REMOVE_NETWORK,
    CREATE_NETWORK,
    CONNECT,
    /** Re-create a container with new port bindings (issue: port bindings). */
    REPLACE_CONTAINER
}
