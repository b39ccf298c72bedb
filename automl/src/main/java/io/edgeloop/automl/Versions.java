package io.edgeloop.automl;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Library versions from the Maven metadata inside their jars, for provenance. */
final class Versions {

  private Versions() {}

  static String of(String groupId, String artifactId) {
    String path = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = Versions.class.getResourceAsStream(path)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
