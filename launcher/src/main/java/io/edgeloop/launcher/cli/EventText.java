package io.edgeloop.launcher.cli;

import io.edgeloop.contracts.DataLanded;
import io.edgeloop.contracts.DataRejected;
import io.edgeloop.contracts.AliasChange;
import io.edgeloop.contracts.EdgeloopEvent;
import io.edgeloop.contracts.ImageBuildFailed;
import io.edgeloop.contracts.ImagePushed;
import io.edgeloop.contracts.ModelDeployed;
import io.edgeloop.contracts.ModelPromoted;
import io.edgeloop.contracts.ModelTrained;
import io.edgeloop.contracts.RunFailed;
import io.edgeloop.contracts.RunRequested;
import java.util.Locale;

/** One line for people per edgeloop event: what happened, to what, and the figure that matters. */
public final class EventText {
  public static String describe(EdgeloopEvent data) {
    if (data instanceof DataLanded d) {
      return String.format(Locale.ROOT, "data landed      %s v%d: %,d rows from %s", d.dataset(), d.version(), d.rows(), d.source().item());
    } else if (data instanceof DataRejected r) {
      return String.format("data rejected    %s: %s (%s) -> quarantine", r.source().item(), r.reasonCode().wire(), r.message());
    } else if (data instanceof RunRequested r) {
      return String.format("run requested    %s for %s on %s (%s)", r.runId(), r.experiment(), r.datasets(), r.trigger().wire());
    } else if (data instanceof RunFailed f) {
      return String.format("run FAILED       %s in %s: %s %s", f.runId(), f.phase().wire(), f.reason().wire(), f.error());
    } else if (data instanceof ModelTrained m) {
      return String.format("model trained    %s v%d (%s=%s)%s", m.modelName(), m.modelVersion(), m.primaryMetric(), fmt(m.metrics().get(m.primaryMetric())), m.promoted() ? " -> champion" : "");
    } else if (data instanceof ImagePushed i) {
      return String.format(Locale.ROOT, "image pushed     %s (%.1f MB) %s", i.imageReference(), i.sizeBytes() / 1e6, i.digest().substring(0, Math.min(19, i.digest().length())));
    } else if (data instanceof ModelPromoted p) {
      return p.change() == AliasChange.REMOVED
          ? String.format("alias removed    %s %s (was v%s, %s)", p.modelName(), p.alias(), p.previousVersion(), p.cause().wire())
          : String.format("alias set        %s %s -> v%d%s (%s)", p.modelName(), p.alias(), p.modelVersion(),
              p.previousVersion() == null ? "" : " (was v" + p.previousVersion() + ")", p.cause().wire());
    } else if (data instanceof ImageBuildFailed f) {
      return String.format("image FAILED     %s v%d after %d attempt(s): %s %s", f.modelName(), f.modelVersion(), f.attempt(), f.reason().wire(), f.message());
    } else if (data instanceof ModelDeployed d) {
      return String.format("model deployed   %s v%d on %s: %s%s", d.modelName(), d.modelVersion(), d.target(), d.status().wire(), d.message() == null ? "" : " (" + d.message() + ")");
    }
    return String.valueOf(data);
  }

  private static String fmt(Double value) {
    return value == null ? "?" : String.format(Locale.ROOT, "%.3f", value);
  }

  private EventText() {}
}
