package io.edgeloop.packaging.messaging;

import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.ReceivedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Logs and counts every event received. */
@Component
class ReceivedEvents {
  private static final Logger log = LoggerFactory.getLogger(ReceivedEvents.class);
  private final MeterRegistry meters;

  ReceivedEvents(MeterRegistry meters) {
    this.meters = meters;
  }

  <E extends EdgeloopEvent> ReceivedEvent<E> record(ReceivedEvent<E> event) {
    log.info("received {} id={} from {}: {}", event.type().type(), event.id(), event.source(), event.data());
    meters.counter("edgeloop.events.received", "type", event.type().type()).increment();
    return event;
  }
}
