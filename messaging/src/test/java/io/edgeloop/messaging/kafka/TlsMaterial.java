package io.edgeloop.messaging.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the JDK's own {@code keytool} (no hand-rolled X.509): a
 * test CA, a broker certificate for 127.0.0.1 / localhost signed by it, and one client certificate
 * per principal (CN = principal name) signed by it, each in a PKCS12 store; plus a truststore that
 * holds the CA.
 */
public final class TlsMaterial {
  public static final String PASSWORD = "changeit-test";
  private final Path dir;

  private TlsMaterial(Path dir) {
    this.dir = dir;
  }

  /** Makes the CA, the broker certificate and a client certificate for each of {@code clients}. */
  public static TlsMaterial create(Path dir, List<String> clients) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    TlsMaterial tls = new TlsMaterial(dir);
    tls.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=edgeloop-test-ca",
        "-ext", "bc:c", "-validity", "30", "-keystore", tls.path("ca.p12"));
    tls.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", tls.path("ca.p12"), "-file", tls.path("ca.pem"));
    tls.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", tls.path("ca.pem"), "-keystore", tls.path("truststore.p12"));
    tls.signed("broker", "CN=127.0.0.1", "san=ip:127.0.0.1,dns:localhost");
    for (String client : clients) {
      tls.signed(client, "CN=" + client, null);
    }
    return tls;
  }

  /** The PKCS12 keystore of {@code name} ({@code broker} or a client principal). */
  public Path keystore(String name) {
    return dir.resolve(name + ".p12");
  }

  /** The PKCS12 truststore holding the test CA. */
  public Path truststore() {
    return dir.resolve("truststore.p12");
  }

  private void signed(String name, String dname, String san) throws IOException, InterruptedException {
    String store = path(name + ".p12");
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-validity", "30",
        "-keystore", store);
    keytool("-certreq", "-alias", name, "-keystore", store, "-file", path(name + ".csr"));
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", path("ca.p12"), "-infile",
        path(name + ".csr"), "-outfile", path(name + ".crt"), "-rfc", "-validity", "30"));
    if (san != null) {
      gencert.addAll(List.of("-ext", san));
    }
    keytool(gencert.toArray(String[]::new));
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore", store);
    keytool("-importcert", "-alias", name, "-file", path(name + ".crt"), "-keystore", store);
  }

  private String path(String file) {
    return dir.resolve(file).toString();
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
    if (List.of(args).contains("-genkeypair")) {
      command.addAll(List.of("-keypass", PASSWORD));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
