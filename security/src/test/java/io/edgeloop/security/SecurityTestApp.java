package io.edgeloop.security;

import io.edgeloop.security.web.BodyLimit;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A service with one endpoint per kind of rule, for the security module's own tests. */
@SpringBootApplication
public class SecurityTestApp {
  static final long UPLOAD_LIMIT = 3L * 1024 * 1024;

  @Bean
  BodyLimit uploadLimit() {
    return new BodyLimit(HttpMethod.POST, "/api/uploads", UPLOAD_LIMIT, "test.max-upload-bytes");
  }

  @RestController
  @RequestMapping("/api")
  static class Things {
    @RequiresRole(Role.VIEWER)
    @GetMapping("/things")
    List<String> list() {
      return List.of("a", "b");
    }

    /** Answers how many characters of {@code text} arrived: proof the body got through whole. */
    @RequiresRole(Role.SCIENTIST)
    @PostMapping("/things")
    Map<String, Object> create(@RequestBody Map<String, Object> body) {
      return Map.of("length", String.valueOf(body.get("text")).length());
    }

    @RequiresRole(Role.OPERATOR)
    @PostMapping("/things/{id}/approve")
    Map<String, Object> approve(@PathVariable String id) {
      return Map.of("approved", id);
    }

    @RequiresRole(Role.ADMIN)
    @DeleteMapping("/things/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
      return ResponseEntity.noContent().build();
    }

    @RequiresRole(Role.RUN)
    @PostMapping("/runs/{id}/metrics")
    ResponseEntity<Void> metric(@PathVariable String id, @RequestBody Map<String, Object> metric) {
      return ResponseEntity.noContent().build();
    }

    /** Names no role: closed to everyone. */
    @GetMapping("/unmarked")
    String unmarked() {
      return "should never be seen";
    }

    @RequiresRole(Role.SCIENTIST)
    @PostMapping(value = "/uploads", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    Map<String, Object> upload(@RequestBody byte[] body) {
      return Map.of("bytes", body.length);
    }
  }

  /** The class names the role; one method overrides it. */
  @RestController
  @RequestMapping("/api/targets")
  @RequiresRole(Role.OPERATOR)
  static class Targets {
    @PostMapping("/{name}/rollback")
    Map<String, Object> rollback(@PathVariable String name) {
      return Map.of("target", name);
    }

    @RequiresRole(Role.VIEWER)
    @GetMapping
    List<String> list() {
      return List.of("edge-1");
    }
  }
}
