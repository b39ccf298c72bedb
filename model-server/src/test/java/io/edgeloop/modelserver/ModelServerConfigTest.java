package io.edgeloop.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelServerConfigTest {

  @Test
  void shouldUseDefaultsForWhatIsNotSet() {
    ModelServerConfig c = ModelServerConfig.resolve(new String[0], Map.of("EDGELOOP_MODEL_DIR", "/models/rul"));
    assertThat(c.modelDir()).isEqualTo(Path.of("/models/rul"));
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.maxBodyBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(c.intraOpThreads()).isEqualTo(1);
    assertThat(c.threads()).isGreaterThanOrEqualTo(2);
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.maxBatchRows()).isEqualTo(256);
    assertThat(c.modelVersion()).as("the manifest's").isNull();
  }

  @Test
  void shouldLetArgumentsOverrideTheEnvironment() {
    ModelServerConfig c = ModelServerConfig.resolve(
        new String[] {"--port=9001", "--model-dir=/b", "--threads=3", "--drain-seconds=2", "--max-batch-rows=8",
            "--model-version=7"},
        Map.of("EDGELOOP_MODEL_DIR", "/a", "EDGELOOP_PORT", "9000", "EDGELOOP_HOST", "0.0.0.0",
            "EDGELOOP_MAX_BODY_BYTES", "1000", "EDGELOOP_INTRA_OP_THREADS", "4", "EDGELOOP_MAX_BATCH_ROWS", "16",
            "EDGELOOP_MODEL_VERSION", "6"));
    assertThat(c).isEqualTo(new ModelServerConfig(Path.of("/b"), "0.0.0.0", 9001, 1000, 3, 4, 8, Duration.ofSeconds(2), "7", ModelServerAuth.NONE));
    assertThat(ModelServerConfig.resolve(new String[0], Map.of("EDGELOOP_MODEL_DIR", "/a", "EDGELOOP_MODEL_VERSION", "12"))
        .modelVersion()).isEqualTo("12");
  }

  @Test
  void shouldRejectUnknownOrMalformedOptions() {
    assertThatThrownBy(() -> ModelServerConfig.resolve(new String[] {"--prot=1"}, Map.of("EDGELOOP_MODEL_DIR", "/a")))
        .hasMessageContaining("unknown argument '--prot=1'").hasMessageContaining("--port=..");
    assertThatThrownBy(() -> ModelServerConfig.resolve(new String[] {"--port=x"}, Map.of("EDGELOOP_MODEL_DIR", "/a")))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> ModelServerConfig.resolve(new String[] {"--port=70000"}, Map.of("EDGELOOP_MODEL_DIR", "/a")))
        .hasMessageContaining("port must be 0..65535");
    assertThatThrownBy(() -> ModelServerConfig.resolve(new String[] {"--model-version=1/../2"}, Map.of("EDGELOOP_MODEL_DIR", "/a")))
        .hasMessageContaining("modelVersion must be");
    assertThatThrownBy(() -> ModelServerConfig.resolve(new String[0], Map.of()))
        .hasMessageContaining("EDGELOOP_MODEL_DIR");
  }
}
