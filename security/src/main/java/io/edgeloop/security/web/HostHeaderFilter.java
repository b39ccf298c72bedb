package io.edgeloop.security.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * DNS-rebinding protection for a service on loopback: a web page on {@code evil.example} whose name
 * the attacker re-points at 127.0.0.1 reaches the service from the victim's browser, but its requests
 * carry {@code Host: evil.example}. Only localhost, 127.0.0.1, [::1] (any port) and the configured
 * names are answered; others get 403 before any handler (or authentication) runs.
 */
final class HostHeaderFilter extends OncePerRequestFilter {
  static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");
  private final Set<String> allowed = new LinkedHashSet<>(LOOPBACK_NAMES);

  HostHeaderFilter(List<String> extra) {
    extra.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).forEach(allowed::add);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String host = request.getHeader("Host");
    // No Host at all is HTTP/1.0 from a non-browser client: browsers, the rebinding vector, always send one.
    if (host == null || allowed.contains(hostName(host))) {
      chain.doFilter(request, response);
      return;
    }
    Problems.write(request, response, HttpStatus.FORBIDDEN, "Host '" + host + "' is not accepted by this service "
        + "(DNS-rebinding protection); accepted: " + allowed + " (add names to edgeloop.security.allowed-hosts)");
  }

  /** The name of a Host header without its port: {@code [::1]:8080} = {@code [::1]}, {@code a:80} = {@code a}. */
  static String hostName(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
