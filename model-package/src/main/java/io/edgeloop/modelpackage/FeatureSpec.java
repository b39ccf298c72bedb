package io.edgeloop.modelpackage;

import io.edgeloop.contracts.ColumnSpec;
import java.util.List;
import java.util.Objects;

/**
 * How raw rows become the {@code features} input of the ONNX graph.
 *
 * @param rawColumns the columns a client sends per row
 * @param groupKey column whose value identifies a sequence (an engine unit); null = one sequence
 * @param orderColumn column that orders rows within a group (a cycle); null = arrival order
 * @param rolling rolling-window statistics to compute per group
 * @param featureOrder the ONNX input columns, in order: raw column names or
 *     {@code <column>_<stat>_<window>}
 * @param maxGroups bound on the groups whose history is kept at inference (LRU eviction); 0 or
 *     less means the default, 10000
 * @param regimes operating regimes and the per-regime normalisation applied to each row first;
 *     null = none (one operating condition)
 * @param baselineRows how many first rows of a group's life make its baseline, which the
 *     {@code drift} statistic subtracts; 0 or less means the default, 10
 */
public record FeatureSpec(
    List<ColumnSpec> rawColumns,
    String groupKey,
    String orderColumn,
    List<RollingFeature> rolling,
    List<String> featureOrder,
    int maxGroups,
    OperatingRegimes regimes,
    int baselineRows) {

  public static final int DEFAULT_MAX_GROUPS = 10_000;
  public static final int DEFAULT_BASELINE_ROWS = 10;

  public FeatureSpec {
    rawColumns = List.copyOf(Objects.requireNonNull(rawColumns, "rawColumns"));
    rolling = rolling == null ? List.of() : List.copyOf(rolling);
    featureOrder = List.copyOf(Objects.requireNonNull(featureOrder, "featureOrder"));
    maxGroups = maxGroups <= 0 ? DEFAULT_MAX_GROUPS : maxGroups;
    baselineRows = baselineRows <= 0 ? DEFAULT_BASELINE_ROWS : baselineRows;
  }

  /** A spec without operating regimes and with the default baseline. */
  public FeatureSpec(List<ColumnSpec> rawColumns, String groupKey, String orderColumn, List<RollingFeature> rolling,
      List<String> featureOrder, int maxGroups) {
    this(rawColumns, groupKey, orderColumn, rolling, featureOrder, maxGroups, null, 0);
  }
}
