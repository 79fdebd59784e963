/**
 * Continual-learning metrics as pure functions of an immutable accuracy matrix.
 *
 * <p>{@link org.cllab.core.metrics.AccuracyMatrix} holds R, a (T+1)&times;T table: row 0 is the
 * accuracy of the untrained model on every task, row k (1..T) the accuracy on every task after
 * training the k-th task. Rows keep this 1-based "after task k" numbering; task (column) indices
 * are 0-based. {@link org.cllab.core.metrics.ClMetrics} computes ACC, BWT, FWT (Lopez-Paz &amp;
 * Ranzato 2017, GEM), forgetting and intransigence (Chaudhry et al. 2018, RWalk) and learning
 * accuracy from it; {@link org.cllab.core.metrics.MetricSummary} bundles the ones that need no
 * external reference. The formulas, index conventions and normalisation choices are written out
 * in {@code docs/metrics.md}. A matrix with a missing cell cannot be built, so no metric is ever
 * computed on a partial stream.
 */
package org.cllab.core.metrics;
