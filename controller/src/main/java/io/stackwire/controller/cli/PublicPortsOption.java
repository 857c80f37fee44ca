package io.stackwire.controller.cli;

import picocli.CommandLine.Option;

/** {@code --deny-public-ports} for the commands that load a spec (validate, plan, apply). */
final class PublicPortsOption {

    @Option(names = "--deny-public-ports", description = "Ports published on every interface are errors, not warnings (like deny_public_ports in stackwire.yaml).")
    boolean deny;
}
