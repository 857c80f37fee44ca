package io.stackwire.reconcile.plan;

/**
 * What a change does to one resource. Docker edits almost nothing in place and names are unique,
 * so there is no in-place update and no create-before-delete.
 */
public enum Action {
    CREATE("+", "create"),
    DELETE("-", "destroy"),
    /** Delete then create: the resource cannot be changed in place. */
    REPLACE("-/+", "replace"),
    CONNECT("+", "connect"),
    DISCONNECT("-", "disconnect"),
    /** Disconnect then connect one attachment, e.g. to change its aliases or static IP. */
    RECONNECT("~", "reconnect");

    private final String symbol;
    private final String verb;

    Action(String symbol, String verb) {
        this.symbol = symbol;
        this.verb = verb;
    }

    public String symbol() {
        return symbol;
    }

    public String verb() {
        return verb;
    }
}
