package io.edgeloop.packaging.builds;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service's own state: one record per model version, kept in memory and written to a JSON file
 * (atomically, on every change) so that idempotency and the operators' view survive restarts.
 * Builds are few (one per model version), so a file is enough; it is this service's alone.
 */
public final class BuildStore {
  private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT).build();

  private final Path file;
  private final Map<String, BuildRecord> records = new LinkedHashMap<>();

  public BuildStore(Path file) throws IOException {
    this.file = file;
    if (Files.exists(file)) {
      List<BuildRecord> saved = JSON.readValue(file.toFile(), new TypeReference<List<BuildRecord>>() {});
      saved.forEach(r -> records.put(r.key(), r));
    }
  }

  public synchronized Optional<BuildRecord> find(String model, int version) {
    return Optional.ofNullable(records.get(BuildRecord.key(model, version)));
  }

  /** All records, newest first. */
  public synchronized List<BuildRecord> list() {
    List<BuildRecord> all = new ArrayList<>(records.values());
    java.util.Collections.reverse(all);
    return all;
  }

  public synchronized BuildRecord save(BuildRecord record) {
    records.remove(record.key());
    records.put(record.key(), record);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".builds-", ".json");
      JSON.writeValue(tmp.toFile(), new ArrayList<>(records.values()));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the build records to " + file, e);
    }
    return record;
  }
}
