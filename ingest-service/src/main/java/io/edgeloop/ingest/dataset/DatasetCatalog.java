package io.edgeloop.ingest.dataset;

import io.edgeloop.storage.ArtifactStore;
import io.edgeloop.storage.dataset.DatasetIndex;
import io.edgeloop.storage.dataset.DatasetJson;
import io.edgeloop.storage.dataset.DatasetLayout;
import io.edgeloop.storage.dataset.DatasetManifest;
import io.edgeloop.storage.dataset.DatasetReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dataset versions in the store: the ingest service's only state. Writes go data, manifest, then
 * index (each an atomic put), so the index never names a version whose files are missing; a
 * version written but not in the index is simply overwritten by the next one. Every write runs
 * with its dataset locked against other instances ({@link DatasetLocks}) and starts by reading the
 * index again, so replicas sharing one store never take the same version number, never overwrite
 * each other's index and never store the same content twice. Reads come from a per-instance cache,
 * {@linkplain #refresh refreshed} when an input is claimed.
 */
public class DatasetCatalog {
  private final ArtifactStore store;
  private final DatasetReader reader;
  private final boolean verify;
  private final DatasetLocks locks;
  private final Map<String, DatasetIndex> indexes = new ConcurrentHashMap<>();

  public DatasetCatalog(ArtifactStore store, boolean verify, DatasetLocks locks) {
    this.store = store;
    this.reader = DatasetReader.of(store);
    this.verify = verify;
    this.locks = locks;
  }

  /** A catalog written by this instance alone. */
  public DatasetCatalog(ArtifactStore store, boolean verify) {
    this(store, verify, DatasetLocks.SOLE);
  }

  public ArtifactStore store() {
    return store;
  }

  public synchronized DatasetIndex index(String dataset) throws IOException {
    DatasetIndex cached = indexes.get(dataset);
    if (cached == null) {
      cached = reader.index(dataset).orElse(DatasetIndex.empty(dataset));
      indexes.put(dataset, cached);
    }
    return cached;
  }

  /** The index as the store has it now (another instance may have added versions since it was cached). */
  public synchronized DatasetIndex refresh(String dataset) throws IOException {
    DatasetIndex current = reader.index(dataset).orElse(DatasetIndex.empty(dataset));
    indexes.put(dataset, current);
    return current;
  }

  /** Names of all datasets that have an index. */
  public List<String> datasets() throws IOException {
    List<String> names = new ArrayList<>();
    for (String key : store.list(DatasetLayout.ROOT)) {
      if (key.endsWith("/index.json") && key.chars().filter(c -> c == '/').count() == 2) {
        names.add(key.substring(DatasetLayout.ROOT.length(), key.length() - "/index.json".length()));
      }
    }
    return names;
  }

  public DatasetManifest manifest(String dataset, long version) throws IOException {
    return reader.manifest(dataset, version);
  }

  /**
   * Stores {@code parquet} as the next version of its dataset (state {@code stored}) and returns
   * its manifest; {@code draft}'s version, keys and URI are filled in here. Under the dataset's
   * lock, {@code fence} is checked first (it throws when this instance may no longer store the
   * input), then the index is read again.
   *
   * @throws AlreadyStored when the dataset already holds the same original or the same Parquet
   *     (another instance stored it meanwhile); nothing is written
   */
  public DatasetManifest store(DatasetManifest draft, Path parquet, Fence fence) throws IOException {
    return locks.locked(draft.dataset(), () -> {
      fence.check();
      return storeLocked(draft, parquet);
    });
  }

  private synchronized DatasetManifest storeLocked(DatasetManifest draft, Path parquet) throws IOException {
    String dataset = draft.dataset();
    DatasetIndex index = refresh(dataset);
    Optional<DatasetIndex.Entry> same = index.bySourceSha256(draft.sourceSha256()).or(() -> index.byDataSha256(draft.sha256()));
    if (same.isPresent()) {
      throw new AlreadyStored(dataset, same.get().version());
    }
    long version = index.latestVersion() + 1;
    String dataKey = DatasetLayout.data(dataset, version);
    store.putFile(dataKey, parquet);
    if (verify) {
      MessageDigest sha = sha256();
      store.copyTo(dataKey, new DigestOutputStream(OutputStream.nullOutputStream(), sha));
      String stored = HexFormat.of().formatHex(sha.digest());
      if (!stored.equals(draft.sha256())) {
        throw new IOException("stored " + dataKey + " has sha256 " + stored + ", expected " + draft.sha256());
      }
    }
    DatasetManifest manifest = new DatasetManifest(dataset, version, draft.schema(), draft.rows(), draft.bytes(), draft.sha256(),
        dataKey, store.uri(dataKey).toString(), draft.profile(), draft.source(), draft.sourceSha256(), draft.sourceBytes(),
        draft.inputFormat(), draft.createdAt());
    store.putBytes(DatasetLayout.manifest(dataset, version), DatasetJson.mapper().writeValueAsBytes(manifest));
    DatasetIndex.Entry entry = new DatasetIndex.Entry(version, manifest.sha256(), manifest.sourceSha256(), manifest.rows(),
        manifest.source().item(), DatasetIndex.STORED);
    writeIndex(index.with(entry, manifest.schema()));
    return manifest;
  }

  /** Records that the version's DataLanded was sent. */
  public void markAnnounced(String dataset, long version) throws IOException {
    locks.locked(dataset, () -> {
      synchronized (this) {
        DatasetIndex index = refresh(dataset);
        DatasetIndex.Entry entry = index.versions().stream()
            .filter(e -> e.version() == version)
            .findFirst()
            .orElseThrow(() -> new IOException("no version " + version + " of " + dataset));
        if (!DatasetIndex.ANNOUNCED.equals(entry.state())) {
          writeIndex(index.with(entry.withState(DatasetIndex.ANNOUNCED), index.schema()));
        }
        return null;
      }
    });
  }

  /** Checked under the dataset's lock before a version is written: throws when the writer may no longer store it. */
  @FunctionalInterface
  public interface Fence {
    Fence NONE = () -> {};

    void check() throws IOException;
  }

  /** The content is already a version of the dataset (stored by another instance meanwhile). */
  public static final class AlreadyStored extends IOException {
    private final long version;

    AlreadyStored(String dataset, long version) {
      super("already stored as " + dataset + "@" + version);
      this.version = version;
    }

    public long version() {
      return version;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void writeIndex(DatasetIndex index) throws IOException {
    store.putBytes(DatasetLayout.index(index.dataset()), DatasetJson.mapper().writeValueAsBytes(index));
    indexes.put(index.dataset(), index);
  }
}
