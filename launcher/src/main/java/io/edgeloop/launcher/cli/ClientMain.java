package io.edgeloop.launcher.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The thin CLI: the REST commands on a classpath of picocli and Jackson only, so that a call answers
 * in well under a second. The {@code edgeloop} script runs {@code up}, {@code demo}, {@code events} and {@code dlq}
 * through the full launcher instead; here they only appear in the help.
 */
public final class ClientMain {
  public static final String UP = "Start Kafka, PostgreSQL and all four services in one process; models trained here are packaged and served at the edge target.";
  public static final String DEMO = "Run the whole loop once and print what it measured.";
  public static final String EVENTS = "Watch the event topics.";

  public static void main(String[] args) {
    Map<String, Object> elsewhere = new LinkedHashMap<>();
    elsewhere.put("up", EdgeloopCli.named("up", UP, "./edgeloop up (the full launcher)"));
    elsewhere.put("demo", EdgeloopCli.named("demo", DEMO, "./edgeloop demo (the full launcher)"));
    elsewhere.put("events", EdgeloopCli.named("events", EVENTS, "./edgeloop events tail (the full launcher)"));
    elsewhere.put("dlq", EdgeloopCli.named("dlq", DlqCommand.DESCRIPTION, "./edgeloop dlq list|show|replay (the full launcher)"));
    EdgeloopCli.run(EdgeloopCli.commandLine(elsewhere, args), args);
  }

  private ClientMain() {}
}
