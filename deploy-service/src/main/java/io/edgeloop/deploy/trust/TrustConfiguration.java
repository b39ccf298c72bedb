package io.edgeloop.deploy.trust;

import io.edgeloop.imagetrust.ImageVerifier;
import io.edgeloop.imagetrust.registry.RegistryClient;
import io.edgeloop.imagetrust.registry.RegistryCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Wires the admission step from {@code edgeloop.deploy.trust.*}: the allow-list, then the signature check. */
@Configuration
@EnableConfigurationProperties(TrustProperties.class)
public class TrustConfiguration {
  private static final Logger log = LoggerFactory.getLogger(TrustConfiguration.class);

  /** The allow-list first, then every {@link AdmissionCheck} bean in {@code @Order}. */
  @Bean
  ImageAdmission imageAdmission(TrustProperties trust, ObjectProvider<AdmissionCheck> checks) {
    return new ImageAdmission(Stream.concat(Stream.of(new TrustedSources(trust)), checks.orderedStream()).toList());
  }

  /**
   * Signature verification, unless {@code require-signatures} is off. Decided on the bound value (not
   * a property condition, which would read {@code yes} or {@code on} as "not true" and so fail open).
   */
  @Bean
  @Order(100)
  AdmissionCheck imageSignatures(TrustProperties trust) {
    if (!trust.requireSignatures()) {
      log.warn("image signatures are NOT checked (edgeloop.deploy.trust.require-signatures=false): any image from {} {}"
          + " runs", trust.registries(), trust.repositories());
      return image -> Admission.admit();
    }
    TrustedKeys keys = new TrustedKeys(trust.signingKeys());
    if (!keys.configured()) {
      log.warn("every image is rejected: {}", ImageSignatures.NO_KEY);
    }
    for (Path file : keys.files()) {
      // Not an error at start: in one-command mode packaging writes its key when it starts, maybe after this service.
      log.info("images must be signed by a key in {}{}", file, Files.exists(file) ? "" : " (not there yet; read when an image is checked)");
    }
    List<RegistryCredentials> credentials = trust.registryCredentials().stream()
        .map(c -> new RegistryCredentials(c.registry(), c.username(), c.password())).toList();
    RegistryClient registry = new RegistryClient(credentials, trust.plainHttpRegistries(), trust.registryTimeout());
    // The allow-list (TrustedSources) has already checked registry and repository, so the verifier's own list stays empty.
    return new ImageSignatures(new ImageVerifier(registry, List.of()), keys);
  }
}
