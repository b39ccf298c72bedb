package io.edgeloop.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The role a REST handler needs, on the method or on its controller class (the method's wins).
 * Every handler must name one: a handler without it is denied to everyone (secure by default), and
 * each service's {@code EndpointRolesTest} fails on it.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequiresRole {
  Role value();
}
