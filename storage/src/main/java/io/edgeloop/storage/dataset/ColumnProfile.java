package io.edgeloop.storage.dataset;

/** What one column of one version holds; {@code min}, {@code max}, {@code mean} are null for non-numeric columns or all-null ones. */
public record ColumnProfile(long count, long nulls, Double min, Double max, Double mean) {}
