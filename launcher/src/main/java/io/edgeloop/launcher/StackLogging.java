package io.edgeloop.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One-command mode logs into one file ({@code <data-dir>/logs/edgeloop.log}) and shows only what
 * matters on the console ({@link ConsoleFilter}). The launcher owns logging: it configures logback
 * before the broker and the database start (so their lines land in the file too) and turns the
 * services' Spring Boot logging system off ({@link #springProperties}), since the four contexts start
 * side by side and would each reconfigure the one logging system of the JVM.
 */
final class StackLogging {
  static void configure(Path logFile, String consoleLevel, Map<String, String> properties) {
    System.setProperty(ConsoleFilter.LEVEL_PROPERTY, consoleLevel);
    System.setProperty("LOG_FILE", logFile.toAbsolutePath().toString());
    // Read by Spring Boot before any context starts: the services leave logging as it is set here.
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(StackLogging.class.getResource("/io/edgeloop/launcher/logback-stack.xml"));
    } catch (JoranException e) {
      throw new IllegalStateException("logging configuration: " + e.getMessage(), e);
    }
    // -D logging.level.<logger>=<level> still works, as it does for a service on its own.
    properties.forEach((key, value) -> {
      if (key.startsWith("logging.level.")) {
        String logger = key.substring("logging.level.".length());
        context.getLogger(logger.equals("root") ? org.slf4j.Logger.ROOT_LOGGER_NAME : logger).setLevel(Level.toLevel(value, null));
      }
    });
    // Tomcat and a few libraries log through java.util.logging: into the same file, not onto stderr.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  /** Spring Boot's logging system is off in one-command mode; these keep the services' view of it consistent. */
  static Map<String, String> springProperties(Path logFile) {
    return Map.of("logging.file.name", logFile.toAbsolutePath().toString());
  }

  private StackLogging() {}
}
