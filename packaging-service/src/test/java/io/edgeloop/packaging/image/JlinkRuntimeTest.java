package io.edgeloop.packaging.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JlinkRuntimeTest {
  @TempDir Path dir;

  @Test
  void shouldRunJlinkAtTheLowestPriorityWhereNiceExists() throws Exception {
    Path nice = Files.createFile(dir.resolve("nice"));
    nice.toFile().setExecutable(true);
    List<String> command = JlinkRuntime.jlinkCommand(Path.of("/jdk/bin/jlink"), nice, Path.of("/jdk/jmods"), List.of("java.base", "java.logging"), dir.resolve("out"));
    assertThat(command.subList(0, 4)).containsExactly(nice.toString(), "-n", "19", "/jdk/bin/jlink");
    assertThat(command).contains("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "java.base,java.logging", "--compress=2");
  }

  @Test
  void shouldRunJlinkItselfWhereThereIsNoNice() {
    List<String> command = JlinkRuntime.jlinkCommand(Path.of("/jdk/bin/jlink"), dir.resolve("no-nice"), Path.of("/jdk/jmods"), List.of("java.base"), dir.resolve("out"));
    assertThat(command.get(0)).isEqualTo("/jdk/bin/jlink");
    assertThat(command).containsSequence("--output", dir.resolve("out").toString());
  }
}
