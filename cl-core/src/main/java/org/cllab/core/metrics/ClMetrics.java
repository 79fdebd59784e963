package org.cllab.core.metrics;

import java.util.Objects;

/**
 * Continual-learning metrics as pure static functions of an {@link AccuracyMatrix}.
 *
 * <h2>Notation</h2>
 * The formulas below use the papers' 1-based notation: R<sub>i,j</sub> is the accuracy on task j
 * after training task i (i, j = 1..T) and b<sub>j</sub> = R<sub>0,j</sub> the accuracy of the
 * untrained model. In the API, rows keep their number and tasks are 0-based, so
 * R<sub>i,j</sub> = {@code R.get(i, j - 1)}; the accuracy on 0-based task k right after learning
 * it is {@code R.get(k + 1, k)}.
 *
 * <h2>Undefined values</h2>
 * With a single task (T = 1) there is no earlier task to forget or transfer to: {@link #bwt},
 * {@link #fwt}, {@link #forgetting} return {@link Double#NaN} and {@link #forgettingPerTask}
 * an empty array. ACC, learning accuracy and intransigence are defined for every T &ge; 1.
 *
 * <h2>References</h2>
 * <ul>
 *   <li>D. Lopez-Paz, M. Ranzato. Gradient Episodic Memory for Continual Learning. NeurIPS 2017
 *       (ACC, BWT, FWT).</li>
 *   <li>A. Chaudhry, P. K. Dokania, T. Ajanthan, P. H. S. Torr. Riemannian Walk for Incremental
 *       Learning: Understanding Forgetting and Intransigence. ECCV 2018 (forgetting,
 *       intransigence).</li>
 *   <li>N. D&iacute;az-Rodr&iacute;guez, V. Lomonaco, D. Filliat, D. Maltoni. Don't forget, there
 *       is more than forgetting: new metrics for Continual Learning. NeurIPS 2018 Continual
 *       Learning workshop (broader metric set; not implemented here).</li>
 * </ul>
 * See {@code docs/metrics.md} for the formulas with a worked example.
 */
public final class ClMetrics {

    private ClMetrics() {
    }

    /**
     * Average accuracy at the end of the stream: ACC = (1/T) &Sigma;<sub>j=1..T</sub>
     * R<sub>T,j</sub>, i.e. the mean of {@code R.get(T, k)} over k = 0..T&minus;1.
     *
     * @param r the accuracy matrix
     * @return ACC in [0, 1]
     */
    public static double acc(AccuracyMatrix r) {
        int t = r.numTasks();
        double sum = 0.0;
        for (int k = 0; k < t; k++) {
            sum += r.get(t, k);
        }
        return sum / t;
    }

    /**
     * Learning accuracy: the mean accuracy on each task right after training it,
     * LA = (1/T) &Sigma;<sub>j=1..T</sub> R<sub>j,j</sub> = mean over k of {@code R.get(k + 1, k)}.
     *
     * @param r the accuracy matrix
     * @return LA in [0, 1]
     */
    public static double learningAccuracy(AccuracyMatrix r) {
        int t = r.numTasks();
        double sum = 0.0;
        for (int k = 0; k < t; k++) {
            sum += r.get(k + 1, k);
        }
        return sum / t;
    }

    /**
     * Backward transfer, in the paper's normalisation:
     * BWT = 1/(T&minus;1) &Sigma;<sub>j=1..T&minus;1</sub> (R<sub>T,j</sub> &minus; R<sub>j,j</sub>),
     * i.e. 1/(T&minus;1) &Sigma;<sub>k=0..T&minus;2</sub> ({@code R.get(T, k)} &minus;
     * {@code R.get(k + 1, k)}). Negative values mean forgetting.
     *
     * <p>GEM's published code ({@code metrics/metrics.py}) instead averages the per-task
     * differences over all T tasks, including the last one whose difference is 0 by definition;
     * that value equals {@code bwt(R) * (T - 1) / T}.
     *
     * @param r the accuracy matrix
     * @return BWT in [&minus;1, 1], or NaN when T = 1
     */
    public static double bwt(AccuracyMatrix r) {
        int t = r.numTasks();
        if (t < 2) {
            return Double.NaN;
        }
        double sum = 0.0;
        for (int k = 0; k < t - 1; k++) {
            sum += r.get(t, k) - r.get(k + 1, k);
        }
        return sum / (t - 1);
    }

    /**
     * Forward transfer: FWT = 1/(T&minus;1) &Sigma;<sub>j=2..T</sub> (R<sub>j&minus;1,j</sub>
     * &minus; b<sub>j</sub>), the accuracy on a task just <em>before</em> training it, minus the
     * untrained model's accuracy on it.
     *
     * <p>Index translation: 1-based task j is column k = j&minus;1, and row j&minus;1 is row k, so
     * FWT = 1/(T&minus;1) &Sigma;<sub>k=1..T&minus;1</sub> ({@code R.get(k, k)} &minus;
     * {@code R.get(0, k)}). Note that {@code R.get(k, k)} is <em>not</em> the "just learned"
     * accuracy (that is {@code R.get(k + 1, k)}): it is measured after training tasks 0..k&minus;1.
     *
     * <p>Like BWT, GEM's published code averages over all T tasks (the first task contributing 0),
     * which equals {@code fwt(R) * (T - 1) / T}.
     *
     * @param r the accuracy matrix
     * @return FWT in [&minus;1, 1], or NaN when T = 1
     */
    public static double fwt(AccuracyMatrix r) {
        int t = r.numTasks();
        if (t < 2) {
            return Double.NaN;
        }
        double sum = 0.0;
        for (int k = 1; k < t; k++) {
            sum += r.get(k, k) - r.get(0, k);
        }
        return sum / (t - 1);
    }

    /**
     * Per-task forgetting at the end of the stream (Chaudhry et al. 2018):
     * f<sub>j</sub> = max<sub>l=j..T&minus;1</sub> R<sub>l,j</sub> &minus; R<sub>T,j</sub> for
     * j = 1..T&minus;1, i.e. for 0-based task k = 0..T&minus;2:
     * max<sub>l=k+1..T&minus;1</sub> {@code R.get(l, k)} &minus; {@code R.get(T, k)}.
     *
     * <p><b>Range of the max.</b> Only rows after the task was learned count (l &ge; j, 1-based):
     * the accuracy on a task before it was trained is never treated as knowledge that could be
     * forgotten. The paper writes the max over l = 1..T&minus;1; A-GEM's code
     * ({@code utils/utils.py}, {@code compute_fgt}) takes the max over all rows l &lt; T, including
     * those before task j was trained. The two agree unless a task's accuracy before training it
     * exceeds its best accuracy after training it. The initial row 0 is never included. The max
     * may lie off the diagonal (positive backward transfer raised the task's accuracy later), and
     * f<sub>j</sub> can be negative only if the final accuracy beats every earlier one.
     *
     * @param r the accuracy matrix
     * @return f of length T&minus;1 (element k for 0-based task k); empty when T = 1
     */
    public static double[] forgettingPerTask(AccuracyMatrix r) {
        int t = r.numTasks();
        double[] f = new double[Math.max(0, t - 1)];
        for (int k = 0; k < t - 1; k++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int l = k + 1; l <= t - 1; l++) {
                best = Math.max(best, r.get(l, k));
            }
            f[k] = best - r.get(t, k);
        }
        return f;
    }

    /**
     * Average forgetting F = 1/(T&minus;1) &Sigma;<sub>j=1..T&minus;1</sub> f<sub>j</sub>, with
     * f<sub>j</sub> as in {@link #forgettingPerTask} (max over the rows after task j was learned).
     *
     * @param r the accuracy matrix
     * @return F in [&minus;1, 1], or NaN when T = 1
     */
    public static double forgetting(AccuracyMatrix r) {
        int t = r.numTasks();
        if (t < 2) {
            return Double.NaN;
        }
        return mean(forgettingPerTask(r));
    }

    /**
     * Per-task intransigence (Chaudhry et al. 2018): I<sub>k</sub> = a*<sub>k</sub> &minus;
     * R<sub>k,k</sub>, where a*<sub>k</sub> is the accuracy on task k of a reference model trained
     * jointly on tasks 1..k (same architecture and evaluation mode), i.e. for 0-based k:
     * {@code jointDiagonal[k] - R.get(k + 1, k)}. Positive values mean the continual learner
     * could not learn task k as well as joint training.
     *
     * @param r the accuracy matrix
     * @param jointDiagonal a*<sub>k</sub> for 0-based k = 0..T&minus;1, each in [0, 1]; it comes
     *     from separate joint reference runs and is not part of R
     * @return I of length T
     * @throws IllegalArgumentException if the length is not T or a value is NaN or outside [0, 1]
     */
    public static double[] intransigencePerTask(AccuracyMatrix r, double[] jointDiagonal) {
        Objects.requireNonNull(jointDiagonal, "jointDiagonal");
        int t = r.numTasks();
        if (jointDiagonal.length != t) {
            throw new IllegalArgumentException("intransigence: jointDiagonal has " + jointDiagonal.length
                    + " entries, expected one per task (" + t + ")");
        }
        double[] in = new double[t];
        for (int k = 0; k < t; k++) {
            double a = jointDiagonal[k];
            if (!(a >= 0.0 && a <= 1.0)) {
                throw new IllegalArgumentException("intransigence: jointDiagonal[" + k + "] = " + a
                        + " is NaN or outside [0, 1]");
            }
            in[k] = a - r.get(k + 1, k);
        }
        return in;
    }

    /**
     * Average intransigence I = (1/T) &Sigma;<sub>k=1..T</sub> (a*<sub>k</sub> &minus;
     * R<sub>k,k</sub>); see {@link #intransigencePerTask}.
     *
     * @param r the accuracy matrix
     * @param jointDiagonal a*<sub>k</sub> for 0-based k = 0..T&minus;1
     * @return I in [&minus;1, 1]
     * @throws IllegalArgumentException if the length is not T or a value is NaN or outside [0, 1]
     */
    public static double intransigence(AccuracyMatrix r, double[] jointDiagonal) {
        return mean(intransigencePerTask(r, jointDiagonal));
    }

    private static double mean(double[] xs) {
        double sum = 0.0;
        for (double x : xs) {
            sum += x;
        }
        return sum / xs.length;
    }
}
