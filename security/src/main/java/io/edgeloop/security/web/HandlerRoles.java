package io.edgeloop.security.web;

import io.edgeloop.security.RequiresRole;
import io.edgeloop.security.Role;
import java.util.Optional;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

/** The role a handler names with {@link RequiresRole}: the method's, else its class's; empty when neither does. */
public final class HandlerRoles {
  private HandlerRoles() {}

  public static Optional<Role> of(HandlerMethod handler) {
    RequiresRole onMethod = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequiresRole.class);
    RequiresRole required = onMethod != null ? onMethod
        : AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), RequiresRole.class);
    return Optional.ofNullable(required).map(RequiresRole::value);
  }
}
