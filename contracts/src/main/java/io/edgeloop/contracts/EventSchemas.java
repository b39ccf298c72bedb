package io.edgeloop.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The JSON Schemas shipped in this module, one per event type, loaded once. */
public final class EventSchemas {
  private final Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);

  public EventSchemas() {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    for (EventType type : EventType.values()) {
      try (InputStream in = EventSchemas.class.getResourceAsStream(type.schemaResource())) {
        if (in == null) {
          throw new IllegalStateException("schema missing from the classpath: " + type.schemaResource());
        }
        schemas.put(type, factory.getSchema(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Validation errors of {@code data} against the schema of {@code type}; empty when valid. */
  public List<String> validate(EventType type, JsonNode data) {
    return schemas.get(type).validate(data).stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
