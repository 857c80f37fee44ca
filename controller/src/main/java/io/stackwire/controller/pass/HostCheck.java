package io.stackwire.controller.pass;

import io.stackwire.model.DesiredState;
import io.stackwire.reconcile.LiveState;
import io.stackwire.reconcile.plan.HostPorts;

/**
 * What the planner learns about this machine (host ports held by processes, its addresses); I/O,
 * so outside the planner. The real one is {@code HostProbe::probe}, used only when the daemon runs
 * on this machine.
 */
public interface HostCheck {
    HostPorts probe(DesiredState desired, LiveState live);

    /** A remote daemon (or a test): this machine's ports say nothing about its host, nothing is checked. */
    HostCheck NONE = (d, l) -> HostPorts.UNKNOWN;
}
