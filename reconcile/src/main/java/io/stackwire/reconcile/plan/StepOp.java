package io.stackwire.reconcile.plan;

/** One Docker operation the executor performs. */
public enum StepOp {
    /**
     * Finish or undo a container replacement a killed apply left half done ({@code ReplaceRepair});
     * first, so the container's other steps find it under its name.
     */
    REPAIR_REPLACEMENT,
    DISCONNECT,
    REMOVE_NETWORK,
    CREATE_NETWORK,
    CONNECT,
    /** Re-create a container with new port bindings (issue: port bindings). */
    REPLACE_CONTAINER
}
