package io.edgeloop.packaging.builds;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operators' view of the builds: {@code GET /api/images}, newest first, with status and reason. */
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
}
