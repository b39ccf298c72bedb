package io.edgeloop.storage.dataset;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The one mapping between dataset column types and Parquet: every column optional (nullable);
 * int64 = INT64, float64 = DOUBLE, string = BINARY (UTF8), boolean = BOOLEAN, timestamp = INT64
 * TIMESTAMP(MICROS, UTC). pandas / pyarrow read these natively.
 */
public final class ParquetSchemas {

  public static MessageType toParquet(List<Column> columns) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (Column c : columns) {
      switch (c.type()) {
        case "int64" -> message.optional(PrimitiveTypeName.INT64).named(c.name());
        case "float64" -> message.optional(PrimitiveTypeName.DOUBLE).named(c.name());
        case "string" -> message.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(c.name());
        case "boolean" -> message.optional(PrimitiveTypeName.BOOLEAN).named(c.name());
        case "timestamp" -> message.optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named(c.name());
        default -> throw new IllegalArgumentException("unknown column type " + c.type());
      }
    }
    return message.named("edgeloop");
  }

  /** The dataset schema of a Parquet file, also of files other writers made (INT32 and FLOAT widen). */
  public static List<Column> fromParquet(MessageType schema) {
    List<Column> columns = new ArrayList<>();
    for (Type field : schema.getFields()) {
      if (!field.isPrimitive()) {
        throw new IllegalArgumentException("nested column '" + field.getName() + "' is not supported");
      }
      PrimitiveType p = field.asPrimitiveType();
      LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
      String type = switch (p.getPrimitiveTypeName()) {
        case INT64 -> logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ? "timestamp" : "int64";
        case INT32 -> "int64";
        case DOUBLE, FLOAT -> "float64";
        case BOOLEAN -> "boolean";
        case BINARY, FIXED_LEN_BYTE_ARRAY -> "string";
        default -> throw new IllegalArgumentException("column '" + field.getName() + "' has unsupported type " + p);
      };
      columns.add(new Column(field.getName(), type));
    }
    return columns;
  }

  private ParquetSchemas() {}
}
