package io.edgeloop.imagetrust;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One replica of {@code SigningKeysTest}'s race in a JVM of its own: waits for the go file, then
 * loads or makes the pair and prints its key id (or the error, with exit code 1).
 */
public final class SigningKeysRacer {
  private SigningKeysRacer() {}

  public static void main(String[] args) throws Exception {
    Path go = Path.of(args[0]);
    while (!Files.exists(go)) {
      Thread.sleep(1);
    }
    try {
      System.out.println(SigningKeys.keyId(SigningKeys.loadOrCreate(Path.of(args[1]), Path.of(args[2])).getPublic()));
    } catch (Exception e) {
      System.out.println(e);
      System.exit(1);
    }
  }
}
