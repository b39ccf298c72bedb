package io.edgeloop.launcher.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
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

  /**
   * Wear must say how many cycles are left whatever the engine's life (as on C-MAPSS), or a model
   * cannot learn RUL from more engines: the shortest and the longest lives of a fleet have worn
   * alike by 40 cycles before failure, and a long life shows (almost) no wear 200 cycles before it.
   * (With wear tied to the share of life flown, the short lives had worn 0.5-0.65 times as much as
   * the long ones at 40 cycles to go, and the long ones showed 11-14 % of their final wear at 200.)
   */
  @Test
  void shouldWearByCyclesToFailureWhateverTheLife() {
    FleetSimulator fleet = new FleetSimulator(3);
    List<FleetSimulator.Engine> engines = IntStream.rangeClosed(1, 200).mapToObj(fleet::engine)
        .sorted(Comparator.comparingInt(FleetSimulator.Engine::failureCycle)).toList();
    List<FleetSimulator.Engine> shortest = engines.subList(0, 40);
    List<FleetSimulator.Engine> longest = engines.subList(engines.size() - 40, engines.size());
    double shortRise = meanRise(shortest, 40);
    double longRise = meanRise(longest, 40);
    assertThat(shortRise / longRise).isBetween(0.75, 1.25);
    assertThat(meanRise(longest, 200)).isLessThan(0.08 * meanRise(longest, 0));
  }

  /** Mean rise of sensor_4 (it follows wear) over the engines' first 10 cycles, 5 cycles either side of {@code cyclesLeft}. */
  private static double meanRise(List<FleetSimulator.Engine> engines, int cyclesLeft) {
    return engines.stream().mapToDouble(e -> {
      List<double[]> rows = e.rows();
      int at = Math.min(rows.size() - 5, Math.max(15, rows.size() - cyclesLeft));
      return mean(rows.subList(at - 5, at + 5), 5 + 3) - mean(rows.subList(0, 10), 5 + 3);
    }).average().orElseThrow();
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
