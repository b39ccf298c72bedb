package io.edgeloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeloop.security.test.OversizedUpload;
import io.edgeloop.security.test.TestTokens;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Bodies are bounded before the application reads them: declared or chunked, JSON or upload. */
class RequestBodyLimitIT extends TestAppSupport {
  static final long MIB = 1024 * 1024;

  @Test
  void shouldRefuseADeclaredBodyOverTheLimitFromItsHeaders() {
    String json = "{\"text\":\"" + "a".repeat((int) (2 * MIB)) + "\"}";
    HttpResponse<String> response = client.post("/api/things", TestTokens.issue(context, Role.SCIENTIST), json);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(response.body()).contains("exceeds the limit of 1048576 bytes (edgeloop.security.max-body-bytes)");
  }

  @Test
  void shouldRefuseAStreamedFiftyMegabyteBodyWithoutTakingItIn() throws Exception {
    long body = 50 * MIB;
    OversizedUpload.Outcome outcome = OversizedUpload.send(port, "POST", "/api/things", "application/json",
        TestTokens.issue(context, Role.SCIENTIST), "{\"text\":\"", body);
    System.out.printf("50 MiB streamed body: %d bytes sent before the 413, %d bytes allocated by the JVM meanwhile%n",
        outcome.sentBytes(), outcome.allocatedBytes());
    assertThat(outcome.status()).as(outcome.response()).isEqualTo(413);
    assertThat(outcome.response()).contains("edgeloop.security.max-body-bytes");
    // What every thread of this JVM (the service's included) allocated while the 50 MB went out: far
    // below the body's size. Reading the body would cost at least its size (2.5 GB was measured for a run request).
    assertThat(outcome.allocatedBytes()).isLessThan(body / 5);
  }

  @Test
  void shouldPassAChunkedBodyUnderTheLimitOnWhole() {
    int length = 300_000;
    String json = "{\"text\":\"" + "a".repeat(length) + "\"}";
    // A publisher of unknown length makes the JDK client send the body chunked.
    HttpRequest.Builder request = client.request("/api/things", TestTokens.issue(context, Role.SCIENTIST))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(json)));
    HttpResponse<String> response = client.send(request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"length\":" + length + "}");
  }

  @Test
  void shouldApplyAnEndpointsOwnLimitInPlaceOfTheDefault() throws Exception {
    String scientist = TestTokens.issue(context, Role.SCIENTIST);
    HttpResponse<String> twoMib = client.send(client.request("/api/uploads", scientist)
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) (2 * MIB)])));
    assertThat(twoMib.statusCode()).as(twoMib.body()).isEqualTo(200);
    assertThat(twoMib.body()).isEqualTo("{\"bytes\":" + 2 * MIB + "}");
    HttpResponse<String> fourMib = client.send(client.request("/api/uploads", scientist)
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) (4 * MIB)])));
    assertThat(fourMib.statusCode()).isEqualTo(413);
    assertThat(fourMib.body()).contains("limit of " + SecurityTestApp.UPLOAD_LIMIT + " bytes (test.max-upload-bytes)");
    OversizedUpload.Outcome streamed = OversizedUpload.send(port, "POST", "/api/uploads", "application/octet-stream", scientist, "", 8 * MIB);
    assertThat(streamed.status()).isEqualTo(413);
  }
}
