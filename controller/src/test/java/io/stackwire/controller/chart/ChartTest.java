package io.stackwire.controller.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * charts/stackwire through the real helm library (helm-java): lint, and the objects {@code helm
 * template} renders with default and non-default values, parsed and checked field by field.
 */
class ChartTest {

    private static final Path CHART = Path.of("..", "charts", "stackwire").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    // ---- rendering helpers

    /** The rendered objects by kind (each kind at most once in this chart). */
    private static Map<String, Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
        String yaml = values.apply(new Helm(CHART).template().withName("edge").withNamespace("infra")).call();
        Map<String, Map<String, Object>> byKind = new java.util.TreeMap<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (doc == null) {
                continue;
            }
            Map<String, Object> object = map(doc);
            assertThat(byKind.put((String) object.get("kind"), object)).as("one %s", object.get("kind")).isNull();
        }
        return byKind;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }

    /** Follows a path of map keys and list indexes. */
    private static Object at(Object root, Object... path) {
        Object cur = root;
        for (Object step : path) {
            cur = step instanceof Integer i ? list(cur).get(i) : map(cur).get(step);
            assertThat(cur).as("%s in %s", step, List.of(path)).isNotNull();
        }
        return cur;
    }

    private static Map<String, Object> pod(Map<String, Map<String, Object>> objects) {
        return map(at(objects.get("DaemonSet"), "spec", "template", "spec"));
    }

    private static Map<String, Object> container(Map<String, Map<String, Object>> objects) {
        List<Object> containers = list(pod(objects).get("containers"));
        assertThat(containers).hasSize(1);
        return map(containers.get(0));
    }

    private static List<String> args(Map<String, Map<String, Object>> objects) {
        List<String> out = new ArrayList<>();
        list(container(objects).get("args")).forEach(a -> out.add(String.valueOf(a)));
        return out;
    }

    private static Map<String, Object> named(List<Object> items, String name) {
        return items.stream().map(ChartTest::map).filter(m -> name.equals(m.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no item named " + name + " in " + items));
    }

    // ---- tests

    @Test
    void lintPasses() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void lintFailsOnABrokenTemplate() throws Exception {
        // Proves the lint above really runs the templates: the same chart with one template broken fails.
        Path copy = dir.resolve("stackwire");
        try (var files = Files.walk(CHART)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(CHART.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Files.writeString(copy.resolve("templates/broken.yaml"), "{{ .Values.nope.deeper }}\n");

        LintResult lint = new Helm(copy).lint().call();

        assertThat(lint.isFailed()).isTrue();
        assertThat(String.join("\n", lint.getMessages())).contains("broken.yaml");
    }

    @Test
    void defaultValuesRenderADaemonSetOnTheDockerSocketNamedAfterTheNode() {
        Map<String, Map<String, Object>> objects = render(t -> t);

        assertThat(objects.keySet()).containsExactly("DaemonSet", "Service");
        Map<String, Object> ds = objects.get("DaemonSet");
        assertThat(at(ds, "metadata", "name")).isEqualTo("edge-stackwire");
        assertThat(at(ds, "apiVersion")).isEqualTo("apps/v1");
        Map<String, Object> c = container(objects);
        assertThat(c.get("image")).isEqualTo("stackwire:0.1.0");
        assertThat(args(objects)).containsExactly("run", "/spec", "--host=$(STACKWIRE_HOST)", "--interval=30s", "--resync=5m",
                "--listen=0.0.0.0:9090");
        Map<String, Object> hostEnv = named(list(c.get("env")), "STACKWIRE_HOST");
        assertThat(at(hostEnv, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("spec.nodeName");
        assertThat(named(list(c.get("env")), "DOCKER_HOST").get("value")).isEqualTo("unix:///var/run/docker.sock");

        Map<String, Object> socket = named(list(pod(objects).get("volumes")), "docker-socket");
        assertThat(at(socket, "hostPath", "path")).isEqualTo("/var/run/docker.sock");
        assertThat(at(socket, "hostPath", "type")).isEqualTo("Socket");
        assertThat(named(list(c.get("volumeMounts")), "docker-socket").get("mountPath")).isEqualTo("/var/run/docker.sock");
        // Without a repo the spec comes from a ConfigMap the pod waits for.
        assertThat(at(named(list(pod(objects).get("volumes")), "spec"), "configMap", "name")).isEqualTo("edge-stackwire-spec");

        assertThat(at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/healthz");
        assertThat(at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/readyz");
        assertThat(at(c, "ports", 0, "containerPort")).isEqualTo(9090);
        assertThat(at(c, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(c, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(list(at(c, "securityContext", "capabilities", "drop"))).containsExactly("ALL");
        // No socket group given: root without capabilities, since a root:docker 0660 socket needs it.
        assertThat(at(c, "securityContext", "runAsUser")).isEqualTo(0);
        assertThat(at(c, "securityContext", "runAsNonRoot")).isEqualTo(false);
        assertThat(at(pod(objects), "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
        assertThat(at(pod(objects), "securityContext")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .doesNotContainKey("fsGroup");
        // The root filesystem is read-only: /tmp and HOME (the Git cache) are emptyDirs.
        assertThat(named(list(c.get("volumeMounts")), "tmp").get("mountPath")).isEqualTo("/tmp");
        assertThat(named(list(c.get("volumeMounts")), "cache").get("mountPath")).isEqualTo("/var/lib/stackwire");
        assertThat(named(list(c.get("env")), "HOME").get("value")).isEqualTo("/var/lib/stackwire");
        assertThat(named(list(pod(objects).get("volumes")), "cache")).containsKey("emptyDir");
        assertThat(at(c, "resources", "requests", "memory")).isEqualTo("160Mi");
        assertThat(at(c, "resources", "limits", "memory")).isEqualTo("320Mi");
        assertThat(pod(objects).get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(pod(objects)).doesNotContainKeys("nodeSelector", "tolerations");
        assertThat(at(objects.get("Service"), "spec", "clusterIP")).isEqualTo("None");
    }

    @Test
    void nonDefaultValuesRenderGitSecretsMonitoringAndScheduling() {
        Map<String, Map<String, Object>> objects = render(t -> t
                .set("image.repository", "registry.example/stackwire")
                .set("image.tag", "1.2.3")
                .set("mode", "git")
                .set("git.repo", "https://git.example/infra/net.git")
                .set("git.ref", "release")
                .set("git.path", "docker/edge")
                .set("git.existingSecret", "net-repo")
                .set("webhook.existingSecret", "net-hook")
                .set("interval", "1m")
                .set("resync", "10m")
                .set("dryRun", "true")
                .set("selfHeal", "true")
                .set("metrics.port", "9100")
                .set("metrics.serviceMonitor.enabled", "true")
                .set("metrics.serviceMonitor.labels.release", "prom")
                .set("resources.limits.memory", "512Mi")
                .set("resources.requests.cpu", "100m")
                .set("nodeSelector.stackwire\\.io/docker", "true")
                .set("tolerations[0].key", "dedicated")
                .set("tolerations[0].operator", "Exists")
                .set("docker.socketGroup", "998"));

        assertThat(objects.keySet()).containsExactly("DaemonSet", "Service", "ServiceMonitor");
        assertThat(container(objects).get("image")).isEqualTo("registry.example/stackwire:1.2.3");
        assertThat(args(objects)).containsExactly("run",
                "--repo=https://git.example/infra/net.git", "--ref=release", "--path=docker/edge",
                "--host=$(STACKWIRE_HOST)", "--interval=1m", "--resync=10m", "--listen=0.0.0.0:9100",
                "--dry-run", "--self-heal",
                "--git-token-file=/etc/stackwire/git/token", "--webhook-secret-file=/etc/stackwire/webhook/secret");

        List<Object> volumes = list(pod(objects).get("volumes"));
        assertThat(at(named(volumes, "git-credentials"), "secret", "secretName")).isEqualTo("net-repo");
        assertThat(at(named(volumes, "webhook-secret"), "secret", "secretName")).isEqualTo("net-hook");
        assertThat(volumes.stream().map(v -> map(v).get("name"))).doesNotContain("spec");
        List<Object> mounts = list(container(objects).get("volumeMounts"));
        assertThat(named(mounts, "git-credentials").get("mountPath")).isEqualTo("/etc/stackwire/git");
        assertThat(named(mounts, "git-credentials").get("readOnly")).isEqualTo(true);

        assertThat(at(container(objects), "resources", "limits", "memory")).isEqualTo("512Mi");
        assertThat(at(container(objects), "resources", "requests", "cpu")).isEqualTo("100m");
        assertThat(at(container(objects), "securityContext", "runAsUser")).isEqualTo(10001);
        assertThat(at(container(objects), "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(list(at(pod(objects), "securityContext", "supplementalGroups"))).containsExactly(998);
        assertThat(at(pod(objects), "securityContext", "fsGroup")).as("the Secrets' files are root:fsGroup 0440").isEqualTo(10001);
        assertThat(at(named(volumes, "git-credentials"), "secret", "defaultMode")).isEqualTo(0440);
        assertThat(at(pod(objects), "nodeSelector", "stackwire.io/docker")).isEqualTo("true");
        assertThat(at(pod(objects), "tolerations", 0, "key")).isEqualTo("dedicated");

        Map<String, Object> monitor = objects.get("ServiceMonitor");
        assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(at(monitor, "metadata", "labels", "release")).isEqualTo("prom");
        assertThat(at(monitor, "spec", "endpoints", 0, "port")).isEqualTo("metrics");
        assertThat(at(monitor, "spec", "endpoints", 0, "path")).isEqualTo("/metrics");
        assertThat(at(monitor, "spec", "namespaceSelector", "matchNames", 0)).isEqualTo("infra");
        assertThat(at(monitor, "spec", "selector", "matchLabels"))
                .isEqualTo(at(objects.get("DaemonSet"), "spec", "selector", "matchLabels"));
        assertThat(at(objects.get("Service"), "spec", "ports", 0, "port")).isEqualTo(9100);
    }

    @Test
    void aHostOverrideReplacesTheNodeName() {
        Map<String, Map<String, Object>> objects = render(t -> t.set("mode", "git").set("git.repo", "file:///srv/net.git").set("hostOverride", "edge-7"));

        Map<String, Object> hostEnv = named(list(container(objects).get("env")), "STACKWIRE_HOST");
        assertThat(hostEnv.get("value")).isEqualTo("edge-7");
        assertThat(hostEnv).doesNotContainKey("valueFrom");
    }

    @Test
    void noServiceOrMonitorWhenBothAreOff() {
        Map<String, Map<String, Object>> objects = render(t -> t.set("metrics.service.enabled", "false"));

        assertThat(objects.keySet()).containsExactly("DaemonSet");
    }

    // ---- each mode's values (charts/stackwire/ci), lint and render

    /** The chart copied with a ci/ values file merged over its values.yaml (helm lint reads only that). */
    private Path chartWithValues(String ciFile) throws Exception {
        Path copy = dir.resolve("stackwire");
        try (var files = Files.walk(CHART)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(CHART.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Load load = new Load(LoadSettings.builder().build());
        Map<String, Object> values = map(load.loadFromString(Files.readString(CHART.resolve("values.yaml"))));
        merge(values, map(load.loadFromString(Files.readString(CHART.resolve("ci").resolve(ciFile)))));
        Files.writeString(copy.resolve("values.yaml"), new Dump(DumpSettings.builder().build()).dumpToString(values));
        return copy;
    }

    private static void merge(Map<String, Object> into, Map<String, Object> over) {
        over.forEach((k, v) -> {
            if (v instanceof Map<?, ?> && into.get(k) instanceof Map<?, ?>) {
                merge(map(into.get(k)), map(v));
            } else {
                into.put(k, v);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"configmap-values.yaml", "git-https-values.yaml", "git-ssh-values.yaml"})
    void lintPassesWithEachModesValues(String ciFile) throws Exception {
        Path chart = chartWithValues(ciFile);
        assertThat(Files.readString(chart.resolve("values.yaml"))).as("the merged values").contains("mode:");

        LintResult lint = new Helm(chart).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void lintRunsTheSchema() throws Exception {
        Path chart = chartWithValues("git-https-values.yaml");
        Files.writeString(chart.resolve("values.yaml"), Files.readString(chart.resolve("values.yaml")).replace("mode: git", "mode: github"));

        LintResult lint = new Helm(chart).lint().call();

        assertThat(lint.isFailed()).isTrue();
        assertThat(String.join("\n", lint.getMessages())).contains("mode").contains("configMap", "git");
    }

    @Test
    void configMapModeWithFilesRendersTheConfigMapAndMountsItWholeAsNonRoot() {
        Map<String, Map<String, Object>> objects = render(t -> t.withValuesFile(CHART.resolve("ci/configmap-values.yaml")));

        assertThat(objects.keySet()).containsExactly("ConfigMap", "DaemonSet", "Service");
        Map<String, Object> cm = objects.get("ConfigMap");
        assertThat(at(cm, "metadata", "name")).isEqualTo("edge-stackwire-spec");
        assertThat(map(cm.get("data"))).containsOnlyKeys("net.yaml", "stackwire.yaml");
        assertThat(at(cm, "data", "net.yaml")).asString().startsWith("stack: edge\n");
        assertThat(at(named(list(pod(objects).get("volumes")), "spec"), "configMap", "name")).isEqualTo("edge-stackwire-spec");
        Map<String, Object> mount = named(list(container(objects).get("volumeMounts")), "spec");
        assertThat(mount.get("mountPath")).isEqualTo("/spec");
        assertThat(mount).as("a subPath mount would never see an update").doesNotContainKey("subPath");
        assertThat(args(objects)).startsWith("run", "/spec").noneMatch(a -> a.startsWith("--repo") || a.startsWith("--ssh"));

        Map<String, Object> sc = map(container(objects).get("securityContext"));
        assertThat(sc).containsEntry("runAsUser", 10001).containsEntry("runAsGroup", 10001).containsEntry("runAsNonRoot", true)
                .containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);
        assertThat(list(at(pod(objects), "securityContext", "supplementalGroups"))).containsExactly(998);
    }

    @Test
    void anExistingConfigMapIsMountedAndNoneIsRendered() {
        Map<String, Map<String, Object>> objects = render(t -> t.set("localSpec.configMap", "net-spec"));

        assertThat(objects.keySet()).containsExactly("DaemonSet", "Service");
        assertThat(at(named(list(pod(objects).get("volumes")), "spec"), "configMap", "name")).isEqualTo("net-spec");
    }

    @Test
    void configMapItemsPlaceHostOverlaysInHosts() {
        Map<String, Map<String, Object>> objects = render(t -> t
                .set("localSpec.items[0].key", "net.yaml").set("localSpec.items[0].path", "net.yaml")
                .set("localSpec.items[1].key", "node-1.yaml").set("localSpec.items[1].path", "hosts/node-1.yaml"));

        List<Object> items = list(at(named(list(pod(objects).get("volumes")), "spec"), "configMap", "items"));
        assertThat(items).extracting(i -> map(i).get("path")).containsExactly("net.yaml", "hosts/node-1.yaml");
        assertThat(refused(t -> t.set("localSpec.items[0].key", "a.yaml").set("localSpec.items[0].path", "/etc/a.yaml")))
                .contains("at '/localSpec/items/0/path'");
    }

    @Test
    void gitOverSshMountsTheKeyAndKnownHostsAndPassesThemToTheSshOptions() {
        Map<String, Map<String, Object>> objects = render(t -> t.withValuesFile(CHART.resolve("ci/git-ssh-values.yaml")));

        assertThat(args(objects)).containsExactly("run", "--repo=ssh://git@git.example/infra/network.git", "--ref=v1.4.0",
                "--host=$(STACKWIRE_HOST)", "--interval=30s", "--resync=5m", "--listen=0.0.0.0:9090",
                "--ssh-key=/etc/stackwire/ssh/ssh-privatekey", "--ssh-known-hosts=/etc/stackwire/ssh/known_hosts");
        List<Object> volumes = list(pod(objects).get("volumes"));
        Map<String, Object> ssh = map(named(volumes, "git-ssh").get("secret"));
        assertThat(ssh.get("secretName")).isEqualTo("network-repo-ssh");
        assertThat(ssh.get("defaultMode")).isEqualTo(0440);
        assertThat(list(ssh.get("items"))).extracting(i -> map(i).get("key")).containsExactly("ssh-privatekey", "known_hosts");
        Map<String, Object> mount = named(list(container(objects).get("volumeMounts")), "git-ssh");
        assertThat(mount).containsEntry("mountPath", "/etc/stackwire/ssh").containsEntry("readOnly", true);
        assertThat(volumes.stream().map(v -> map(v).get("name"))).doesNotContain("spec", "git-credentials");
        assertThat(at(pod(objects), "securityContext", "fsGroup")).isEqualTo(10001);
        assertThat(objects).doesNotContainKey("ConfigMap");
    }

    @Test
    void gitOverHttpsPassesTheTokenFileAndAUserName() {
        Map<String, Map<String, Object>> objects = render(t -> t.withValuesFile(CHART.resolve("ci/git-https-values.yaml"))
                .set("git.tokenUsername", "oauth2"));

        assertThat(args(objects)).contains("--git-token-file=/etc/stackwire/git/token", "--git-username=oauth2",
                "--webhook-secret-file=/etc/stackwire/webhook/secret", "--path=docker").noneMatch(a -> a.startsWith("--ssh"));
        assertThat(at(named(list(pod(objects).get("volumes")), "git-credentials"), "secret", "secretName"))
                .isEqualTo("network-repo-token");
    }

    /** The message helm gives for values that template refuses (schema or the chart's own checks). */
    private static String refused(UnaryOperator<TemplateCommand> values) {
        try {
            String out = values.apply(new Helm(CHART).template().withName("edge").withNamespace("infra")).call();
            throw new AssertionError("rendered instead of refusing:\n" + out);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    @Test
    void theSchemaRejectsBadValues() {
        assertThat(refused(t -> t.set("mode", "kubernetes"))).contains("at '/mode': value must be one of 'configMap', 'git'");
        assertThat(refused(t -> t.set("mode", "git"))).contains("at '/git/repo': minLength: got 0, want 1");
        assertThat(refused(t -> t.set("interval", "30"))).contains("at '/interval': got number, want string");
        assertThat(refused(t -> t.set("interval", "soon"))).contains("at '/interval': 'soon' does not match pattern");
        assertThat(refused(t -> t.set("dryRun", "maybe"))).contains("at '/dryRun': got string, want boolean");
        assertThat(refused(t -> t.set("docker.socketGroup", "docker")))
                .contains("at '/docker/socketGroup': got string, want null or integer");
        assertThat(refused(t -> t.set("metrics.port", "99999"))).contains("at '/metrics/port': maximum");
        assertThat(refused(t -> t.set("gitRepo", "https://git.example/x.git"))).contains("additional properties 'gitRepo' not allowed");
        assertThat(refused(t -> t.set("git.ssh.existingSecret", "Not_A_Name").set("mode", "git").set("git.repo", "ssh://h/r")))
                .contains("at '/git/ssh/existingSecret': 'Not_A_Name' does not match pattern");
    }

    @Test
    void contradictoryValuesAreRefusedWithWhatToChange() {
        assertThat(refused(t -> t.set("git.repo", "https://git.example/x.git")))
                .contains("git.repo is set (https://git.example/x.git) but mode is configMap: set mode=git");
        assertThat(refused(t -> t.set("mode", "git").set("git.repo", "https://git.example/x.git")
                .set("git.ssh.existingSecret", "k"))).contains("git.repo is an https URL");
        assertThat(refused(t -> t.set("localSpec.configMap", "a").set("localSpec.files.net\\.yaml", "stack: a")))
                .contains("cannot be combined");
    }

    @Test
    void notesSayHowToSeeStatusAndThePlan() {
        Release release = new Helm(CHART).install().withName("edge").withNamespace("infra")
                .clientOnly().dryRun().set("mode", "git").set("git.repo", "ssh://git@git.example/net.git")
                .set("git.ssh.existingSecret", "k").call();

        assertThat(release.getOutput()).contains(
                "kubectl -n infra get pods -l app.kubernetes.io/instance=edge -o wide",
                "curl http://127.0.0.1:9090/status",
                "stackwire.jar status --listen 127.0.0.1:9090",
                "kubectl -n infra exec POD -- java -XX:MaxRAMPercentage=25 -jar /opt/stackwire/stackwire.jar plan"
                        + " --repo ssh://git@git.example/net.git"
                        + " --ref main --ssh-key /etc/stackwire/ssh/ssh-privatekey --ssh-known-hosts /etc/stackwire/ssh/known_hosts"
                        + " --host NODE",
                "POST /webhook answers 403");
    }
}
