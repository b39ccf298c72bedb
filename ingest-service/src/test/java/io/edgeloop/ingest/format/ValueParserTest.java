package io.edgeloop.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ValueParserTest {

  @Test
  void shouldParsePlainDecimalsExactlyAsTheJdkDoes() {
    Random random = new Random(1);
    for (int i = 0; i < 200_000; i++) {
      String text = switch (i % 4) {
        case 0 -> Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12)));
        case 1 -> String.format(java.util.Locale.ROOT, "%." + random.nextInt(8) + "f", random.nextGaussian() * 1000);
        case 2 -> Long.toString(random.nextLong() % 1_000_000_000_000L);
        default -> "0.000" + random.nextInt(100000);
      };
      double expected = Double.parseDouble(text);
      assertThat(Double.doubleToRawLongBits(ValueParser.parseDouble(text))).as(text).isEqualTo(Double.doubleToRawLongBits(expected));
    }
    for (String text : new String[] {"-0", "-0.0", "+1.5", ".5", "1.", "9999999999999999", "1e300", "NaN", "-Infinity", "123456789012345.6"}) {
      assertThat(Double.doubleToRawLongBits(ValueParser.parseDouble(text))).as(text)
          .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
    }
  }
}
