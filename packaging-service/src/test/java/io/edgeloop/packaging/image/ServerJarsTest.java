package io.edgeloop.packaging.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the model server's jars are found without a path relative to the working directory. */
class ServerJarsTest {
  @TempDir Path dir;

  @Test
  void shouldFindEveryListedJarOnThisTestsOwnClasspath() throws Exception {
    List<String> listed = ServerJars.listing();
    assertThat(listed).as("written by the build").contains("edgeloop-model-server-0.1.0-SNAPSHOT.jar", "onnxruntime-1.28.0.jar");

    List<Path> jars = ServerJars.find(null);

    assertThat(jars).hasSameSizeAs(listed).allSatisfy(p -> assertThat(p).isRegularFile());
    assertThat(jars.stream().map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(listed);
  }

  @Test
  void shouldTakeAnotherVersionOfAListedArtifactButNotAMissingOne() throws Exception {
    Path server = Files.createFile(dir.resolve("edgeloop-model-server-0.1.0-SNAPSHOT.jar"));
    Path jackson = Files.createFile(dir.resolve("jackson-core-2.99.0.jar"));
    String classPath = server + File.pathSeparator + jackson + File.pathSeparator + dir.resolve("classes");

    assertThat(ServerJars.onClasspath(List.of("edgeloop-model-server-0.1.0-SNAPSHOT.jar", "jackson-core-2.21.4.jar"), classPath))
        .hasValue(List.of(server, jackson));
    assertThat(ServerJars.onClasspath(List.of("edgeloop-model-server-0.1.0-SNAPSHOT.jar", "netty-common-4.1.135.Final.jar"),
        classPath)).isEmpty();
    assertThat(ServerJars.artifactOf("netty-transport-native-epoll-4.1.135.Final-linux-x86_64.jar"))
        .isEqualTo("netty-transport-native-epoll");
  }

  @Test
  void shouldSayWhereItLookedWhenAConfiguredFolderHasNoServer() {
    assertThatThrownBy(() -> ServerJars.find(dir))
        .hasMessageStartingWith(ServerLayers.NOT_FOUND + " " + dir)
        .hasMessageContaining("edgeloop.packaging.server-lib-dir");
  }
}
