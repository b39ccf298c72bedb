package io.edgeloop.ingest.replica;

import io.edgeloop.ingest.dataset.DatasetLocks;
import java.io.IOException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dataset locks as row locks on ingest's {@code dataset_lock} table: the work runs in a transaction
 * that holds {@code select ... for update} on the dataset's row (created on first use). A killed
 * instance's lock goes with its connection.
 */
public final class PostgresDatasetLocks implements DatasetLocks {
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;

  public PostgresDatasetLocks(JdbcTemplate jdbc, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.tx = tx;
  }

  @Override
  public <T> T locked(String dataset, Work<T> work) throws IOException {
    try {
      return tx.execute(status -> {
        jdbc.update("insert into dataset_lock (dataset) values (?) on conflict do nothing", dataset);
        jdbc.queryForList("select dataset from dataset_lock where dataset = ? for update", String.class, dataset);
        try {
          return work.run();
        } catch (IOException e) {
          throw new Failed(e);
        }
      });
    } catch (Failed e) {
      throw e.io;
    }
  }

  /** Carries the work's IOException out of the transaction (which it rolls back). */
  private static final class Failed extends RuntimeException {
    final IOException io;

    Failed(IOException io) {
      super(io);
      this.io = io;
    }
  }
}
