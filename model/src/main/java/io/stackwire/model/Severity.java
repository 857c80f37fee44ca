package io.stackwire.model;

/** How bad a diagnostic is: errors stop a load, warnings are lint (errors under {@code --strict}). */
public enum Severity {
    ERROR,
    WARNING
}
