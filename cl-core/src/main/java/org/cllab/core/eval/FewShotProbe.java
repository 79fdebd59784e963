package org.cllab.core.eval;

import java.util.List;
import org.cllab.core.api.DomainIncrementalQuery;
import org.cllab.core.api.FewShotAdapter;
import org.cllab.core.api.FewShotEpisode;
import org.cllab.core.api.FewShotProbeSource;
import org.cllab.core.data.Batches;
import org.cllab.core.data.TaskData;
import org.cllab.core.nn.StepScope;
import org.cllab.core.rng.Seeds;

/**
 * The few-shot probe: for each fixed episode the learner adapts a copy of itself on the support set
 * ({@link FewShotAdapter#adapt}) and is scored on the query set. The protocol stores the per-episode accuracies as
 * one row of the series {@link #SERIES} after every task; the point of the probe curve is their mean.
 */
public final class FewShotProbe {
    /** Series key of the probe in protocol state, {@code metrics.csv} and {@code summary.json}. */
    public static final String SERIES = "few-shot-probe";

    private FewShotProbe() {
    }

    /** Per-episode query accuracies of {@code adapter} on {@code episodes}. */
    public static double[] score(FewShotAdapter adapter, FewShotProbeSource source, int batchSize) {
        List<FewShotEpisode> episodes = source.probeEpisodes();
        double[] acc = new double[episodes.size()];
        for (int e = 0; e < acc.length; e++) {
            FewShotEpisode ep = episodes.get(e);
            FewShotAdapter.FewShotPredictor p = adapter.adapt(ep.support(), ep.ways(),
                    new FewShotAdapter.Adaptation(source.adaptationSteps(), source.adaptationLr(),
                            Seeds.derive(0x5eedL, "probe/episode-" + e)));
            TaskData q = ep.query();
            long correct = 0;
            for (int from = 0; from < q.size(); from += batchSize) {
                int to = Math.min(q.size(), from + batchSize);
                int[] pred;
                try (StepScope scope = StepScope.open("probe")) {
                    pred = p.predict(new DomainIncrementalQuery(Batches.features(q, from, to)));
                }
                for (int i = from; i < to; i++) {
                    if (pred[i - from] == q.localLabel(i)) {
                        correct++;
                    }
                }
            }
            acc[e] = q.size() == 0 ? 0.0 : (double) correct / q.size();
        }
        return acc;
    }

    /** Mean of each row: the probe curve (point 0 = before training). */
    public static double[] curve(List<double[]> rows) {
        double[] c = new double[rows.size()];
        for (int i = 0; i < c.length; i++) {
            double s = 0;
            for (double v : rows.get(i)) {
                s += v;
            }
            c[i] = rows.get(i).length == 0 ? Double.NaN : s / rows.get(i).length;
        }
        return c;
    }

    /** Spearman rank correlation (average ranks for ties) between x and y; NaN if either is constant. */
    public static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = 0;
        double my = 0;
        for (int i = 0; i < rx.length; i++) {
            mx += rx[i];
            my += ry[i];
        }
        mx /= rx.length;
        my /= ry.length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < idx.length; ) {
            int j = i;
            while (j + 1 < idx.length && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[idx[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return r;
    }
}
