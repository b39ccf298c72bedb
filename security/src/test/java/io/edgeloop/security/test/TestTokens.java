package io.edgeloop.security.test;

import io.edgeloop.security.Role;
import io.edgeloop.security.token.ApiTokens;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ApplicationContext;

/**
 * Real edgeloop API tokens for a service's tests, issued through the service's own token store: tests
 * call the API as a client would, with {@code Authorization: Bearer}, never with security turned off.
 */
public final class TestTokens {
  private static final AtomicInteger COUNT = new AtomicInteger();

  private TestTokens() {}

  /** A new token holding {@code role} (a person's role; run tokens come from {@link #run}). */
  public static String issue(ApplicationContext context, Role role) {
    return context.getBean(ApiTokens.class).issue("test-" + role.wire() + "-" + COUNT.incrementAndGet(), Set.of(role), null).token();
  }

  public static String admin(ApplicationContext context) {
    return issue(context, Role.ADMIN);
  }

  /** The token of run {@code runId}, as training gives it to the run's script. */
  public static String run(ApplicationContext context, String runId) {
    return context.getBean(ApiTokens.class).issueRunToken(runId, null).token();
  }

  /** Makes every request of {@code rest} carry {@code token}. */
  public static TestRestTemplate authorize(TestRestTemplate rest, String token) {
    rest.getRestTemplate().getInterceptors().removeIf(BearerInterceptor.class::isInstance);
    rest.getRestTemplate().getInterceptors().add(new BearerInterceptor(token));
    return rest;
  }

  private record BearerInterceptor(String token) implements org.springframework.http.client.ClientHttpRequestInterceptor {
    @Override
    public org.springframework.http.client.ClientHttpResponse intercept(org.springframework.http.HttpRequest request, byte[] body,
        org.springframework.http.client.ClientHttpRequestExecution execution) throws java.io.IOException {
      request.getHeaders().setBearerAuth(token);
      return execution.execute(request, body);
    }
  }
}
