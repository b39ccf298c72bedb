package io.edgeloop.packaging.builds;

import io.edgeloop.imagetrust.SigningKeys;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' view of the builds: {@code GET /api/images}, newest first, with status and reason;
 * {@code GET /api/images/signing-key}: the PEM public key that verifies the images' signatures
 * (what deploy trusts; {@code cosign verify --key}).
 */
@RestController
@RequestMapping("/api/images")
class ImagesController {
  private final ImageBuilds builds;

  ImagesController(ImageBuilds builds) {
    this.builds = builds;
  }

  @GetMapping
  List<BuildRecord> list() {
    return builds.list();
  }

  @GetMapping(value = "/signing-key", produces = "application/x-pem-file")
  ResponseEntity<String> signingKey() {
    return builds.signingKey().map(k -> ResponseEntity.ok(SigningKeys.publicKeyPem(k))).orElse(ResponseEntity.notFound().build());
  }
}
