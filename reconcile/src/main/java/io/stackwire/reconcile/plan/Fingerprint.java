package io.stackwire.reconcile.plan;

import io.stackwire.reconcile.LiveState;

/** A stable hash of the parts of a live state that planning depends on; saved plans carry it. */
public final class Fingerprint {

    private Fingerprint() {}

    /** Hex SHA-256 of the normalised live state; equal states give equal fingerprints. */
    public static String of(LiveState live) {
        // Placeholder until the planner lands: the reconcile engine issue replaces it.
        return Integer.toHexString(live.hashCode());
    }
}
