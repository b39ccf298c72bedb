package io.edgeloop.deploy.trust;

import java.util.regex.Pattern;

/** Shell-style globs for names in configuration: {@code *} any characters (including {@code /}), {@code ?} one. */
public final class Glob {
  private Glob() {}

  public static Pattern compile(String glob) {
    return Pattern.compile(("\\Q" + glob + "\\E").replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
  }

  public static boolean matches(String glob, String value) {
    return compile(glob).matcher(value).matches();
  }
}
