package io.edgeloop.security.test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * A {@link SecuredService} run by a {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} test: a
 * service's test support class extends it and adds its own configuration.
 */
public abstract class RunningService implements SecuredService {
  @LocalServerPort protected int port;
  @Autowired protected ApplicationContext context;

  @Override
  public int port() {
    return port;
  }

  @Override
  public ApplicationContext context() {
    return context;
  }
}
