package io.edgeloop.training;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The training-service. Its configuration file is {@code training-service.yml} (not {@code application.yml}), so
 * that the four services can share one classpath in one-command mode without reading each other's
 * settings.
 */
@SpringBootApplication
public class TrainingApplication {
  public static final String CONFIG_NAME = "training-service";

  public static void main(String[] args) {
    start(args);
  }

  public static ConfigurableApplicationContext start(String... args) {
    SpringApplication app = new SpringApplication(TrainingApplication.class);
    app.setDefaultProperties(java.util.Map.of("spring.config.name", CONFIG_NAME));
    return app.run(args);
  }
}
