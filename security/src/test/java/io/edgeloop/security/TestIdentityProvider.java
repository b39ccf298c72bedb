package io.edgeloop.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;

/**
 * A site identity provider for tests: an RSA key made here, its JWK set and an OIDC discovery
 * document served on loopback (JDK HTTP server), and real signed JWTs. One per test JVM.
 */
final class TestIdentityProvider {
  static final String REALM = "/realms/site";
  private static TestIdentityProvider instance;

  private final HttpServer server;
  private final RSAKey key;
  private final RSAKey strangerKey;

  private TestIdentityProvider() throws IOException, JOSEException {
    key = new RSAKeyGenerator(2048).keyID("site-key").generate();
    // Same key id, different key: a forger who copied the header.
    strangerKey = new RSAKeyGenerator(2048).keyID("site-key").generate();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(REALM + "/.well-known/openid-configuration", exchange -> {
      String body = "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwkSetUri() + "\",\"authorization_endpoint\":\"" + issuer()
          + "/auth\",\"token_endpoint\":\"" + issuer() + "/token\",\"subject_types_supported\":[\"public\"],"
          + "\"id_token_signing_alg_values_supported\":[\"RS256\"],\"response_types_supported\":[\"code\"]}";
      reply(exchange, body);
    });
    server.createContext(REALM + "/jwks", exchange -> reply(exchange, new JWKSet(key.toPublicJWK()).toString()));
    server.start();
  }

  private static void reply(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  static synchronized TestIdentityProvider get() {
    if (instance == null) {
      try {
        instance = new TestIdentityProvider();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }
    return instance;
  }

  String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + REALM;
  }

  String jwkSetUri() {
    return issuer() + "/jwks";
  }

  /** A token from this provider valid for 5 minutes (subject {@code alice}), adjusted by {@code claims}. */
  String token(Consumer<JWTClaimsSet.Builder> claims) {
    return sign(key, claims);
  }

  /** Like {@link #token} but signed with a key the provider does not publish. */
  String forgedToken(Consumer<JWTClaimsSet.Builder> claims) {
    return sign(strangerKey, claims);
  }

  private String sign(RSAKey with, Consumer<JWTClaimsSet.Builder> claims) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(issuer()).subject("alice")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    claims.accept(builder);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), builder.build());
    try {
      jwt.sign(new RSASSASigner(with));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
