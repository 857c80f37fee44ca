package io.stackwire.controller.cli;

/** Terraform's convention, so CI can act on a plan. */
final class ExitCodes {

    /** Success; for plan: no changes. */
    static final int OK = 0;
    /** Any error: bad input, unreachable daemon, refused or incomplete apply, usage error. */
    static final int ERROR = 1;
    /** plan --detailed-exitcode: success, and the plan has changes. */
    static final int CHANGES = 2;

    private ExitCodes() {}
}
