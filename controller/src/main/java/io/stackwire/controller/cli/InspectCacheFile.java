package io.stackwire.controller.cli;

import io.stackwire.controller.source.GitSource;
import io.stackwire.reconcile.Normalizer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a CLI command keeps the container inspects its observation may reuse (docs/cli.md, "The
 * inspect cache"): {@code $XDG_CACHE_HOME/stackwire/inspect/<daemon>.json}, else under
 * {@code ~/.cache}, one file per daemon address. {@code STACKWIRE_CACHE=off} turns it off.
 */
final class InspectCacheFile {

    private InspectCacheFile() {}

    /** The file for the daemon at {@code host}, or null when the cache is off. */
    static Path of(Map<String, String> env, String host) {
        String mode = env.getOrDefault("STACKWIRE_CACHE", "");
        if (mode.equalsIgnoreCase("off") || mode.equals("0") || mode.equalsIgnoreCase("false")) {
            return null;
        }
        // Beside the Git source's cache: the same XDG rule.
        return GitSource.defaultCacheBase(env).resolveSibling("inspect").resolve(digest(host == null ? "" : host) + ".json");
    }

    private static String digest(String host) {
        return Normalizer.sha256Hex(host).substring(0, 24);
    }
}
