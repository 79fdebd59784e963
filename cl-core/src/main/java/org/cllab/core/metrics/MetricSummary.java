package org.cllab.core.metrics;

/**
 * The metrics that need nothing but the accuracy matrix, computed by {@link ClMetrics}.
 * Intransigence is not included because it needs a joint reference run.
 *
 * @param acc average final accuracy, {@link ClMetrics#acc}
 * @param bwt backward transfer (paper normalisation 1/(T&minus;1)), {@link ClMetrics#bwt}; NaN
 *     when T = 1
 * @param fwt forward transfer, {@link ClMetrics#fwt}; NaN when T = 1
 * @param forgetting average forgetting, {@link ClMetrics#forgetting}; NaN when T = 1
 * @param learningAccuracy mean accuracy right after learning each task,
 *     {@link ClMetrics#learningAccuracy}
 */
public record MetricSummary(double acc, double bwt, double fwt, double forgetting, double learningAccuracy) {

    /**
     * Computes every field from {@code r}.
     *
     * @param r a complete accuracy matrix
     * @return the summary
     */
    public static MetricSummary of(AccuracyMatrix r) {
        return new MetricSummary(
                ClMetrics.acc(r),
                ClMetrics.bwt(r),
                ClMetrics.fwt(r),
                ClMetrics.forgetting(r),
                ClMetrics.learningAccuracy(r));
    }
}
