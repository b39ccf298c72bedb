package io.edgeloop.deploy.iotedge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test double of the parts of IoT Hub's REST API an iotedge rollout uses, answering with recorded
 * JSON: no IoT Hub can run here. It stands where the hub would, so the real Azure IoT service SDK
 * talks to it unchanged: the SDK reaches {@value #HOST}:443 through an HTTP proxy (the target's
 * {@code http-proxy} setting), the proxy here tunnels to a local HTTPS server with a certificate for
 * that name, and the SDK's HTTPS connections trust that certificate while {@link #install()} holds.
 *
 * <p>Configurations ({@code PUT / GET / DELETE /configurations/{id}}, {@code GET /configurations})
 * are kept as sent; a configuration read back carries the system and custom metric results of the
 * current {@link #scenario(String)}; the twin query ({@code POST /devices/query}) answers the
 * scenario's recorded {@code $edgeAgent} module twins for every configuration that exists. The
 * recordings, under {@code src/test/resources/iothub/}, follow the shapes the IoT Hub REST reference
 * and the IoT Edge documentation give for configurations and edgeAgent's reported properties.
 * Every request is kept in {@link #requests()}.
 */
final class RecordedIotHub implements AutoCloseable {
  static final String HOST = "edgeloop-test.azure-devices.net";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SSLContext[] tls;
  private final HttpsServer server;
  private final ServerSocket proxy;
  private final SSLContext clientContext;
  private final Map<String, ObjectNode> configurations = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile String scenario = "waiting";
  private SSLSocketFactory previous;

  RecordedIotHub() throws Exception {
    SSLContext[] contexts = contexts();
    SSLContext serverContext = contexts[0];
    clientContext = contexts[1];
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext("/", this::handle);
    server.start();
    proxy = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptTunnels, "hub-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The server's and the client's TLS contexts, made once per JVM (generating a key pair takes seconds here). */
  private static synchronized SSLContext[] contexts() throws Exception {
    if (tls == null) {
      char[] password = "changeit".toCharArray();
      Path keystore = Files.createTempDirectory("recorded-iot-hub").resolve("hub.p12");
      Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
          "-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
          "-dname", "CN=" + HOST, "-ext", "san=dns:" + HOST, "-storetype", "PKCS12",
          "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
          .redirectErrorStream(true).start();
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (keytool.waitFor() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        keys.load(in, password);
      }
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, password);
      SSLContext server = SSLContext.getInstance("TLS");
      server.init(keyManagers.getKeyManagers(), null, null);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(keys);
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, trust.getTrustManagers(), null);
      tls = new SSLContext[] {server, client};
    }
    return tls;
  }

  /** The {@code http-proxy} setting that leads the SDK here. */
  String proxy() {
    return "127.0.0.1:" + proxy.getLocalPort();
  }

  static String connectionString() {
    String key = java.util.Base64.getEncoder().encodeToString("not-a-real-key-not-a-real-key!!".getBytes(StandardCharsets.UTF_8));
    return "HostName=" + HOST + ";SharedAccessKeyName=iothubowner;SharedAccessKey=" + key;
  }

  /** Makes HTTPS connections trust this hub's certificate (the SDK uses the default socket factory) until {@link #close()}. */
  RecordedIotHub install() {
    previous = HttpsURLConnection.getDefaultSSLSocketFactory();
    HttpsURLConnection.setDefaultSSLSocketFactory(clientContext.getSocketFactory());
    return this;
  }

  /** Which recording answers from now on: {@code waiting}, {@code running} or {@code failed}. */
  void scenario(String name) {
    this.scenario = name;
  }

  /** A configuration that exists before the test (an earlier edgeloop layer, say). */
  void existing(String id, Map<String, String> labels) {
    ObjectNode configuration = JSON.createObjectNode().put("id", id).put("schemaVersion", "1.0")
        .put("createdTimeUtc", Instant.now().minusSeconds(3600).toString()).put("etag", "MQ==").put("priority", 10);
    configuration.set("labels", JSON.valueToTree(labels));
    configurations.put(id, configuration);
  }

  Map<String, ObjectNode> configurations() {
    return configurations;
  }

  List<String> requests() {
    return requests;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath().replaceAll("/+$", "");
    byte[] body = exchange.getRequestBody().readAllBytes();
    requests.add(method + " " + path);
    try {
      if (path.equals("/configurations") && method.equals("GET")) {
        ArrayNode all = JSON.createArrayNode();
        configurations.values().forEach(c -> all.add(withResults(c)));
        respond(exchange, 200, all);
      } else if (path.startsWith("/configurations/")) {
        String id = path.substring("/configurations/".length());
        switch (method) {
          case "PUT" -> {
            ObjectNode configuration = (ObjectNode) JSON.readTree(body);
            configuration.put("createdTimeUtc", Instant.now().toString()).put("etag", "Mg==");
            configurations.put(id, configuration);
            respond(exchange, 200, configuration);
          }
          case "GET" -> {
            ObjectNode configuration = configurations.get(id);
            if (configuration == null) {
              notFound(exchange, id);
            } else {
              respond(exchange, 200, withResults(configuration));
            }
          }
          case "DELETE" -> {
            if (configurations.remove(id) == null) {
              notFound(exchange, id);
            } else {
              exchange.sendResponseHeaders(204, -1);
            }
          }
          default -> respond(exchange, 405, JSON.createObjectNode().put("Message", "method " + method));
        }
      } else if (path.equals("/devices/query") && method.equals("POST")) {
        respond(exchange, 200, twins());
      } else {
        respond(exchange, 404, JSON.createObjectNode().put("Message", "ErrorCode:NotFound;no route " + path));
      }
    } finally {
      exchange.close();
    }
  }

  /** The stored configuration with the metric results of the scenario (the hub computes them; here they are recorded). */
  private JsonNode withResults(ObjectNode configuration) {
    ObjectNode shown = configuration.deepCopy();
    JsonNode recorded = recording("layer-metrics-" + scenario + ".json", Map.of());
    ObjectNode system = shown.has("systemMetrics") ? (ObjectNode) shown.get("systemMetrics") : shown.putObject("systemMetrics");
    system.set("results", recorded.path("systemMetrics").path("results"));
    ObjectNode custom = shown.has("metrics") ? (ObjectNode) shown.get("metrics") : shown.putObject("metrics");
    custom.set("results", recorded.path("metrics").path("results"));
    return shown;
  }

  /** The $edgeAgent module twins of the devices an edgeloop layer is applied to. */
  private JsonNode twins() {
    ArrayNode twins = JSON.createArrayNode();
    for (ObjectNode configuration : configurations.values()) {
      JsonNode module = configuration.path("content").path("modulesContent").path("$edgeAgent");
      for (var it = module.fields(); it.hasNext(); ) {
        var entry = it.next();
        if (entry.getKey().startsWith(EdgeManifest.MODULE_PATH)) {
          twins.addAll((ArrayNode) recording("edgeagent-twins-" + scenario + ".json", Map.of(
              "{{configurationId}}", configuration.path("id").asText(),
              "{{module}}", entry.getKey().substring(EdgeManifest.MODULE_PATH.length()),
              "{{image}}", entry.getValue().path("settings").path("image").asText())));
        }
      }
    }
    return twins;
  }

  private static JsonNode recording(String name, Map<String, String> values) {
    try (InputStream in = RecordedIotHub.class.getResourceAsStream("/iothub/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no recording /iothub/" + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> value : values.entrySet()) {
        text = text.replace(value.getKey(), value.getValue());
      }
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void notFound(HttpExchange exchange, String id) throws IOException {
    respond(exchange, 404, JSON.createObjectNode()
        .put("Message", "ErrorCode:ConfigurationNotFound;Configuration with id '" + id + "' was not found.")
        .put("ExceptionMessage", ""));
  }

  private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The HTTP proxy: {@code CONNECT edgeloop-test.azure-devices.net:443} becomes a tunnel to the HTTPS server. */
  private void acceptTunnels() {
    while (!proxy.isClosed()) {
      try {
        Socket client = proxy.accept();
        Thread tunnel = new Thread(() -> tunnel(client), "hub-tunnel");
        tunnel.setDaemon(true);
        tunnel.start();
      } catch (IOException e) {
        // closed
      }
    }
  }

  private void tunnel(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1);
      String connect = reader.readLine();
      for (String header = reader.readLine(); header != null && !header.isEmpty(); header = reader.readLine()) {
        // the request's headers end at the empty line
      }
      requests.add(connect);
      if (connect == null || !connect.startsWith("CONNECT " + HOST + ":443 ")) {
        client.getOutputStream().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return;
      }
      try (Socket hub = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
        client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        Thread up = new Thread(() -> pump(in, hub), "hub-tunnel-up");
        up.setDaemon(true);
        up.start();
        pump(hub.getInputStream(), client);
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void pump(InputStream from, Socket to) {
    try {
      from.transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // either side closed
    }
  }

  @Override
  public void close() throws IOException {
    if (previous != null) {
      HttpsURLConnection.setDefaultSSLSocketFactory(previous);
    }
    proxy.close();
    server.stop(0);
  }
}
