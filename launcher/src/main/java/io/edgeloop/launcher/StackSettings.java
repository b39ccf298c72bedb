package io.edgeloop.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * How one-command mode runs.
 *
 * @param externalKafka bootstrap servers of an existing cluster, or null to start the embedded broker
 * @param kafkaPort port of the embedded broker (0 = any free port)
 * @param dataDir where blobs, the database, the broker's log, shares and logs live
 * @param portBase the services listen on portBase+1 .. portBase+4
 * @param consoleLogLevel the least severe log level printed on the console (all goes to the log file)
 * @param properties Spring properties given to every service ({@code key=value} from the command
 *     line, the edge environment's settings); a {@code spring.datasource.url} among them replaces the
 *     embedded PostgreSQL
 */
public record StackSettings(String externalKafka, int kafkaPort, Path dataDir, int portBase, String consoleLogLevel, Map<String, String> properties) {}
