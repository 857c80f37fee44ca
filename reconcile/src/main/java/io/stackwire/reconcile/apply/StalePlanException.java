package io.stackwire.reconcile.apply;

/** A saved plan no longer matches the daemon; applying it could undo somebody else's change. */
public class StalePlanException extends Exception {

    private final String planned;
    private final String actual;

    public StalePlanException(String planned, String actual) {
        super(planned.isEmpty()
                ? "the plan carries no live fingerprint, so it cannot be checked against the daemon; run plan again"
                : "the daemon changed since this plan was made (fingerprint " + shorten(planned) + ", now "
                        + shorten(actual) + "); run plan again");
        this.planned = planned;
        this.actual = actual;
    }

    public String planned() {
        return planned;
    }

    public String actual() {
        return actual;
    }

    private static String shorten(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
    }
}
