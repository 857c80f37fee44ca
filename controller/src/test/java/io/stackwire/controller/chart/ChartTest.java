package io.stackwire.controller.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        assertThat(at(c, "securityContext", "runAsUser")).isEqualTo(0);
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
                .set("securityContext.runAsUser", "10001")
                .set("podSecurityContext.supplementalGroups[0]", "998"));

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
        assertThat(list(at(pod(objects), "securityContext", "supplementalGroups"))).containsExactly(998);
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
        Map<String, Map<String, Object>> objects = render(t -> t.set("git.repo", "file:///srv/net.git").set("hostOverride", "edge-7"));

        Map<String, Object> hostEnv = named(list(container(objects).get("env")), "STACKWIRE_HOST");
        assertThat(hostEnv.get("value")).isEqualTo("edge-7");
        assertThat(hostEnv).doesNotContainKey("valueFrom");
    }

    @Test
    void noServiceOrMonitorWhenBothAreOff() {
        Map<String, Map<String, Object>> objects = render(t -> t.set("metrics.service.enabled", "false"));

        assertThat(objects.keySet()).containsExactly("DaemonSet");
    }
}
