package io.edgeloop.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code edgeloop-messaging-defaults.properties} as the lowest-precedence property source, so
 * every service gets the same binder settings (broker address key, synchronous sends, dead-letter
 * topic per service, retries) and any of them can still be overridden by the service's own
 * configuration, the environment or the command line.
 */
public class MessagingDefaults implements EnvironmentPostProcessor {
  static final String RESOURCE = "edgeloop-messaging-defaults.properties";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    try {
      new PropertiesPropertySourceLoader()
          .load("edgeloopMessagingDefaults", new ClassPathResource(RESOURCE))
          .forEach(source -> environment.getPropertySources().addLast(source));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
