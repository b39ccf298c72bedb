package io.edgeloop.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

class EmbeddedPostgresConfigurationIT {
  @TempDir Path dir;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                EmbeddedPostgresConfiguration.class, DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
        .withPropertyValues("spring.application.name=db-test", "edgeloop.data-dir=" + dir);
  }

  @Test
  void shouldStartARealPostgresWithAPasswordThatKeepsDataAcrossRestarts() {
    runner().run(context -> {
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
      jdbc.execute("create table kept(v int)");
      jdbc.update("insert into kept values (42)");
    });
    assertThat(dir.resolve("postgres").resolve("db-test").resolve("PG_VERSION")).exists();
    assertThat(Files.exists(dir.resolve("postgres").resolve("db-test.password"))).isTrue();
    runner().run(context -> {
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      assertThat(jdbc.queryForObject("select v from kept", Integer.class)).isEqualTo(42);
    });
  }

  @Test
  void shouldStayOutOfTheWayWhenADatasourceUrlIsConfigured() {
    runner()
        .withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none")
        .run(context -> assertThat(context).doesNotHaveBean(EmbeddedPostgresServer.class));
  }
}
