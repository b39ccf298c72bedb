package io.edgeloop.training.trainer;

import io.edgeloop.training.compute.ComputeTarget;
import io.edgeloop.training.dataset.DatasetVersion;
import io.edgeloop.training.run.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What a trainer gets for one run: the run, the model name it registers under, its resolved dataset versions, a private work folder, the
 * compute target, limits, the tracker it reports logs and metrics to, and the run's own API token.
 *
 * @param runToken the token that alone may post metrics to this run ({@code EDGELOOP_RUN_TOKEN} of a script); revoked when the attempt ends
 */
public record TrainerContext(
    Run run,
    String modelName,
    Map<String, Object> settings,
    List<DatasetVersion> datasets,
    Path workDir,
    ComputeTarget compute,
    Duration timeout,
    BooleanSupplier canceled,
    RunTracker tracker,
    String runToken) {}
