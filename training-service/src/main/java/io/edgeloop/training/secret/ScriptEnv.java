package io.edgeloop.training.secret;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A script run's {@code settings.env}: the variables the user gives the script. Either a map
 * ({@code {"EPOCHS": "5", "DB_PASSWORD": {"secretRef": "warehouse-password"}}}) or a list of entries
 * ({@code [{"name": "DB_PASSWORD", "secret": true, "value": "..."}]}). An entry is a plain value, a
 * reference to a secret in the service's configuration ({@code secretRef}), or a secret value given
 * inline ({@code secret: true}), which {@link #redact} replaces by the marker {@code "redacted": true}
 * before the spec is stored or announced.
 */
public final class ScriptEnv {
  /** The settings key. */
  public static final String KEY = "env";
  private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";
  private static final String REF = "[A-Za-z0-9][A-Za-z0-9._-]*";

  /**
   * One variable: a plain {@code value}, a {@code secretRef}, or a secret ({@code secret}) whose value is
   * inline ({@code value}) or was sealed away ({@code redacted}).
   */
  public record Entry(String name, String value, String secretRef, boolean secret, boolean redacted) {
    /** A secret value still in the settings, to seal before anything records them. */
    public boolean inlineSecret() {
      return secret && value != null;
    }
  }

  /** The settings with inline secret values taken out: {@code settings} to record, {@code secrets} (name to value) to seal. */
  public record Redacted(Map<String, Object> settings, Map<String, String> secrets) {}

  /** Parses {@code settings.env}; throws {@link IllegalArgumentException} with a message for the user when it is malformed. */
  public static List<Entry> parse(Object env) {
    List<Entry> entries = new ArrayList<>();
    if (env == null) {
      return entries;
    }
    if (env instanceof Map<?, ?> map) {
      map.forEach((k, v) -> entries.add(v instanceof Map<?, ?> m ? entry(String.valueOf(k), m) : plain(String.valueOf(k), v)));
    } else if (env instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) {
          throw new IllegalArgumentException("settings.env: each list entry needs a \"name\"");
        }
        entries.add(m.containsKey("value") && !m.containsKey("secret") && !m.containsKey("secretRef") ? plain(name, m.get("value")) : entry(name, m));
      }
    } else {
      throw new IllegalArgumentException("settings.env must be a map of names to values, or a list of {name, value | secret | secretRef}");
    }
    Set<String> names = new LinkedHashSet<>();
    for (Entry e : entries) {
      if (!e.name().matches(NAME)) {
        throw new IllegalArgumentException("settings.env: '" + e.name() + "' is not a variable name");
      }
      if (e.name().startsWith("EDGELOOP_")) {
        throw new IllegalArgumentException("settings.env: " + e.name() + " is reserved for the run's own variables");
      }
      if (!names.add(e.name())) {
        throw new IllegalArgumentException("settings.env: " + e.name() + " is given twice");
      }
    }
    return entries;
  }

  /**
   * Takes inline secret values out of {@code settings}: each becomes {@code {"name": N, "secret": true,
   * "redacted": true}} in the returned settings (env then in list form), and its value goes to
   * {@code secrets}. Settings without inline secrets come back as they were.
   */
  public static Redacted redact(Map<String, Object> settings) {
    List<Entry> entries = parse(settings.get(KEY));
    if (entries.stream().noneMatch(Entry::inlineSecret)) {
      return new Redacted(settings, Map.of());
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    List<Map<String, Object>> env = new ArrayList<>();
    for (Entry e : entries) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("name", e.name());
      if (e.inlineSecret()) {
        secrets.put(e.name(), e.value());
        item.put("secret", true);
        item.put("redacted", true);
      } else if (e.secretRef() != null) {
        item.put("secretRef", e.secretRef());
      } else if (e.redacted()) {
        item.put("secret", true);
        item.put("redacted", true);
      } else {
        item.put("value", e.value());
      }
      env.add(item);
    }
    Map<String, Object> redacted = new LinkedHashMap<>(settings);
    redacted.put(KEY, env);
    return new Redacted(redacted, secrets);
  }

  /** {@code settings} without {@code env}: what is recorded of a request whose env could not be read (it may hold secrets). */
  public static Map<String, Object> withoutEnv(Map<String, Object> settings) {
    Map<String, Object> out = new LinkedHashMap<>(settings);
    out.remove(KEY);
    return out;
  }

  private static Entry plain(String name, Object value) {
    if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      throw new IllegalArgumentException("settings.env: " + name + " needs a string value, {\"secretRef\": ...} or {\"secret\": true, \"value\": ...}");
    }
    return new Entry(name, String.valueOf(value), null, false, false);
  }

  private static Entry entry(String name, Map<?, ?> m) {
    Object ref = m.get("secretRef");
    boolean secret = Boolean.TRUE.equals(m.get("secret"));
    boolean redacted = Boolean.TRUE.equals(m.get("redacted"));
    Object value = m.get("value");
    if (ref != null) {
      if (value != null || !(ref instanceof String r) || !r.matches(REF)) {
        throw new IllegalArgumentException("settings.env: " + name + " needs a secretRef naming a configured secret (edgeloop.training.secrets.<name>), and no value");
      }
      return new Entry(name, null, r, true, false);
    }
    if (!secret) {
      throw new IllegalArgumentException("settings.env: " + name + " needs a string value, {\"secretRef\": ...} or {\"secret\": true, \"value\": ...}");
    }
    if (value == null && redacted) {
      return new Entry(name, null, null, true, true);
    }
    if (!(value instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException("settings.env: secret " + name + " needs a non-empty string value");
    }
    return new Entry(name, s, null, true, false);
  }

  private ScriptEnv() {}
}
