package io.edgeloop.deploy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The deploy-service. Its configuration file is {@code deploy-service.yml} (not {@code application.yml}), so
 * that the four services can share one classpath in one-command mode without reading each other's
 * settings.
 */
@SpringBootApplication
public class DeployApplication {
  public static final String CONFIG_NAME = "deploy-service";

  public static void main(String[] args) {
    start(args);
  }

  public static ConfigurableApplicationContext start(String... args) {
    SpringApplication app = new SpringApplication(DeployApplication.class);
    app.setDefaultProperties(java.util.Map.of("spring.config.name", CONFIG_NAME));
    return app.run(args);
  }
}
