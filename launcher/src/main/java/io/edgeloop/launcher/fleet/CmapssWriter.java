package io.edgeloop.launcher.fleet;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Writes engines in NASA's C-MAPSS text format: whitespace-separated, no header, a trailing space
 * at each line end. Files are written beside the target and renamed into place, as a well-behaved
 * writer to a watched share does.
 */
public final class CmapssWriter {
  public static void write(List<FleetSimulator.Engine> engines, Path file) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".partial");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
      for (FleetSimulator.Engine engine : engines) {
        for (double[] row : engine.rows()) {
          out.write(line(row));
          out.write('\n');
        }
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** One row as NASA writes it: space-separated, with a trailing space (no newline). */
  public static String line(double[] row) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      if (i < 2) {
        line.append((long) row[i]);
      } else {
        line.append(String.format(Locale.ROOT, "%.4f", row[i]).replaceAll("0+$", "").replaceAll("\\.$", ".0"));
      }
      line.append(' ');
    }
    return line.toString();
  }

  private CmapssWriter() {}
}
