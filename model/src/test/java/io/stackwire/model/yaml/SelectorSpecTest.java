package io.stackwire.model.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.ContainerSelector;
import io.stackwire.model.ContainerSpec;
import io.stackwire.model.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and validating {@code select:} entries (docs/spec.md, "Containers by selector"). */
class SelectorSpecTest {

    @TempDir
    Path root;

    private LoadResult stack(String text) throws IOException {
        Files.writeString(root.resolve("stack.yaml"), text);
        return SpecLoader.load(root, "h");
    }

    private static List<String> codes(LoadResult r) {
        return r.diagnostics().stream().map(Diagnostic::code).toList();
    }

    private static final String NETS = """
            stack: shop
            networks:
              app:
                ipam: {config: [{subnet: 10.77.0.0/24}]}
            containers:
            """;

    @Test
    void composeShorthandBecomesTheComposeLabelsAndTheEntryIsASelectorNotAContainer() throws IOException {
        LoadResult r = stack(NETS + """
                  web:
                    select:
                      compose: {project: shop, service: web}
                    networks:
                      app: {aliases: [web]}
                  db:
                    networks: [app]
                """);
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.state().containers()).containsOnlyKeys("db");
        ContainerSpec web = r.state().selectors().get("web");
        assertThat(web.selector().labels()).isEqualTo(Map.of(ContainerSelector.COMPOSE_PROJECT, "shop",
                ContainerSelector.COMPOSE_SERVICE, "web"));
        assertThat(web.selector().namePattern()).isNull();
        assertThat(web.attachments().get(0).aliases()).containsExactly("web");
        assertThat(web.selector().describe()).isEqualTo("compose project shop, service web");
    }

    @Test
    void labelsAndANamePatternCombine() throws IOException {
        LoadResult r = stack(NETS + """
                  workers:
                    select:
                      labels: {tier: back, team: core}
                      name: "ci-*-job?"
                    networks: [app]
                """);
        assertThat(r.diagnostics()).isEmpty();
        ContainerSelector s = r.state().selectors().get("workers").selector();
        assertThat(s.labels()).isEqualTo(Map.of("tier", "back", "team", "core"));
        assertThat(s.namePattern()).isEqualTo("ci-*-job?");
    }

    @Test
    void aStaticAddressOnAnEntryThatCanMatchSeveralContainersIsAnErrorWithTheFix() throws IOException {
        LoadResult r = stack(NETS + """
                  web:
                    select: {compose: {project: shop, service: web}}
                    networks:
                      app: {ipv4_address: 10.77.0.5}
                """);
        Diagnostic d = r.diagnostics().stream().filter(x -> x.code().equals("static-ip-on-selector")).findFirst().orElseThrow();
        assertThat(d.toString()).startsWith("stack.yaml:9:");
        assertThat(d.message()).contains("'web'").contains("more than one");
        assertThat(d.hint()).contains("alias");
    }

    @Test
    void aNamePatternWithoutWildcardsMayHaveAStaticAddress() throws IOException {
        LoadResult r = stack(NETS + """
                  web:
                    select: {name: shop-web-1}
                    networks:
                      app: {ipv4_address: 10.77.0.5}
                """);
        assertThat(r.diagnostics()).isEmpty();
    }

    @Test
    void portsOnASelectorAreRefused() throws IOException {
        LoadResult r = stack(NETS + """
                  web:
                    select: {labels: {app: web}}
                    networks: [app]
                    ports: ["127.0.0.1:8080:80"]
                """);
        assertThat(codes(r)).containsExactly("ports-on-selector");
        assertThat(r.diagnostics().get(0).hint()).contains("compose file");
    }

    @Test
    void aSelectorMustSelectSomethingAndAComposeSelectorNeedsItsProject() throws IOException {
        assertThat(codes(stack(NETS + "  a:\n    select: {}\n    networks: [app]\n"))).containsExactly("bad-value");
        assertThat(codes(stack(NETS + "  a:\n    select: {compose: {service: web}}\n    networks: [app]\n")))
                .containsExactly("bad-value");
        assertThat(codes(stack(NETS + "  a:\n    select: {name: \"bad/name\"}\n    networks: [app]\n")))
                .containsExactly("bad-value");
        assertThat(codes(stack(NETS + "  a:\n    select: {compose: {project: Shop}}\n    networks: [app]\n")))
                .containsExactly("bad-name");
        assertThat(codes(stack(NETS + "  a:\n    select: {compose: {project: shop, service: \"we b\"}}\n    networks: [app]\n")))
                .containsExactly("bad-name");
        assertThat(codes(stack(NETS + "  a:\n    select: {lables: {a: b}}\n    networks: [app]\n")))
                .contains("unknown-key");
    }

    @Test
    void matchingReadsOnlyNameAndLabels() {
        ContainerSelector compose = new ContainerSelector("web", Map.of(ContainerSelector.COMPOSE_PROJECT, "shop",
                ContainerSelector.COMPOSE_SERVICE, "web"), null);
        Map<String, String> replica = Map.of(ContainerSelector.COMPOSE_PROJECT, "shop", ContainerSelector.COMPOSE_SERVICE, "web",
                "com.docker.compose.container-number", "2");
        assertThat(compose.matches("shop-web-2", replica)).isTrue();
        assertThat(compose.matches("shop_web_2", replica)).isTrue();
        assertThat(compose.matches("shop-db-1", Map.of(ContainerSelector.COMPOSE_PROJECT, "shop",
                ContainerSelector.COMPOSE_SERVICE, "db"))).isFalse();
        assertThat(compose.matches("shop-web-1", Map.of())).isFalse();

        ContainerSelector glob = new ContainerSelector("ci", Map.of(), "ci-*.job?");
        assertThat(glob.matches("ci-42.job1", Map.of())).isTrue();
        assertThat(glob.matches("ci-42xjob1", Map.of())).isFalse(); // '.' is literal
        assertThat(glob.matches("ci-42.job12", Map.of())).isFalse();
        assertThat(glob.single()).isFalse();
        assertThat(new ContainerSelector("one", Map.of(), "exact-name").single()).isTrue();
        assertThat(new ContainerSelector("x", Map.of(), "*web*").matches("shop-web-1", Map.of())).isTrue();
        assertThat(new ContainerSelector("x", Map.of(), "a*b*c").matches("aXbYbZc", Map.of())).isTrue();
        assertThat(new ContainerSelector("x", Map.of(), "a*b*c").matches("aXbYbZ", Map.of())).isFalse();
        assertThat(new ContainerSelector("x", Map.of(), "*").matches("", Map.of())).isTrue();
    }
}
