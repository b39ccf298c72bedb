package io.edgeloop.training.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptEnvTest {
  @Test
  void shouldReadPlainValuesSecretsAndReferencesInMapAndListForm() {
    List<ScriptEnv.Entry> map = ScriptEnv.parse(Map.of("EPOCHS", 5, "DB_PASSWORD", Map.of("secretRef", "warehouse-password")));
    assertThat(map).containsExactlyInAnyOrder(
        new ScriptEnv.Entry("EPOCHS", "5", null, false, false), new ScriptEnv.Entry("DB_PASSWORD", null, "warehouse-password", true, false));

    List<ScriptEnv.Entry> list = ScriptEnv.parse(List.of(Map.of("name", "A", "value", "x"), Map.of("name", "B", "secret", true, "value", "s3cret")));
    assertThat(list).containsExactly(new ScriptEnv.Entry("A", "x", null, false, false), new ScriptEnv.Entry("B", "s3cret", null, true, false));
    assertThat(list.get(1).inlineSecret()).isTrue();
  }

  @Test
  void shouldTakeInlineSecretValuesOutOfTheSettings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("command", "python3 train.py");
    settings.put("env", List.of(Map.of("name", "A", "value", "x"), Map.of("name", "B", "secret", true, "value", "s3cret"),
        Map.of("name", "C", "secretRef", "ref")));

    ScriptEnv.Redacted redacted = ScriptEnv.redact(settings);

    assertThat(redacted.secrets()).containsExactly(Map.entry("B", "s3cret"));
    assertThat(redacted.settings().toString()).doesNotContain("s3cret");
    assertThat(redacted.settings().get("command")).isEqualTo("python3 train.py");
    assertThat(ScriptEnv.parse(redacted.settings().get("env"))).containsExactly(new ScriptEnv.Entry("A", "x", null, false, false),
        new ScriptEnv.Entry("B", null, null, true, true), new ScriptEnv.Entry("C", null, "ref", true, false));
    assertThat(ScriptEnv.redact(redacted.settings()).secrets()).as("redacting twice changes nothing").isEmpty();
  }

  @Test
  void shouldLeaveSettingsWithoutInlineSecretsAsTheyAre() {
    Map<String, Object> settings = Map.of("env", Map.of("A", "x"));
    assertThat(ScriptEnv.redact(settings).settings()).isSameAs(settings);
  }

  @Test
  void shouldRefuseMalformedEntriesWithAClearMessage() {
    assertThatThrownBy(() -> ScriptEnv.parse(Map.of("EDGELOOP_RUN_ID", "x"))).hasMessageContaining("reserved");
    assertThatThrownBy(() -> ScriptEnv.parse(Map.of("1BAD", "x"))).hasMessageContaining("not a variable name");
    assertThatThrownBy(() -> ScriptEnv.parse(Map.of("A", Map.of("value", "x")))).hasMessageContaining("secretRef");
    assertThatThrownBy(() -> ScriptEnv.parse(Map.of("A", Map.of("secret", true)))).hasMessageContaining("non-empty string value");
    assertThatThrownBy(() -> ScriptEnv.parse(Map.of("A", Map.of("secretRef", "r", "value", "x")))).hasMessageContaining("no value");
    assertThatThrownBy(() -> ScriptEnv.parse(List.of(Map.of("name", "A", "value", "1"), Map.of("name", "A", "value", "2"))))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> ScriptEnv.parse("A=1")).hasMessageContaining("must be a map");
  }
}
