package io.edgeloop.ingest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** C-MAPSS-shaped text: 26 blank-separated fields (unit, cycle, 3 settings, 21 sensors) and the trailing blanks of the real files. */
public final class CmapssMother {

  public static List<String> lines(int unit, int cycles, long seed) {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int cycle = 1; cycle <= cycles; cycle++) {
      StringBuilder line = new StringBuilder().append(unit).append(' ').append(cycle);
      for (int i = 0; i < 24; i++) {
        line.append(' ').append(String.format(Locale.ROOT, "%.4f", 100 * random.nextDouble() - (i < 3 ? 50 : 0)));
      }
      lines.add(line.append("  ").toString());
    }
    return lines;
  }

  public static String text(int unit, int cycles, long seed) {
    return String.join("\n", lines(unit, cycles, seed)) + "\n";
  }

  /**
   * {@code units} x {@code cycles} lines, quickly (for inputs of tens of MB): one unit's lines are
   * generated and repeated with the unit number changed.
   */
  public static String repeated(int units, int cycles, long seed) {
    List<String> one = lines(1, cycles, seed);
    StringBuilder text = new StringBuilder(units * cycles * 180);
    for (int unit = 1; unit <= units; unit++) {
      for (String line : one) {
        text.append(unit).append(line, 1, line.length()).append('\n');
      }
    }
    return text.toString();
  }

  /**
   * Writes C-MAPSS-shaped text of at least {@code targetBytes} to {@code file} without holding it in
   * memory (for inputs of gigabytes): one unit of {@code cycles} lines, repeated with the unit
   * number counting up. Returns the number of lines written; line {@code n} (from 1) is unit
   * {@code (n - 1) / cycles + 1}, cycle {@code (n - 1) % cycles + 1}.
   */
  public static long write(Path file, long targetBytes, int cycles, long seed) throws IOException {
    List<byte[]> tails = lines(1, cycles, seed).stream().map(l -> l.substring(1).concat("\n").getBytes(StandardCharsets.US_ASCII)).toList();
    long written = 0;
    long lines = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      for (int unit = 1; written < targetBytes; unit++) {
        byte[] number = Integer.toString(unit).getBytes(StandardCharsets.US_ASCII);
        for (byte[] tail : tails) {
          out.write(number);
          out.write(tail);
          written += number.length + tail.length;
        }
        lines += cycles;
      }
    }
    return lines;
  }

  /** The fields of a line as the dataset should hold them: two longs, then 24 doubles. */
  public static Object[] expectedRow(String line) {
    String[] fields = line.trim().split("\\s+");
    Object[] row = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      row[i] = i < 2 ? (Object) Long.parseLong(fields[i]) : (Object) Double.parseDouble(fields[i]);
    }
    return row;
  }

  private CmapssMother() {}
}
