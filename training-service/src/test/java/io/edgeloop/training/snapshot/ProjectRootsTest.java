package io.edgeloop.training.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgeloop.contracts.RunFailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectRootsTest {
  @TempDir Path dir;

  @Test
  void shouldAllowAProjectUnderARoot() throws Exception {
    Path project = Files.createDirectories(dir.resolve("projects/linear"));

    assertThat(new ProjectRoots(List.of(dir.resolve("projects"))).check(project.toString())).isEqualTo(project.toRealPath());
  }

  @Test
  void shouldRefuseFoldersOutsideEveryRoot() throws Exception {
    Files.createDirectories(dir.resolve("projects"));
    ProjectRoots roots = new ProjectRoots(List.of(dir.resolve("projects")));

    assertThat(reason(roots, "/etc")).isEqualTo(RunFailureReason.PROJECT_NOT_ALLOWED);
    assertThat(reason(roots, dir.resolve("projects/../..").toString())).isEqualTo(RunFailureReason.PROJECT_NOT_ALLOWED);
    assertThat(reason(roots, dir.resolve("projects-elsewhere").toString())).isEqualTo(RunFailureReason.PROJECT_NOT_ALLOWED);
    assertThat(reason(new ProjectRoots(List.of()), dir.resolve("projects").toString())).isEqualTo(RunFailureReason.PROJECT_NOT_ALLOWED);
  }

  @Test
  void shouldRefuseALinkInARootThatLeadsOutOfIt() throws Exception {
    Files.createDirectories(dir.resolve("projects"));
    Files.createSymbolicLink(dir.resolve("projects/etc"), Path.of("/etc"));

    assertThat(reason(new ProjectRoots(List.of(dir.resolve("projects"))), dir.resolve("projects/etc").toString()))
        .isEqualTo(RunFailureReason.PROJECT_NOT_ALLOWED);
  }

  @Test
  void shouldSayWhenAnAllowedProjectDoesNotExist() throws Exception {
    Files.createDirectories(dir.resolve("projects"));

    assertThat(reason(new ProjectRoots(List.of(dir.resolve("projects"))), dir.resolve("projects/missing").toString()))
        .isEqualTo(RunFailureReason.UNSAFE_SNAPSHOT);
  }

  private static RunFailureReason reason(ProjectRoots roots, String project) {
    return catchThrowableOfType(SnapshotException.class, () -> roots.check(project)).reason();
  }
}
