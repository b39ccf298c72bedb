package io.edgeloop.security.test;

import java.net.URI;
import org.springframework.context.ApplicationContext;

/** A service under test on a real port: what the contract tests need to call it. */
public interface SecuredService {
  int port();

  ApplicationContext context();

  default URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }
}
