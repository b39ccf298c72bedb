package io.edgeloop.training.web;

import io.edgeloop.security.RequiresRole;
import io.edgeloop.security.Role;
import io.edgeloop.security.token.ApiToken;
import io.edgeloop.security.token.ApiTokens;
import io.edgeloop.security.token.IssuedToken;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * edgeloop API tokens (the control plane's; every service on the same token database accepts them):
 * issue one (its secret is in this answer only), list them (never secrets or hashes), revoke one.
 */
@RestController
@RequestMapping("/api/tokens")
@Tag(name = "tokens", description = "edgeloop API tokens: issue, list, revoke")
@RequiresRole(Role.ADMIN)
class TokensController {
  private final ApiTokens tokens;

  TokensController(ApiTokens tokens) {
    this.tokens = tokens;
  }

  /**
   * @param roles viewer, scientist, operator or admin (each includes the ones before it)
   * @param expiresAt optional; absent = never expires
   */
  record CreateRequest(String name, List<String> roles, Instant expiresAt) {}

  @Operation(summary = "Issue a token; the secret is shown in this answer only")
  @PostMapping
  ResponseEntity<IssuedToken> create(@RequestBody CreateRequest request) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    (request.roles() == null ? List.<String>of() : request.roles()).forEach(r -> roles.add(Role.parse(r)));
    return ResponseEntity.status(HttpStatus.CREATED).body(tokens.issue(request.name(), roles, request.expiresAt()));
  }

  @Operation(summary = "List tokens (without secrets), newest first; run tokens are left out")
  @GetMapping
  List<ApiToken> list() {
    return tokens.list();
  }

  @Operation(summary = "Revoke a token: it is refused from now on")
  @DeleteMapping("/{id}")
  ResponseEntity<?> revoke(@PathVariable String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a token id: " + id);
    }
    if (!tokens.revoke(uuid)) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no token " + id));
    }
    return ResponseEntity.noContent().build();
  }

  /** A bad name, role or expiry: 400 saying which. */
  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badRequest(IllegalArgumentException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }
}
