package io.edgeloop.packaging;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The packaging-service. Its configuration file is {@code packaging-service.yml} (not {@code application.yml}), so
 * that the four services can share one classpath in one-command mode without reading each other's
 * settings.
 */
@SpringBootApplication
public class PackagingApplication {
  public static final String CONFIG_NAME = "packaging-service";

  public static void main(String[] args) {
    start(args);
  }

  public static ConfigurableApplicationContext start(String... args) {
    SpringApplication app = new SpringApplication(PackagingApplication.class);
    app.setDefaultProperties(java.util.Map.of("spring.config.name", CONFIG_NAME));
    return app.run(args);
  }
}
