package io.stackwire.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.controller.loop.LoopStatus.AttachmentView;
import io.stackwire.controller.loop.LoopStatus.ContainerView;
import io.stackwire.model.DesiredState;
import io.stackwire.model.PortBinding;
import io.stackwire.model.yaml.SpecLoader;
import io.stackwire.reconcile.LiveContainer;
import io.stackwire.reconcile.LiveEndpoint;
import io.stackwire.reconcile.LiveState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerViewsTest {

    @TempDir
    Path dir;

    private DesiredState spec(String ports) throws Exception {
        Files.writeString(dir.resolve("stack.yaml"), """
                stack: shop
                networks:
                  front: {driver: bridge}
                containers:
                  web:
                    %s
                    networks:
                      front: {aliases: [www, shop]}
                  db: {networks: {front: {}}}
                """.formatted(ports));
        var load = SpecLoader.load(dir, "edge-1");
        assertThat(load.hasErrors()).as(load.diagnostics().toString()).isFalse();
        return load.state();
    }

    private static LiveState live(LiveContainer... containers) {
        TreeMap<String, LiveContainer> byName = new TreeMap<>();
        Stream.of(containers).forEach(c -> byName.put(c.name(), c));
        return new LiveState(null, byName, null, "1.41");
    }

    private static LiveContainer web(List<String> configured, List<String> actual) {
        return new LiveContainer("id-web", "web", true, "bridge", Map.of(),
                List.of(new LiveEndpoint("front", "id-front", List.of("www", "shop"), null, null, "172.18.0.2", null)),
                configured.stream().map(PortBinding::parse).toList(), actual.stream().map(PortBinding::parse).toList());
    }

    private static ContainerView view(List<ContainerView> views, String name) {
        return views.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void listsWantedAndPublishedPortsNormalisedWithTheirProtocolAndTheRandomPortDockerPicked() throws Exception {
        var views = ContainerViews.of(spec("ports: [\"127.0.0.1:5432:5432\", \"443\", \"53:53/udp\"]"),
                live(web(List.of("127.0.0.1:5432:5432", "443", "53:53/udp"),
                        List.of("127.0.0.1:5432:5432", "0.0.0.0:49153:443", "[::]:49153:443", "0.0.0.0:53:53/udp"))));

        ContainerView web = view(views, "web");
        assertThat(web.state()).isEqualTo("running");
        assertThat(web.networks()).containsExactly(new AttachmentView("front", List.of("www", "shop"), true));
        assertThat(web.ports()).containsExactly("443/tcp", "127.0.0.1:5432:5432/tcp", "53:53/udp");
        assertThat(web.published()).containsExactly("49153:443/tcp", "127.0.0.1:5432:5432/tcp", "53:53/udp");
        assertThat(web.portsDrift()).isNull();
    }

    @Test
    void reportsPortsDriftTheWayThePlannerComparesThem() throws Exception {
        var views = ContainerViews.of(spec("ports: [\"127.0.0.1:5432:5432\"]"),
                live(web(List.of("5432:5432"), List.of("0.0.0.0:5432:5432"))));

        assertThat(view(views, "web").portsDrift()).isEqualTo("ports changed: 5432:5432/tcp -> 127.0.0.1:5432:5432/tcp");
        assertThat(view(views, "web").published()).containsExactly("5432:5432/tcp");
    }

    @Test
    void aContainerWithoutPortsKeyHasUnmanagedPortsAndAMissingOneIsSaidSo() throws Exception {
        var views = ContainerViews.of(spec("ports: []"), live(web(List.of("8080:80"), List.of("0.0.0.0:8080:80"))));

        assertThat(view(views, "web").ports()).isEmpty();
        assertThat(view(views, "web").portsDrift()).isEqualTo("ports changed: 8080:80/tcp -> (none)");
        ContainerView db = view(views, "db");
        assertThat(db.ports()).as("no ports: key").isNull();
        assertThat(db.state()).isEqualTo("missing");
        assertThat(db.networks()).containsExactly(new AttachmentView("front", List.of(), false));
        assertThat(ContainerViews.of(spec("ports: []"), null)).allSatisfy(v -> assertThat(v.state()).isEqualTo("unknown"));
    }
}
