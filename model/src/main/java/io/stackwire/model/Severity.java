package io.stackwire.model;

/**
 * How bad a diagnostic or plan notice is: errors stop a load (and make a plan fail), warnings are
 * lint (errors under {@code --strict}), info is said once and never fails anything.
 */
public enum Severity {
    ERROR,
    WARNING,
    INFO
}
