package io.stackwire.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectCacheFileTest {

    @Test
    void oneFilePerDaemonAddressUnderTheXdgCache() {
        Path a = InspectCacheFile.of(Map.of("XDG_CACHE_HOME", "/c"), "unix:///var/run/docker.sock");
        Path b = InspectCacheFile.of(Map.of("XDG_CACHE_HOME", "/c"), "tcp://127.0.0.1:2375");
        assertThat(a.getParent()).isEqualTo(Path.of("/c/stackwire/inspect"));
        assertThat(a.getFileName().toString()).matches("[0-9a-f]{24}\\.json");
        assertThat(b).isNotEqualTo(a);
        assertThat(InspectCacheFile.of(Map.of("XDG_CACHE_HOME", "/c"), "unix:///var/run/docker.sock")).isEqualTo(a);
    }

    @Test
    void underTheHomeCacheWithoutXdgAndOffWhenAsked() {
        assertThat(InspectCacheFile.of(Map.of(), "unix:///x.sock").getParent())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "stackwire", "inspect"));
        assertThat(InspectCacheFile.of(Map.of("STACKWIRE_CACHE", "off"), "unix:///x.sock")).isNull();
        assertThat(InspectCacheFile.of(Map.of("STACKWIRE_CACHE", "0"), "unix:///x.sock")).isNull();
    }
}
