package io.edgeloop.launcher;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Holds a service's start at its {@code DataSource} until the stack's embedded PostgreSQL is up: the
 * services start while the database does, and everything that reads or migrates the database
 * (Flyway, the repositories, the token store) needs that bean first. A database that fails to start
 * fails the service's start with its reason.
 */
final class DatabaseGate implements BeanPostProcessor {
  private final CompletableFuture<?> databaseStart;

  DatabaseGate(CompletableFuture<?> databaseStart) {
    this.databaseStart = databaseStart;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof DataSource) {
      try {
        databaseStart.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw new BeanInitializationException("the embedded PostgreSQL did not start: " + cause.getMessage(), cause);
      }
    }
    return bean;
  }
}
