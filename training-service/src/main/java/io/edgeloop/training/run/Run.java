package io.edgeloop.training.run;

import io.edgeloop.contracts.DatasetRef;
import io.edgeloop.contracts.TrainingSpec;
import java.time.Instant;
import java.util.List;

/**
 * A run as stored: what was asked (spec, datasets, target), where it stands, and what it produced;
 * {@code owner} is the instance that executes (or last executed) it, leased until {@code leaseUntil}.
 */
public record Run(
    String id,
    String experiment,
    String trigger,
    RunStatus status,
    TrainingSpec spec,
    List<DatasetRef> datasets,
    String computeTarget,
    Long seed,
    String codeHash,
    String environment,
    String phase,
    String failureReason,
    String error,
    int attempt,
    boolean cancelRequested,
    String owner,
    Instant leaseUntil,
    String modelName,
    Integer modelVersion,
    Instant requestedAt,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt) {}
