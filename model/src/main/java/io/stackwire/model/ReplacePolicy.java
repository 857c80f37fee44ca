package io.stackwire.model;

/** What the controller may do unattended when a change needs a container to be re-created. */
public enum ReplacePolicy {
    /** Re-create the container when its port bindings change. */
    ALLOW,
    /** Show the replacement in plans, but only an explicit {@code apply} performs it. */
    PLAN_ONLY,
    /** Never re-create; the plan reports the drift. */
    NEVER
}
