package io.stackwire.controller.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a diagnostic's file is shown: relative to the working directory for a folder, inside the repository for Git. */
class SnapshotTest {

    @TempDir
    Path tmp;

    @Test
    void aFolderInsideTheWorkingDirectoryIsShownRelativeToIt() {
        Snapshot s = new Snapshot("local:" + tmp.resolve("work/examples/walk"), tmp.resolve("work/examples/walk"));
        assertThat(s.shownPath("custom.yaml", tmp.resolve("work"))).isEqualTo("examples/walk/custom.yaml");
        assertThat(s.shownPath(tmp.resolve("work/examples/walk").toString(), tmp.resolve("work"))).isEqualTo("examples/walk");
        assertThat(s.shownPath("custom.yaml", tmp.resolve("work/examples/walk/custom.yaml").getParent())).isEqualTo("custom.yaml");
        assertThat(s.shownPath(tmp.resolve("work").toString(), tmp.resolve("work"))).isEqualTo(".");
        assertThat(s.shownPath("", tmp)).isEmpty();
    }

    @Test
    void aFolderOutsideTheWorkingDirectoryIsShownAbsolute() {
        Snapshot s = new Snapshot("local:" + tmp.resolve("spec"), tmp.resolve("spec"));
        assertThat(s.shownPath("hosts/a.yaml", tmp.resolve("elsewhere"))).isEqualTo(tmp.resolve("spec/hosts/a.yaml").toString());
    }

    @Test
    void aCommitIsShownByThePathInsideTheRepository() {
        Path tree = tmp.resolve("trees/abc");
        Snapshot s = new Snapshot("abc", tree.resolve("ops/spec"), "msg", "ops/spec", null);
        assertThat(s.shownPath("web.yaml", tmp)).isEqualTo("ops/spec/web.yaml");
        assertThat(s.shownPath(tree.resolve("ops/spec").toString(), tmp)).isEqualTo("ops/spec");
        assertThat(new Snapshot("abc", tree).shownPath("web.yaml", tmp)).isEqualTo("web.yaml");
        assertThat(new Snapshot("abc", tree).shownPath(tree.toString(), tmp)).isEqualTo(".");
    }

    @Test
    void aSingleFileSpecIsShownByItsOwnPath() throws Exception {
        Path tree = tmp.resolve("trees/abc");
        Files.createDirectories(tree.resolve("spec"));
        Files.writeString(tree.resolve("spec/web.yaml"), "stack: web\n");
        assertThat(new Snapshot("abc", tree.resolve("spec/web.yaml"), "", "spec/web.yaml", null).shownPath("web.yaml", tmp))
                .isEqualTo("spec/web.yaml");
        Snapshot local = new Snapshot("local:x", tree.resolve("spec/web.yaml"));
        assertThat(local.shownPath("web.yaml", tree)).isEqualTo("spec/web.yaml");
    }
}
