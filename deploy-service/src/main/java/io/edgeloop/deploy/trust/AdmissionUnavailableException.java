package io.edgeloop.deploy.trust;

/**
 * An {@link AdmissionCheck} cannot decide now: the image's registry does not answer, or a trusted key
 * file is not there (yet). Not a verdict on the image: nothing is recorded, and the event that asked
 * is retried with the consumer's backoff ({@code edgeloop.messaging.retry.*}: 1 s doubling to 60 s,
 * for 20 minutes, then a dead letter that {@code edgeloop dlq replay} puts back); a manual rollback
 * answers 503.
 */
public class AdmissionUnavailableException extends RuntimeException {
  public AdmissionUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
