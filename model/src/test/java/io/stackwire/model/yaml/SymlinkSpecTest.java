package io.stackwire.model.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwire.model.Diagnostic;
import io.stackwire.model.StackSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links in the spec folder: followed while they stay inside it (a Kubernetes ConfigMap
 * volume is made of them), refused with an error when they leave it, lead nowhere or loop.
 */
class SymlinkSpecTest {

    @TempDir
    Path tmp;

    private static final String NET = "stack: net\nnetworks:\n  edge: {}\n";

    private static List<String> lines(LoadResult r) {
        return r.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    private static Path write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    /**
     * The layout kubelet writes for a ConfigMap volume: the keys in a timestamped hidden folder,
     * {@code ..data} linked to it, and one link per key through {@code ..data}.
     */
    static Path kubeletConfigMap(Path root, String stamp, String... nameAndText) throws IOException {
        Path data = root.resolve(stamp);
        Files.createDirectories(data);
        for (int i = 0; i < nameAndText.length; i += 2) {
            write(data.resolve(nameAndText[i]), nameAndText[i + 1]);
        }
        // kubelet swaps ..data atomically: a new link, renamed over the old one.
        Path tmpLink = Files.createSymbolicLink(root.resolve("..data_tmp"), Path.of(stamp));
        Files.move(tmpLink, root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (int i = 0; i < nameAndText.length; i += 2) {
            String top = nameAndText[i].split("/")[0];
            if (!Files.isSymbolicLink(root.resolve(top))) {
                Files.createSymbolicLink(root.resolve(top), Path.of("..data", top));
            }
        }
        return root;
    }

    @Test
    void aConfigMapVolumeLoadsItsStackFilesAndPolicyOnceThroughTheLinks() throws IOException {
        Path root = kubeletConfigMap(tmp.resolve("spec"), "..2026_12_02_10_00_00.123",
                "net.yaml", NET, "stackwire.yaml", "owner: cluster/edge\n");

        LoadResult r = SpecLoader.load(root, "node-1");

        assertThat(lines(r)).isEmpty();
        assertThat(r.state().stacks()).extracting(StackSpec::file).containsExactly("net.yaml");
        assertThat(r.state().networks()).containsOnlyKeys("edge");
        assertThat(r.state().owner()).isEqualTo("cluster/edge");
        assertThat(r.skipped()).isEmpty(); // ..data and ..2026_... are neither read nor listed
    }

    @Test
    void anUpdatedConfigMapIsReadAfterKubeletSwapsDataOver() throws IOException {
        Path root = kubeletConfigMap(tmp.resolve("spec"), "..2026_12_02_10_00_00.123", "net.yaml", NET);
        assertThat(SpecLoader.load(root, "h").state().networks()).containsOnlyKeys("edge");

        kubeletConfigMap(root, "..2026_12_02_10_05_00.456", "net.yaml", "stack: net\nnetworks:\n  core: {}\n");

        LoadResult r = SpecLoader.load(root, "h");
        assertThat(lines(r)).isEmpty();
        assertThat(r.state().networks()).containsOnlyKeys("core");
    }

    @Test
    void hostOverlaysMountedAsALinkedFolderAreFollowed() throws IOException {
        // A ConfigMap item with path hosts/node-1.yaml: kubelet links the folder hosts -> ..data/hosts.
        Path root = kubeletConfigMap(tmp.resolve("spec"), "..2026_12_02_10_00_00.123",
                "net.yaml", NET, "db.yaml", "stack: db\nnetworks:\n  store: {}\n",
                "hosts/node-1.yaml", "stacks: [db]\n");

        LoadResult r = SpecLoader.load(root, "node-1");

        assertThat(lines(r)).isEmpty();
        assertThat(Files.isSymbolicLink(root.resolve("hosts"))).isTrue();
        assertThat(SpecLoader.hosts(root)).containsExactly("node-1");
        assertThat(r.state().networks()).containsOnlyKeys("store");
    }

    @Test
    void aLinkToAFileOutsideTheSpecFolderIsAnErrorAndTheFileIsNotRead() throws IOException {
        Path root = tmp.resolve("spec");
        write(root.resolve("net.yaml"), NET);
        Path outside = write(tmp.resolve("elsewhere/secret.yaml"), "stack: secret\nnetworks:\n  leaked: {}\n");
        Files.createSymbolicLink(root.resolve("abs.yaml"), outside);
        Files.createSymbolicLink(root.resolve("rel.yaml"), Path.of("../elsewhere/secret.yaml"));

        LoadResult r = SpecLoader.load(root, "h");

        String hint = " (copy what it points to into the spec folder, or point the link at a path inside it;"
                + " stackwire reads nothing outside the spec folder)";
        assertThat(lines(r)).containsExactly(
                "abs.yaml: error: symbolic link points outside the spec folder (" + outside + ")" + hint,
                "rel.yaml: error: symbolic link points outside the spec folder (../elsewhere/secret.yaml)" + hint);
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsOnly("bad-symlink");
        assertThat(r.state()).isNull();
        assertThat(lines(r)).noneMatch(l -> l.contains("leaked"));
    }

    @Test
    void aLinkToAFolderOutsideTheSpecFolderIsAnError() throws IOException {
        Path root = tmp.resolve("spec");
        write(root.resolve("net.yaml"), NET);
        write(tmp.resolve("other/more.yaml"), "stack: more\nnetworks:\n  m: {}\n");
        Files.createSymbolicLink(root.resolve("more"), Path.of("../other"));

        LoadResult r = SpecLoader.load(root, "h");

        assertThat(lines(r)).singleElement().asString()
                .startsWith("more: error: symbolic link points outside the spec folder (../other)");
    }

    @Test
    void theSizeLimitAppliesToALinksTarget() throws IOException {
        Path root = tmp.resolve("spec");
        write(root.resolve("net.yaml"), NET);
        write(root.resolve("data/big.yaml"), "stack: big\n# " + "x".repeat(YamlFile.MAX_BYTES) + "\n");
        Files.createSymbolicLink(root.resolve("big.yaml"), Path.of("data/big.yaml"));
        Files.writeString(root.resolve("stackwire.yaml"), "exclude: [\"data/**\"]\n");

        LoadResult r = SpecLoader.load(root, "h");

        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly("file-too-large");
        assertThat(r.diagnostics().get(0).source().file()).isEqualTo("big.yaml");
    }

    @Test
    void aLinkThatLoopsOrLeadsNowhereIsAnError() throws IOException {
        Path root = tmp.resolve("spec");
        write(root.resolve("net.yaml"), NET);
        Files.createSymbolicLink(root.resolve("again"), Path.of("."));
        Files.createSymbolicLink(root.resolve("gone.yaml"), Path.of("missing.yaml"));

        LoadResult r = SpecLoader.load(root, "h");

        assertThat(lines(r)).containsExactly(
                "again: error: symbolic link loops back to a folder that contains it (.) (point it elsewhere inside the spec"
                        + " folder, or delete it)",
                "gone.yaml: error: symbolic link points to nothing (missing.yaml) (point it at a file inside the spec folder,"
                        + " or delete it)");
    }

    @Test
    void aSpecRootThatIsItselfALinkIsFollowed() throws IOException {
        Path real = write(tmp.resolve("real/net.yaml"), NET).getParent();
        Path link = Files.createSymbolicLink(tmp.resolve("current"), real);

        LoadResult r = SpecLoader.load(link, "h");

        assertThat(lines(r)).isEmpty();
        assertThat(r.state().stacks()).extracting(StackSpec::file).containsExactly("net.yaml");
    }
}
