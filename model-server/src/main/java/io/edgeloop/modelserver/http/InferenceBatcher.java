package io.edgeloop.modelserver.http;

import io.edgeloop.modelserver.inference.BatchedRuns;
import io.edgeloop.modelserver.inference.ServedModel;
import io.edgeloop.modelserver.metrics.ServerMetrics;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Collects the infer requests one I/O thread reads in one pass over its ready connections and
 * runs them together once the pass is over (a task queued behind it on the same thread), so that
 * concurrent clients share ONNX Runtime calls ({@link BatchedRuns}) without any added wait. One
 * instance per I/O thread, used only on that thread.
 */
final class InferenceBatcher {

  private record Waiting(OipRouter.Inference inference, Consumer<Reply> then) {}

  private final EventExecutor loop;
  private final OipRouter router;
  private final ServerMetrics metrics;
  private final int maxRows;
  private List<Waiting> waiting = new ArrayList<>();

  InferenceBatcher(EventExecutor loop, OipRouter router, ServerMetrics metrics, int maxRows) {
    this.loop = loop;
    this.router = router;
    this.metrics = metrics;
    this.maxRows = maxRows;
  }

  /** Queues an inference; {@code then} gets its reply on this I/O thread once the pass is over. */
  void submit(OipRouter.Inference inference, Consumer<Reply> then) {
    waiting.add(new Waiting(inference, then));
    if (waiting.size() == 1) {
      loop.execute(this::runWaiting);
    }
  }

  private void runWaiting() {
    List<Waiting> now = waiting;
    // Replies may let connections go on to their next request, which lands in the next round.
    waiting = new ArrayList<>();
    metrics.batch(now.size());
    Map<ServedModel, List<Waiting>> byModel = new IdentityHashMap<>(2);
    for (Waiting w : now) {
      byModel.computeIfAbsent(w.inference().model(), m -> new ArrayList<>()).add(w);
    }
    for (Map.Entry<ServedModel, List<Waiting>> e : byModel.entrySet()) {
      List<Waiting> group = e.getValue();
      List<BatchedRuns.Outcome> outcomes =
          e.getKey().run(group.stream().map(w -> w.inference().prepared()).toList(), maxRows);
      for (int i = 0; i < group.size(); i++) {
        Waiting w = group.get(i);
        w.then().accept(router.finish(w.inference(), outcomes.get(i)));
      }
    }
  }
}
