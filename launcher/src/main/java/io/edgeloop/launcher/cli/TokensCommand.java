package io.edgeloop.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgeloop tokens create|list|revoke}: edgeloop's API tokens, kept by the training service (admin only). */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = TokensCommand.DESCRIPTION,
    subcommands = {TokensCommand.Create.class, TokensCommand.List.class, TokensCommand.Revoke.class})
public final class TokensCommand {
  static final String DESCRIPTION = "API tokens: create (shown once), list, revoke. Needs an admin token.";

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([dhm])");
  /** A 404 on the token API itself: this training service has none (no security module, or authentication is off). */
  static final String NO_TOKEN_API = "training-service has no token API (/api/tokens): it runs without edgeloop's security module";

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token with a role; its secret is shown this once.")
  static final class Create extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "What the token is for (a person, a pipeline).") String name;
    @Option(names = "--role", required = true, description = "viewer, scientist, operator or admin (each includes the ones before).") Role role;
    @Option(names = "--expires", paramLabel = "WHEN", description = "After 30d, 12h, 90m, an ISO duration (P30D) or at an ISO instant; never by default.")
    String expires;

    @Override
    int run() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("roles", java.util.List.of(role.toString()));
      if (expires != null) {
        body.put("expiresAt", expiresAt(expires, Instant.now()).toString());
      }
      JsonNode created = call(Service.TRAINING, "POST", "/api/tokens").body(body).role(Role.ADMIN).missing(NO_TOKEN_API).json();
      if (output.raw(created)) {
        return 0;
      }
      KeyValues.create()
          .put("token", Text.of(created, "token"))
          .put("id", Text.of(created, "id"))
          .put("name", Text.of(created, "name"))
          .put("roles", Text.list(created.path("roles")))
          .put("expires", created.path("expiresAt").isTextual() ? Text.of(created, "expiresAt") : "never")
          .print(output.out());
      output.line("The token is shown only now: keep it (for the CLI: export EDGELOOP_TOKEN=<token>).");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Tokens (never their secrets): roles, created, expires, last used, revoked.")
  static final class List extends ApiCommand {
    @Override
    int run() {
      return list(call(Service.TRAINING, "GET", "/api/tokens").role(Role.ADMIN).missing(NO_TOKEN_API).json(),
          Table.of("ID", "NAME", "ROLES", "CREATED", "EXPIRES", "LAST USED", "REVOKED"),
          t -> new Object[] {Text.of(t, "id"), Text.of(t, "name"), Text.list(t.path("roles")), Text.age(t.path("createdAt")) + " ago",
              t.path("expiresAt").isTextual() ? Text.of(t, "expiresAt") : "never",
              t.path("lastUsedAt").isTextual() ? Text.age(t.path("lastUsedAt")) + " ago" : "",
              t.path("revokedAt").isTextual() ? Text.of(t, "revokedAt") : ""});
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token: it is refused from now on.")
  static final class Revoke extends ApiCommand {
    @Parameters(paramLabel = "ID") String id;

    @Override
    int run() {
      JsonNode answer = call(Service.TRAINING, "DELETE", "/api/tokens/" + segment(id)).role(Role.ADMIN).missing("no token '" + id + "' (or no token API at /api/tokens)").json();
      if (!output.raw(answer)) {
        output.line("token " + id + " revoked");
      }
      return 0;
    }
  }

  /** When a token given {@code --expires} ends, from {@code now}. */
  static Instant expiresAt(String value, Instant now) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    Matcher shortForm = SHORT_DURATION.matcher(text);
    if (shortForm.matches()) {
      long amount = Long.parseLong(shortForm.group(1));
      return now.plus(switch (shortForm.group(2)) {
        case "d" -> Duration.ofDays(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofMinutes(amount);
      });
    }
    try {
      return now.plus(Duration.parse(value.strip().toUpperCase(Locale.ROOT)));
    } catch (DateTimeParseException notADuration) {
      try {
        return Instant.parse(value.strip());
      } catch (DateTimeParseException notAnInstant) {
        throw new CliException("--expires " + value + ": give 30d, 12h, 90m, an ISO duration (P30D) or an instant (2027-01-31T00:00:00Z)");
      }
    }
  }
}
