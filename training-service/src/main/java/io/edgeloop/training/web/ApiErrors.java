package io.edgeloop.training.web;

import io.edgeloop.training.registry.RegistryException;
import io.edgeloop.training.run.RunService;
import io.edgeloop.training.trigger.TriggerPolicy;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps domain exceptions to RFC 9457 problem responses with a plain message. */
@RestControllerAdvice
class ApiErrors {
  @ExceptionHandler(RunService.NoSuchRunException.class)
  ProblemDetail noRun(RunService.NoSuchRunException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
  }

  @ExceptionHandler(RunService.InvalidRunRequestException.class)
  ProblemDetail invalidRequest(RunService.InvalidRunRequestException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @ExceptionHandler(TriggerPolicy.UnknownExperimentException.class)
  ProblemDetail noExperiment(TriggerPolicy.UnknownExperimentException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
  }

  @ExceptionHandler(RegistryException.class)
  ProblemDetail registry(RegistryException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status()), e.getMessage());
  }
}
