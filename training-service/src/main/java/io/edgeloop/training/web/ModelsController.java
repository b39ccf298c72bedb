package io.edgeloop.training.web;

import io.edgeloop.security.RequiresRole;
import io.edgeloop.security.Role;
import io.edgeloop.training.registry.ModelRegistry;
import io.edgeloop.training.registry.ModelVersion;
import io.edgeloop.training.registry.RegistryException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The model registry: models, versions, aliases, promotion and deletion. */
@RestController
@RequestMapping("/api/models")
@Tag(name = "models", description = "The model registry: models, versions, aliases, promotion")
class ModelsController {
  private final ModelRegistry registry;

  ModelsController(ModelRegistry registry) {
    this.registry = registry;
  }

  record ModelView(String name, Integer latestVersion, Map<String, Integer> aliases, List<ModelVersion> versions) {}

  record VersionUpdate(String description, Map<String, String> tags) {}

  record AliasRequest(Integer version) {}

  /** Models by name substring and tag ({@code key} or {@code key=value}), newest version and aliases first. */
  @Operation(summary = "Search models by name and tag")
  @RequiresRole(Role.VIEWER)
  @GetMapping
  List<ModelView> list(@RequestParam(required = false) String name, @RequestParam(required = false) String tag) {
    return registry.search(name, tag).stream().map(n -> view(n, false)).toList();
  }

  @Operation(summary = "Show a model with all its versions")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/{name}")
  ModelView show(@PathVariable String name) {
    return view(name, true);
  }

  @Operation(summary = "List a model's versions")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/{name}/versions")
  List<ModelVersion> versions(@PathVariable String name) {
    return registry.versions(name);
  }

  @Operation(summary = "Show one version")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/{name}/versions/{version}")
  ModelVersion version(@PathVariable String name, @PathVariable int version) {
    return registry.version(name, version).orElseThrow(() -> new RegistryException(404, "no version " + version + " of model " + name));
  }

  @Operation(summary = "Update a version's description and tags")
  @RequiresRole(Role.OPERATOR)
  @PatchMapping("/{name}/versions/{version}")
  ModelVersion update(@PathVariable String name, @PathVariable int version, @RequestBody VersionUpdate update) {
    return registry.update(name, version, update.description(), update.tags());
  }

  /** Deletes a version; 409 when a deployment uses it. */
  @Operation(summary = "Delete a version (409 while a deployment uses it)")
  @RequiresRole(Role.OPERATOR)
  @DeleteMapping("/{name}/versions/{version}")
  ResponseEntity<Void> delete(@PathVariable String name, @PathVariable int version) {
    registry.delete(name, version);
    return ResponseEntity.noContent().build();
  }

  /** Makes a version the champion by hand (the CLI's {@code models promote}). */
  @Operation(summary = "Make a version the champion")
  @RequiresRole(Role.OPERATOR)
  @PostMapping("/{name}/versions/{version}/promote")
  ModelVersion promote(@PathVariable String name, @PathVariable int version) {
    registry.setAlias(name, ModelRegistry.CHAMPION, version);
    return version(name, version);
  }

  @Operation(summary = "Show the version an alias points to")
  @RequiresRole(Role.VIEWER)
  @GetMapping("/{name}/aliases/{alias}")
  ModelVersion alias(@PathVariable String name, @PathVariable String alias) {
    return registry.alias(name, alias).orElseThrow(() -> new RegistryException(404, "model " + name + " has no alias " + alias));
  }

  @Operation(summary = "Point an alias at a version")
  @RequiresRole(Role.OPERATOR)
  @PutMapping("/{name}/aliases/{alias}")
  ModelVersion setAlias(@PathVariable String name, @PathVariable String alias, @RequestBody AliasRequest request) {
    if (request.version() == null) {
      throw new RegistryException(400, "version is required");
    }
    registry.setAlias(name, alias, request.version());
    return version(name, request.version());
  }

  @Operation(summary = "Remove an alias")
  @RequiresRole(Role.OPERATOR)
  @DeleteMapping("/{name}/aliases/{alias}")
  ResponseEntity<Void> deleteAlias(@PathVariable String name, @PathVariable String alias) {
    registry.deleteAlias(name, alias);
    return ResponseEntity.noContent().build();
  }

  private ModelView view(String name, boolean withVersions) {
    List<ModelVersion> versions = registry.versions(name);
    if (versions.isEmpty() && withVersions) {
      throw new RegistryException(404, "no model " + name);
    }
    Map<String, Integer> aliases = new LinkedHashMap<>();
    versions.forEach(v -> v.aliases().forEach(a -> aliases.put(a, v.version())));
    return new ModelView(name, versions.isEmpty() ? null : versions.get(0).version(), aliases, withVersions ? versions : null);
  }
}
