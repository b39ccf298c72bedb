package io.edgeloop.launcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetSimulatorTest {
  @TempDir Path dir;

  @Test
  void shouldBeReproducibleForTheSameSeedAndDifferForAnother() {
    FleetSimulator.Engine a = new FleetSimulator(7).engine(3);
    FleetSimulator.Engine b = new FleetSimulator(7).engine(3);
    FleetSimulator.Engine c = new FleetSimulator(8).engine(3);
    assertThat(a.failureCycle()).isEqualTo(b.failureCycle());
    assertThat(a.rows().get(10)).containsExactly(b.rows().get(10));
    assertThat(c.rows().get(10)).isNotEqualTo(a.rows().get(10));
  }

  @Test
  void shouldDegradeInformativeSensorsTowardFailure() {
    FleetSimulator.Engine engine = new FleetSimulator(1).engine(1);
    double early = mean(engine.rows().subList(0, 20), 5 + 3); // sensor_4 rises with wear
    double late = mean(engine.rows().subList(engine.rows().size() - 20, engine.rows().size()), 5 + 3);
    assertThat(late - early).isGreaterThan(10);
    double constantEarly = mean(engine.rows().subList(0, 20), 5); // sensor_1 carries no signal
    double constantLate = mean(engine.rows().subList(engine.rows().size() - 20, engine.rows().size()), 5);
    assertThat(constantLate).isEqualTo(constantEarly);
  }

  @Test
  void shouldWriteCmapssFormatWith26FieldsAndTrailingSpaces() throws Exception {
    FleetSimulator fleet = new FleetSimulator(1);
    Path file = dir.resolve("train_SIM.txt");
    CmapssWriter.write(List.of(fleet.engine(1), fleet.engine(2).truncated(30)), file);

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(fleet.engine(1).failureCycle() + 30);
    assertThat(lines).allSatisfy(line -> {
      assertThat(line).endsWith(" ");
      assertThat(line.trim().split("\\s+")).hasSize(26);
    });
    assertThat(lines.get(0)).startsWith("1 1 ");
    assertThat(fleet.engine(2).truncated(30).remainingUsefulLife()).isEqualTo(fleet.engine(2).failureCycle() - 30);
  }

  private static double mean(List<double[]> rows, int column) {
    return rows.stream().mapToDouble(r -> r[column]).average().orElseThrow();
  }
}
