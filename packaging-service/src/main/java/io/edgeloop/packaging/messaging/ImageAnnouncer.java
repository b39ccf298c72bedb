package io.edgeloop.packaging.messaging;

import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.ReceivedEvent;
import io.edgeloop.messaging.EventPublisher;
import io.edgeloop.packaging.builds.ImageBuilds;
import org.springframework.stereotype.Component;

/**
 * Builds the image of a trained model and publishes {@code ImagePushed} once it is pushed and
 * smoke-tested; the build is marked announced only after the broker has the event (sends are
 * synchronous), so a crash in between re-announces on redelivery instead of losing the event.
 */
@Component
class ImageAnnouncer {
  private final ImageBuilds builds;
  private final EventPublisher publisher;

  ImageAnnouncer(ImageBuilds builds, EventPublisher publisher) {
    this.builds = builds;
    this.publisher = publisher;
  }

  void onModelTrained(ReceivedEvent<ModelTrained> event) {
    try {
      builds.build(event.data()).ifPresent(pushed -> {
        publisher.publish(pushed);
        builds.announced(pushed);
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while packaging " + event.data().modelName(), e);
    }
  }
}
