package io.edgeloop.deploy.messaging;

import io.edgeloop.contracts.ReceivedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Logs and counts every event received (until the feature handlers take over). */
@Component
class ReceivedEvents {
  private static final Logger log = LoggerFactory.getLogger(ReceivedEvents.class);
  private final MeterRegistry meters;

  ReceivedEvents(MeterRegistry meters) {
    this.meters = meters;
  }

  void record(ReceivedEvent<?> event) {
    log.info("received {} id={} from {}: {}", event.type().type(), event.id(), event.source(), event.data());
    meters.counter("edgeloop.events.received", "type", event.type().type()).increment();
  }
}
