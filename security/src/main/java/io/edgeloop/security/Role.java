package io.edgeloop.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Who may call what. The roles of people form a hierarchy, each including the ones before it:
 * {@link #VIEWER} &lt; {@link #SCIENTIST} &lt; {@link #OPERATOR} &lt; {@link #ADMIN}. {@link #RUN}
 * stands apart: it is held only by the token training issues to one run, and includes nothing else.
 */
public enum Role {
  /** Reads: every GET. */
  VIEWER,
  /** Submits and cancels runs, uploads snapshots, triggers experiments. */
  SCIENTIST,
  /** Promotes, demotes, sets aliases, updates and deletes versions, approves, rolls back, manages targets. */
  OPERATOR,
  /** Manages API tokens. */
  ADMIN,
  /**
   * A run's own token ({@code EDGELOOP_RUN_TOKEN}, issued at run start, revoked at its end): the only
   * credential that may post metrics to that run. A handler that requires it must have the run id as
   * its {@code {id}} path variable; a run token is accepted only when its run id equals it.
   */
  RUN;

  /** The roles a person (or their token, or an OIDC identity) can hold, lowest first. */
  public static final List<Role> PEOPLE = List.of(VIEWER, SCIENTIST, OPERATOR, ADMIN);

  /** The name in configuration, tokens, JSON and JWT claims: {@code viewer}, {@code scientist}, ... */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The Spring Security authority this role grants ({@code ROLE_viewer}, ...). */
  public String authority() {
    return "ROLE_" + wire();
  }

  /**
   * The role named {@code wire} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the known roles when there is none
   */
  @JsonCreator
  public static Role parse(String wire) {
    return Arrays.stream(values())
        .filter(r -> r.wire().equalsIgnoreCase(wire == null ? "" : wire.trim()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown role '" + wire + "'; roles: "
            + PEOPLE.stream().map(Role::wire).collect(Collectors.joining(", "))));
  }

  /** The person role just below this one (null for viewer and run): what a test uses for "too small". */
  public Role below() {
    int i = PEOPLE.indexOf(this);
    return i > 0 ? PEOPLE.get(i - 1) : null;
  }
}
