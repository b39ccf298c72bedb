package io.edgeloop.packaging.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JlinkRuntimeTest {
  @TempDir Path dir;

  @Test
  void shouldRunJlinkAtTheLowestPriorityWhereNiceExists() throws Exception {
    Path nice = Files.createFile(dir.resolve("nice"));
    nice.toFile().setExecutable(true);
    List<String> command = JlinkRuntime.jlinkCommand(Path.of("/jdk/bin/jlink"), nice, Path.of("/jdk/jmods"), 17, List.of("java.base", "java.logging"), dir.resolve("out"));
    assertThat(command.subList(0, 4)).containsExactly(nice.toString(), "-n", "19", "/jdk/bin/jlink");
    assertThat(command).contains("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "java.base,java.logging", "--compress=2");
  }

  @Test
  void shouldRunJlinkItselfWhereThereIsNoNice() {
    List<String> command = JlinkRuntime.jlinkCommand(Path.of("/jdk/bin/jlink"), dir.resolve("no-nice"), Path.of("/jdk/jmods"), 17, List.of("java.base"), dir.resolve("out"));
    assertThat(command.get(0)).isEqualTo("/jdk/bin/jlink");
    assertThat(command).containsSequence("--output", dir.resolve("out").toString());
  }

  @Test
  void shouldLinkFromTheRunTimeImageWithTheNewCompressionNamesWhenTheJdkHasNoJmods() {
    List<String> command = JlinkRuntime.jlinkCommand(Path.of("/jdk/bin/jlink"), dir.resolve("no-nice"), null, 25, List.of("java.base"), dir.resolve("out"));
    assertThat(command).doesNotContain("--module-path", "--compress=2").contains("--compress=zip-6");
  }

  /** A JDK 24+ without jmods (Temurin 25 here) makes the server's runtime from its own run-time image. */
  @Test
  void shouldMakeARuntimeWithAJdkThatShipsNoJmods() throws Exception {
    Path jdk = Path.of(System.getProperty("edgeloop.test.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    Assumptions.assumeTrue(Files.isDirectory(jdk) && !Files.isDirectory(jdk.resolve("jmods")),
        "no JDK without jmods at " + jdk + " (set -Dedgeloop.test.jdk25=...)");
    assertThat(JlinkRuntime.featureVersion(jdk)).isGreaterThanOrEqualTo(24);
    assertThat(JlinkRuntime.linksFromRunTimeImage(jdk)).isTrue();

    Path jre = new JlinkRuntime(jdk, List.of("java.base", "java.logging"), List.of(), dir.resolve("cache")).jre();

    Process version = new ProcessBuilder(jre.resolve("bin/java").toString(), "--list-modules").redirectErrorStream(true).start();
    String modules = new String(version.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(version.waitFor()).isZero();
    assertThat(modules).contains("java.base@", "java.logging@").doesNotContain("java.sql");
  }

  /**
   * The cache is shared by every stack on a machine (the user's cache folder): two processes that
   * need the runtime at once both get a whole one, and nothing partial stays behind.
   */
  @Test
  void shouldLetTwoLinkersShareOneCacheAtOnce() throws Exception {
    Path jdk = Path.of(System.getProperty("java.home"));
    Path cache = dir.resolve("shared");
    List<String> modules = List.of("java.base", "java.logging");
    var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> link(jdk, modules, cache));
    var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> link(jdk, modules, cache));

    Path one = first.get(3, java.util.concurrent.TimeUnit.MINUTES);
    Path other = second.get(3, java.util.concurrent.TimeUnit.MINUTES);

    assertThat(one).isEqualTo(other);
    assertThat(one.resolve("bin/java")).isExecutable();
    try (var left = Files.list(cache)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(one.getFileName().toString());
    }
  }

  private static Path link(Path jdk, List<String> modules, Path cache) {
    try {
      return new JlinkRuntime(jdk, modules, List.of(), cache).jre();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void shouldRemovePartialRuntimesOfProcessesThatAreGoneAndKeepTheLiveOnes() throws Exception {
    long dead = deadPid();
    Path abandoned = Files.createDirectories(dir.resolve(".partial-" + dead + "-abc/bin"));
    Path live = Files.createDirectories(dir.resolve(".partial-" + ProcessHandle.current().pid() + "-abc"));
    Path runtime = Files.createDirectories(dir.resolve("jre-abc"));

    JlinkRuntime.deleteAbandonedPartials(dir);

    assertThat(abandoned.getParent()).doesNotExist();
    assertThat(live).exists();
    assertThat(runtime).exists();
  }

  /** The pid of a process that has ended. */
  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  @Test
  void shouldRefuseAJdkWithNoJmodsThatCannotLinkFromItsImageWithAClearReason() {
    Path notAJdk = dir.resolve("jre-only");
    assertThatThrownBy(() -> new JlinkRuntime(notAJdk, List.of("java.base"), List.of(), dir.resolve("cache")).jre())
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("no jmods in " + notAJdk).hasMessageContaining("edgeloop.packaging.jdk-home");
  }
}
