package io.edgeloop.security.jwt;

import io.edgeloop.security.EdgeloopSecurityProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * The JWT decoder for the configured identity provider (Spring Security's Nimbus decoder): signature
 * against the provider's key set, {@code exp}/{@code nbf} (60 s clock skew), {@code iss} when an
 * issuer is configured, {@code aud} when an audience is. The provider is first asked when the first
 * JWT arrives, so a service starts while its identity provider is down.
 */
public final class OidcDecoders {
  private OidcDecoders() {}

  public static JwtDecoder of(EdgeloopSecurityProperties.Oidc oidc) {
    if (!oidc.enabled()) {
      throw new IllegalArgumentException("no identity provider configured");
    }
    String issuer = oidc.issuerUri() == null ? null : oidc.issuerUri().toString();
    OAuth2TokenValidator<Jwt> validator = validator(issuer, oidc.audience());
    if (oidc.jwkSetUri() != null) {
      NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(oidc.jwkSetUri().toString()).build();
      decoder.setJwtValidator(validator);
      return decoder;
    }
    return new SupplierJwtDecoder(() -> {
      NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(issuer);
      decoder.setJwtValidator(validator);
      return decoder;
    });
  }

  private static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(issuer == null ? JwtValidators.createDefault() : JwtValidators.createDefaultWithIssuer(issuer));
    if (audience != null && !audience.isBlank()) {
      validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)));
    }
    return new DelegatingOAuth2TokenValidator<>(validators);
  }
}
