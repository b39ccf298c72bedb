package io.edgeloop.deploy.messaging;

import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.ReceivedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Logs every event received, hands it to its handler, and counts it once handled. */
@Component
class ReceivedEvents {
  private static final Logger log = LoggerFactory.getLogger(ReceivedEvents.class);
  private final MeterRegistry meters;

  ReceivedEvents(MeterRegistry meters) {
    this.meters = meters;
  }

  <E extends EdgeloopEvent> void handle(ReceivedEvent<E> event, Consumer<ReceivedEvent<E>> handler) {
    log.info("received {} id={} from {}: {}", event.type().type(), event.id(), event.source(), event.data());
    handler.accept(event);
    meters.counter("edgeloop.events.received", "type", event.type().type()).increment();
  }
}
