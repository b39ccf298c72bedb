package io.edgeloop.training.snapshot;

import io.edgeloop.contracts.RunFailureReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectSnapshotTest {
  @TempDir Path project;
  @TempDir Path target;

  @Test
  void shouldHonourGitignoreAndEdgeloopignore() throws Exception {
    Files.writeString(project.resolve("train.py"), "print(1)\n");
    Files.createDirectories(project.resolve("src/pkg"));
    Files.writeString(project.resolve("src/pkg/model.py"), "x = 1\n");
    Files.writeString(project.resolve(".gitignore"), "# caches\n__pycache__/\n*.pyc\n/local.env\n");
    Files.writeString(project.resolve(".edgeloopignore"), "data/\n");
    Files.createDirectories(project.resolve("src/pkg/__pycache__"));
    Files.writeString(project.resolve("src/pkg/__pycache__/model.cpython.pyc"), "junk");
    Files.writeString(project.resolve("src/pkg/other.pyc"), "junk");
    Files.writeString(project.resolve("local.env"), "SECRET=1");
    Files.createDirectories(project.resolve("data"));
    Files.write(project.resolve("data/big.bin"), new byte[10_000]);
    Files.createDirectories(project.resolve("outputs"));
    Files.writeString(project.resolve("outputs/old.txt"), "stale");

    ProjectSnapshot snapshot = ProjectSnapshot.of(project, 5_000);
    snapshot.extractTo(target);

    assertThat(target.resolve("train.py")).exists();
    assertThat(target.resolve("src/pkg/model.py")).exists();
    assertThat(target.resolve(".gitignore")).exists();
    assertThat(target.resolve("src/pkg/__pycache__")).doesNotExist();
    assertThat(target.resolve("src/pkg/other.pyc")).doesNotExist();
    assertThat(target.resolve("local.env")).doesNotExist();
    assertThat(target.resolve("data")).doesNotExist();
    assertThat(target.resolve("outputs")).doesNotExist();
    assertThat(snapshot.files()).isEqualTo(4);
  }

  @Test
  void shouldHashContentNotTimestamps() throws Exception {
    Files.writeString(project.resolve("train.py"), "print(1)\n");
    String first = ProjectSnapshot.of(project, 1000).hash();
    Files.setLastModifiedTime(project.resolve("train.py"), java.nio.file.attribute.FileTime.fromMillis(12345));
    assertThat(ProjectSnapshot.of(project, 1000).hash()).isEqualTo(first);
    Files.writeString(project.resolve("train.py"), "print(2)\n");
    assertThat(ProjectSnapshot.of(project, 1000).hash()).isNotEqualTo(first);
    assertThat(ProjectSnapshot.ofArchive(ProjectSnapshot.of(project, 1000).zip(), 1000).hash())
        .isEqualTo(ProjectSnapshot.of(project, 1000).hash());
  }

  @Test
  void shouldRejectAnOversizedProject() throws Exception {
    Files.write(project.resolve("weights.bin"), new byte[2_000]);
    assertThatThrownBy(() -> ProjectSnapshot.of(project, 1_000))
        .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.reason()).isEqualTo(RunFailureReason.SNAPSHOT_TOO_LARGE));
  }

  @Test
  void shouldRejectArchiveEntriesThatLeaveTheWorkspace() throws Exception {
    for (String name : new String[] {"../evil.py", "a/../../evil.py", "/etc/evil"}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(1);
      }
      assertThatThrownBy(() -> ProjectSnapshot.ofArchive(bytes.toByteArray(), 1000))
          .as(name)
          .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.reason()).isEqualTo(RunFailureReason.UNSAFE_SNAPSHOT));
    }
  }

  @Test
  void shouldRejectAnArchiveThatInflatesBeyondTheLimit() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("zeros.bin"));
      zip.write(new byte[1_000_000]);
    }
    assertThat(bytes.size()).isLessThan(10_000);
    assertThatThrownBy(() -> ProjectSnapshot.ofArchive(bytes.toByteArray(), 100_000))
        .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.reason()).isEqualTo(RunFailureReason.SNAPSHOT_TOO_LARGE));
  }

  @Test
  void shouldRejectASymlinkPointingOutside(@TempDir Path outside) throws Exception {
    Files.writeString(outside.resolve("secret.txt"), "s3cret");
    Files.createSymbolicLink(project.resolve("link.txt"), outside.resolve("secret.txt"));
    assertThatThrownBy(() -> ProjectSnapshot.of(project, 1_000))
        .isInstanceOfSatisfying(SnapshotException.class, e -> assertThat(e.reason()).isEqualTo(RunFailureReason.UNSAFE_SNAPSHOT));
  }
}
