package io.edgeloop.security.web;

import io.edgeloop.security.EdgeloopSecurityProperties;
import io.edgeloop.security.EdgeloopSecurityProperties.Mode;
import io.edgeloop.security.jwt.JwtRoles;
import io.edgeloop.security.jwt.OidcDecoders;
import io.edgeloop.security.token.ApiTokenAuthenticationProvider;
import io.edgeloop.security.token.ApiTokens;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The API's security in a servlet service: bearer tokens (edgeloop API tokens and OIDC JWTs), the
 * role of every controller method, open health/metrics/docs, request body limits and the Host check.
 * With {@code edgeloop.security.mode=none} (loopback only) nothing is authenticated, but bodies and
 * Host headers are still checked.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class WebSecurityConfiguration {
  private static final Logger log = LoggerFactory.getLogger(WebSecurityConfiguration.class);

  /**
   * Present in both modes: it also keeps Spring Boot from creating its default user with a generated
   * password.
   */
  @Bean
  AuthenticationManagerResolver<HttpServletRequest> edgeloopBearerTokens(EdgeloopSecurityProperties properties,
      ObjectProvider<ApiTokens> tokens) {
    ApiTokens store = tokens.getIfAvailable();
    if (properties.mode() == Mode.TOKEN && store == null && !properties.oidc().enabled()) {
      throw new InsecureConfigurationException(
          "edgeloop.security.mode=token, but this service has nothing to check tokens against: no database and no identity provider",
          "Give the service a database (spring.datasource.url, or the embedded PostgreSQL of the edgeloop database module), "
              + "point edgeloop.security.token-store.url at the shared token database, or set edgeloop.security.oidc.issuer-uri / jwk-set-uri.");
    }
    JwtAuthenticationProvider jwts = null;
    if (properties.oidc().enabled()) {
      jwts = new JwtAuthenticationProvider(OidcDecoders.of(properties.oidc()));
      JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
      converter.setJwtGrantedAuthoritiesConverter(new JwtRoles(properties.oidc().rolesClaim(), properties.oidc().rolePrefix()));
      jwts.setJwtAuthenticationConverter(converter);
    }
    AuthenticationManager manager =
        new BearerTokenAuthenticationManager(store == null ? null : new ApiTokenAuthenticationProvider(store), jwts);
    return request -> manager;
  }

  @Bean
  SecurityFilterChain edgeloopApiSecurity(HttpSecurity http, EdgeloopSecurityProperties properties, Environment environment,
      AuthenticationManagerResolver<HttpServletRequest> bearerTokens, ObjectProvider<BodyLimit> bodyLimits,
      ApplicationContext context) throws Exception {
    http.csrf(AbstractHttpConfigurer::disable) // bearer tokens only, no cookies: nothing for CSRF to ride on
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .addFilterAfter(new RequestBodyLimitFilter(properties.maxBodyBytes().toBytes(), bodyLimits.orderedStream().toList()),
            AuthorizationFilter.class);
    if (properties.mode() == Mode.NONE) {
      requireLoopback(environment);
      log.warn("edgeloop.security.mode=none: authentication is OFF; every API of {} on {} answers anyone who can reach that address",
          environment.getProperty("spring.application.name", "this service"), environment.getProperty("server.address"));
      return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();
    }
    ProblemEntryPoint entryPoint = new ProblemEntryPoint();
    ProblemAccessDeniedHandler denied = new ProblemAccessDeniedHandler();
    EndpointAuthorization byHandler =
        new EndpointAuthorization(() -> context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class));
    return http
        .authorizeHttpRequests(a -> a
            .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
            .requestMatchers(openPaths(properties, environment).toArray(String[]::new)).permitAll()
            .anyRequest().access(byHandler))
        .oauth2ResourceServer(o -> o.authenticationManagerResolver(bearerTokens)
            .authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
        .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
        .build();
  }

  /** Health (for probes), the OpenAPI document and UI, {@code /} (a redirect to them), and Prometheus unless closed. */
  static List<String> openPaths(EdgeloopSecurityProperties properties, Environment environment) {
    String actuator = environment.getProperty("management.endpoints.web.base-path", "/actuator");
    String apiDocs = environment.getProperty("springdoc.api-docs.path", "/api/openapi");
    String ui = environment.getProperty("springdoc.swagger-ui.path", "/api/docs");
    // springdoc serves the UI's files under the parent of its path: /api/docs -> /api/swagger-ui/index.html
    String uiRoot = ui.lastIndexOf('/') > 0 ? ui.substring(0, ui.lastIndexOf('/')) : "";
    List<String> open = new ArrayList<>(List.of("/", "/error", actuator + "/health", actuator + "/health/**",
        apiDocs, apiDocs + "/**", apiDocs + ".yaml", ui, ui + "/**", uiRoot + "/swagger-ui/**"));
    if (properties.metricsOpen()) {
      open.add(actuator + "/prometheus");
    }
    return open;
  }

  private static void requireLoopback(Environment environment) {
    String address = environment.getProperty("server.address");
    if (!Loopback.isLoopback(address)) {
      throw new InsecureConfigurationException(
          "edgeloop.security.mode=none is refused: the service would listen on " + (address == null || address.isBlank()
              ? "every network interface" : address) + ", and authentication may be off only on loopback",
          "Set server.address=127.0.0.1 (with edgeloop.security.mode=none), or remove edgeloop.security.mode to use tokens.");
    }
  }

  /** DNS-rebinding protection, ahead of everything else, where the service is on loopback or names its hosts. */
  @Bean
  FilterRegistrationBean<HostHeaderFilter> edgeloopHostHeaderFilter(EdgeloopSecurityProperties properties, Environment environment) {
    FilterRegistrationBean<HostHeaderFilter> registration = new FilterRegistrationBean<>(new HostHeaderFilter(properties.allowedHosts()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    registration.setEnabled(Loopback.isLoopback(environment.getProperty("server.address")) || !properties.allowedHosts().isEmpty());
    return registration;
  }
}
