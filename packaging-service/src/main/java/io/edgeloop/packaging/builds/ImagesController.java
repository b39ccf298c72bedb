package io.edgeloop.packaging.builds;

import io.edgeloop.imagetrust.SigningKeys;
import io.edgeloop.security.RequiresRole;
import io.edgeloop.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "images", description = "Image builds: status, digest and reason")
class ImagesController {
  private final ImageBuilds builds;

  ImagesController(ImageBuilds builds) {
    this.builds = builds;
  }

  @Operation(summary = "List image builds, newest first")
  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<BuildRecord> list() {
    return builds.list();
  }

  @Operation(summary = "The PEM public key that verifies this service's image signatures (cosign verify --key)")
  @RequiresRole(Role.VIEWER)
  @GetMapping(value = "/signing-key", produces = "application/x-pem-file")
  ResponseEntity<String> signingKey() {
    return builds.signingKey().map(k -> ResponseEntity.ok(SigningKeys.publicKeyPem(k))).orElse(ResponseEntity.notFound().build());
  }
}
