package io.edgeloop.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The enums in the records and the enums in the schemas list the same wire values. */
class WireEnumsTest {

  static Stream<Arguments> enumFields() {
    return Stream.of(
        Arguments.of(EventType.DATA_REJECTED, "reasonCode", RejectionReason.class),
        Arguments.of(EventType.RUN_REQUESTED, "trigger", RunTrigger.class),
        Arguments.of(EventType.RUN_FAILED, "phase", RunPhase.class),
        Arguments.of(EventType.RUN_FAILED, "reason", RunFailureReason.class),
        Arguments.of(EventType.MODEL_PROMOTED, "change", AliasChange.class),
        Arguments.of(EventType.MODEL_PROMOTED, "cause", PromotionCause.class),
        Arguments.of(EventType.IMAGE_BUILD_FAILED, "reason", BuildFailureReason.class),
        Arguments.of(EventType.MODEL_DEPLOYED, "status", DeploymentOutcome.class),
        Arguments.of(EventType.MODEL_DEPLOYED, "targetKind", TargetKind.class));
  }

  @ParameterizedTest
  @MethodSource("enumFields")
  <E extends Enum<E> & WireValues.Wire> void shouldListTheSameValuesInSchemaAndRecord(EventType type, String field, Class<E> enumType)
      throws Exception {
    JsonNode schema;
    try (InputStream in = EventType.class.getResourceAsStream(type.schemaResource())) {
      schema = new ObjectMapper().readTree(in);
    }
    List<String> inSchema = new ArrayList<>();
    schema.path("properties").path(field).path("enum").forEach(v -> inSchema.add(v.asText()));

    assertThat(inSchema).containsExactlyElementsOf(Arrays.stream(enumType.getEnumConstants()).map(WireValues.Wire::wire).toList());
  }

  @Test
  void shouldTravelAsLowerCaseStringsAndReadBack() throws Exception {
    ObjectMapper json = EventCodec.objectMapper();

    assertThat(json.writeValueAsString(DeploymentOutcome.ROLLED_BACK)).isEqualTo("\"rolled_back\"");
    assertThat(json.writeValueAsString(TargetKind.IN_PROCESS)).isEqualTo("\"in-process\"");
    assertThat(json.readValue("\"in-process\"", TargetKind.class)).isEqualTo(TargetKind.IN_PROCESS);
    assertThat(json.readValue("\"line_too_long\"", RejectionReason.class)).isEqualTo(RejectionReason.LINE_TOO_LONG);
  }

  @Test
  void shouldNameTheKnownValuesWhenRefusingAString() {
    assertThatThrownBy(() -> WireValues.parse(RunTrigger.class, "cron"))
        .hasMessage("unknown RunTrigger 'cron'; known: data, manual, schedule, external");
  }
}
