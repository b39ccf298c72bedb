package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package is written before the registry numbers the model (its manifest says 3 here, 0 from
 * training): a server given the registry's version serves that version, on every endpoint that
 * names one, and no other.
 */
class ServedVersionTest {
  @TempDir Path dir;

  @Test
  void shouldServeTheConfiguredVersionInsteadOfTheManifests() throws Exception {
    Path pkg = ModelPackageMother.linear(dir.resolve("pkg"));
    try (ModelServer server = ModelServer.start(ModelServerConfig.of(pkg).withPort(0).withModelVersion("12"))) {
      OipClient client = new OipClient(server);

      assertThat(client.get("/v2/models/rul/versions/12/ready").status()).isEqualTo(200);
      assertThat(client.get("/v2/models/rul/versions/3/ready").status()).as("the manifest's version").isEqualTo(404);
      assertThat(client.get("/v2/models/rul").json().get("versions").toString()).isEqualTo("[\"12\"]");
      OipClient.Response inferred = client.post("/v2/models/rul/versions/12/infer",
          OipEndpointsTest.request("r", new long[] {1, 4}, new float[] {1f, 2f, 3f, 4f}));
      assertThat(inferred.status()).as(inferred.body()).isEqualTo(200);
      assertThat(inferred.json().get("model_version").asText()).isEqualTo("12");
      assertThat(client.post("/v2/models/rul/versions/3/infer",
          OipEndpointsTest.request("r", new long[] {1, 4}, new float[] {1f, 2f, 3f, 4f})).status()).isEqualTo(404);
    }
  }

  @Test
  void shouldServeTheManifestsVersionWhenNoneIsConfigured() throws Exception {
    Path pkg = ModelPackageMother.linear(dir.resolve("pkg"));
    try (ModelServer server = ModelServer.start(ModelServerConfig.of(pkg).withPort(0))) {
      OipClient client = new OipClient(server);
      assertThat(client.get("/v2/models/rul/versions/3/ready").status()).isEqualTo(200);
      assertThat(client.get("/v2/models/rul/versions/12/ready").status()).isEqualTo(404);
    }
  }
}
