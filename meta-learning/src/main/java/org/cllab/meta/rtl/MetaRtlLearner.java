package org.cllab.meta.rtl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cllab.core.api.DivergedException;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskIncrementalPredictor;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.data.TaskData;
import org.cllab.core.data.ValidationSplit;
import org.cllab.core.nn.Activation;
import org.cllab.core.nn.Mlp;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.cllab.core.rng.Rng;
import org.cllab.core.spi.LearnerTraces;
import org.cllab.core.spi.RunNotes;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Meta-RTL: reinforcement-based multi-source meta-transfer to a low-resource target (Fu et al., "Meta-RTL:
 * Reinforcement-Based Meta-Transfer Learning for Low-Resource Commonsense Reasoning", arXiv 2409.19075), on MLPs
 * instead of BERT/ALBERT. From the abstract: multi-source meta-transfer; source weights estimated dynamically by
 * reinforcement learning; reward = the meta model's target loss minus each source-specific temporal meta model's
 * target loss on sampled target data; an LSTM policy across meta-iterations. <b>Everything else is our
 * reconstruction</b>:
 *
 * <ul>
 *   <li>Model: a shared MLP body (ReLU after every layer) and one 10-way linear head per source and per stream task
 *   (the target).</li>
 *   <li>Meta-iteration: (a) {@code head_steps} SGD steps on the target head alone (body fixed) on K-shot target
 *   batches, so that target losses are measured through a head fitted to the current body; (b) one target training
 *   batch B is sampled (the K-shot images; never validation or test data); (c) per source i a temporal model = the
 *   meta model after {@code inner_steps} SGD steps on source i (body and head i); (d) {@code reward_i = L_B(meta) -
 *   L_B(temporal_i)} through the target head; (e) weighted Reptile (Nichol et al. 2018) on the body, {@code theta <-
 *   theta + meta_lr * sum_i w_i (theta_i - theta)}, head i taking temporal model i's values; (f) one REINFORCE step
 *   of the policy ({@link Reinforce}).</li>
 *   <li>Reward options (ours, not in the paper; both off by default): {@code reward_snapshot_every = N > 0}
 *   measures the rewards of step (d) against a reference snapshot (body, target head, source heads) taken every N
 *   meta-iterations instead of the current meta model (the snapshot's target head keeps taking the {@code
 *   head_steps} target-head steps on the snapshot body each iteration, so that it stays fitted to it): temporal
 *   model i = the snapshot after {@code inner_steps} SGD
 *   steps on source i, {@code reward_i = L_B(snapshot) - L_B(temporal_i)}, so that a source's reward does not fall
 *   merely because the current body has absorbed it (the Reptile update still uses temporal models of the current
 *   body; the snapshot's temporal models and head cost {@code S * inner_steps + head_steps} extra SGD steps per
 *   iteration and change no parameter of the meta model). {@code reward_smoothing = rho > 0} gives the policy a per-source exponential moving average of the
 *   rewards, {@code rbar_i <- rho rbar_i + (1 - rho) r_i} (started at the first iteration's rewards, restarted per
 *   task), a backward-view discounted return. The snapshot and the averages live within one task's meta-training
 *   (the learner is checkpointed at task boundaries), so they are not part of the saved state.</li>
 *   <li>Then fine-tuning of body and target head on the K-shot data with SGD for {@code finetune_steps}, selecting
 *   the parameters with the best accuracy on the target's validation split ({@link ValidationSplit}; checked every
 *   {@code eval_every} steps); without a validation split the last parameters are kept.</li>
 * </ul>
 *
 * {@code weighting} gives Meta-RTL ({@code lstm}) and the baselines on the same budget (same meta-iterations, source
 * SGD steps, head steps and fine-tuning): {@code mlp} (memoryless policy), {@code uniform} (plain multi-source
 * Reptile), {@code single} (all weight on {@code source}), {@code multitask} (the same number of SGD steps, taken
 * directly on the meta model over the sources in turn: multi-task pre-training), {@code none} (target only: no
 * source step). On a task without sources (an ordinary stream) the learner fine-tunes that task's head and the body.
 */
public final class MetaRtlLearner implements TaskAwareLearner, TaskIncrementalPredictor, LearnerTraces, RunNotes {
    /** How source weights are set. */
    public enum Weighting { LSTM, MLP, UNIFORM, SINGLE, MULTITASK, NONE }

    /** The learner's settings (bound from {@code learner.meta_rtl.*}). */
    public record Config(int[] hidden, Weighting weighting, int source, int metaIterations, int innerSteps,
                         double innerLr, double metaLr, int headSteps, int batchSize, int policyHidden,
                         double policyLr, int policyWindow, int policySamples, double entropyBonus,
                         double baselineDecay, int finetuneSteps, double finetuneLr, int evalEvery,
                         int rewardSnapshotEvery, double rewardSmoothing) {
        /** The settings as before the reward options (rewards from the current body, no smoothing). */
        public Config(int[] hidden, Weighting weighting, int source, int metaIterations, int innerSteps,
                      double innerLr, double metaLr, int headSteps, int batchSize, int policyHidden,
                      double policyLr, int policyWindow, int policySamples, double entropyBonus,
                      double baselineDecay, int finetuneSteps, double finetuneLr, int evalEvery) {
            this(hidden, weighting, source, metaIterations, innerSteps, innerLr, metaLr, headSteps, batchSize,
                    policyHidden, policyLr, policyWindow, policySamples, entropyBonus, baselineDecay, finetuneSteps,
                    finetuneLr, evalEvery, 0, 0.0);
        }

        public Config {
            if (rewardSnapshotEvery < 0) {
                throw new IllegalArgumentException("learner.meta_rtl.reward_snapshot_every must be >= 0, got "
                        + rewardSnapshotEvery);
            }
            if (!(rewardSmoothing >= 0 && rewardSmoothing < 1)) {
                throw new IllegalArgumentException("learner.meta_rtl.reward_smoothing must be in [0, 1), got "
                        + rewardSmoothing);
            }
        }
    }

    private final Config cfg;
    private final LearnerContext ctx;
    private final Mlp body;
    private final Map<String, Mlp> heads = new TreeMap<>();
    private final Rng rng;
    private final long seed;
    private SourcePolicy policy;
    private List<String> sourceNames = List.of();
    private final List<double[]> weightRows = new ArrayList<>();
    private final List<double[]> rewardRows = new ArrayList<>();
    private final List<double[]> validationRows = new ArrayList<>();

    public MetaRtlLearner(Config cfg, LearnerContext ctx) {
        this.cfg = cfg;
        this.ctx = ctx;
        this.seed = ctx.seed();
        int[] sizes = new int[cfg.hidden().length + 1];
        sizes[0] = ctx.scenario().featureDim();
        System.arraycopy(cfg.hidden(), 0, sizes, 1, cfg.hidden().length);
        Rng init = Rng.forComponent(seed, "meta-rtl/init");
        body = new Mlp(sizes, Activation.RELU);
        body.init(init);
        for (TaskInfo t : ctx.scenario().tasks()) {
            heads.put(taskHead(t.index()), newHead(t.numLocalClasses(), "task/" + t.index()));
        }
        rng = Rng.forComponent(seed, "meta-rtl/train");
    }

    private Mlp newHead(int classes, String name) {
        Mlp h = new Mlp(new int[] {cfg.hidden()[cfg.hidden().length - 1], classes}, Activation.RELU);
        h.init(Rng.forComponent(seed, "meta-rtl/head/" + name));
        return h;
    }

    private static String taskHead(int t) {
        return "task-" + t;
    }

    private static String sourceHead(String key) {
        return "source-" + key;
    }

    @Override
    public java.util.Set<Mode> evaluationModes() {
        return java.util.EnumSet.of(Mode.TASK_INCREMENTAL);
    }

    // ---------------------------------------------------------------- model pieces

    private static INDArray relu(INDArray z) {
        return Transforms.relu(z, true);
    }

    private static INDArray logits(Mlp body, Mlp head, INDArray x) {
        return head.output(relu(body.output(x)));
    }

    /** Loss of (body, head) on a batch, without changing anything. */
    private static double loss(Mlp body, Mlp head, Batch b) {
        return SoftmaxCrossEntropy.compute(logits(body, head, b.x), b.y, null).loss();
    }

    /** One SGD step on (body, head); the body is left unchanged when {@code bodyLr == 0}. */
    private static double sgd(Mlp body, Mlp head, Batch b, double bodyLr, double headLr) {
        INDArray z = body.forward(b.x);
        INDArray a = relu(z);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(head.forward(a), b.y, null);
        if (bodyLr == 0) {
            head.backward(r.dLogits());
        } else {
            INDArray dA = head.backwardToInput(r.dLogits());
            body.backward(dA.muli(z.gt(0).castTo(dA.dataType())));
            body.params().subi(body.gradient().mul(bodyLr));
        }
        head.params().subi(head.gradient().mul(headLr));
        return r.loss();
    }

    /** A sampled minibatch (inputs and local labels). */
    private record Batch(INDArray x, int[] y) {
    }

    private Batch sample(TaskData d, int n) {
        int size = Math.min(n, d.size());
        int[] idx = new int[size];
        if (size == d.size()) {
            idx = rng.permutation(size);
        } else {
            for (int i = 0; i < size; i++) {
                idx[i] = rng.nextInt(d.size());
            }
        }
        return gather(d, idx);
    }

    private static Batch gather(TaskData d, int[] idx) {
        int dim = d.featureDim();
        float[] f = new float[idx.length * dim];
        int[] y = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            d.copyFeatures(idx[i], f, i * dim);
            y[i] = d.localLabel(idx[i]);
        }
        return new Batch(Nd4j.create(f, new long[] {idx.length, dim}, DataType.FLOAT), y);
    }

    private static double accuracy(Mlp body, Mlp head, TaskData d) {
        int correct = 0;
        for (int from = 0; from < d.size(); from += 500) {
            int n = Math.min(500, d.size() - from);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = from + i;
            }
            Batch b = gather(d, idx);
            int[] p = logits(body, head, b.x).argMax(1).toIntVector();
            for (int i = 0; i < n; i++) {
                correct += p[i] == b.y[i] ? 1 : 0;
            }
        }
        return d.size() == 0 ? 0 : (double) correct / d.size();
    }

    // ---------------------------------------------------------------- training

    @Override
    public void learn(TrainingExperience exp) {
        TaskInfo task = exp.task();
        TrainingListener listener = ctx.listener();
        Mlp head = heads.get(taskHead(task.index()));
        List<String> keys = new ArrayList<>(new TreeMap<>(exp.sources()).keySet());
        boolean meta = !keys.isEmpty() && cfg.weighting() != Weighting.NONE && cfg.metaIterations() > 0;
        long total = (meta ? cfg.metaIterations() : 0) + cfg.finetuneSteps();
        listener.onTaskStart(task, total);
        long step = 0;
        if (meta) {
            startSources(keys);
            List<TaskData> sources = keys.stream().map(exp.sources()::get).toList();
            RewardState rs = new RewardState();
            for (int it = 0; it < cfg.metaIterations(); it++) {
                double l = metaIteration(task, exp.data(), head, sources, it, rs);
                listener.onStep(task, ++step, l);
            }
        }
        finetune(task, exp.data(), head, listener, step);
        listener.onTaskEnd(task);
    }

    private void startSources(List<String> keys) {
        if (!sourceNames.equals(keys)) {
            if (!sourceNames.isEmpty()) {
                throw new IllegalStateException("meta-rtl: sources changed from " + sourceNames + " to " + keys);
            }
            sourceNames = List.copyOf(keys);
            for (String k : keys) {
                heads.put(sourceHead(k), newHead(10, "source/" + k));
            }
            policy = newPolicy(keys.size());
        }
        if (cfg.weighting() == Weighting.SINGLE && cfg.source() >= keys.size()) {
            throw new IllegalArgumentException("learner.meta_rtl.source: " + cfg.source() + " but there are only "
                    + keys.size() + " sources");
        }
    }

    private SourcePolicy newPolicy(int s) {
        Rng prng = Rng.forComponent(seed, "meta-rtl/policy");
        Reinforce r = new Reinforce(cfg.policySamples(), cfg.entropyBonus(), cfg.baselineDecay());
        return switch (cfg.weighting()) {
            case LSTM -> new LstmPolicy(s, cfg.policyHidden(), cfg.policyLr(), r, cfg.policyWindow(), prng);
            case MLP -> new MlpPolicy(s, cfg.policyHidden(), cfg.policyLr(), r, prng);
            default -> null;
        };
    }

    private double[] currentWeights() {
        int s = sourceNames.size();
        double[] w = new double[s];
        switch (cfg.weighting()) {
            case LSTM, MLP -> w = policy.weights();
            case SINGLE -> w[cfg.source()] = 1;
            default -> Arrays.fill(w, 1.0 / s);
        }
        return w;
    }

    /** Per-task state of the reward options: the reference snapshot and the smoothed rewards. */
    private static final class RewardState {
        Mlp body;
        Mlp targetHead;
        List<Mlp> sourceHeads;
        double[] smoothed;
    }

    /**
     * Exponential moving average of rewards: {@code rho * prev + (1 - rho) * r}, or {@code r} itself when there is no
     * previous average.
     */
    static double[] smooth(double[] prev, double[] r, double rho) {
        if (prev == null) {
            return r.clone();
        }
        double[] out = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = rho * prev[i] + (1 - rho) * r[i];
        }
        return out;
    }

    /**
     * The reward of one temporal model: {@code L_B(refBody, targetHead) - L_B(temporal, targetHead)}, temporal =
     * (refBody, sourceHead) after one SGD step (rate {@code lr}, body and source head) on each of {@code sourceX/Y} in
     * turn. Nothing passed in is changed.
     */
    static double temporalReward(Mlp refBody, Mlp targetHead, Mlp sourceHead, List<INDArray> sourceX,
                                 List<int[]> sourceY, INDArray targetX, int[] targetY, double lr) {
        Batch b = new Batch(targetX, targetY);
        List<Batch> steps = new ArrayList<>();
        for (int k = 0; k < sourceX.size(); k++) {
            steps.add(new Batch(sourceX.get(k), sourceY.get(k)));
        }
        Mlp tb = temporal(refBody, sourceHead, steps, lr)[0];
        return loss(refBody, targetHead, b) - loss(tb, targetHead, b);
    }

    /**
     * A temporal model: copies of {@code body} and {@code head} after one SGD step (rate {@code lr} for both) on each
     * batch in turn; returns {@code {body, head}}, the inputs unchanged.
     */
    private static Mlp[] temporal(Mlp body, Mlp head, List<Batch> batches, double lr) {
        Mlp tb = body.copy();
        Mlp th = head.copy();
        for (Batch sb : batches) {
            sgd(tb, th, sb, lr, lr);
        }
        return new Mlp[] {tb, th};
    }

    /** One meta-iteration; returns the meta model's loss on the target batch. */
    private double metaIteration(TaskInfo task, TaskData target, Mlp targetHead, List<TaskData> sources, int it,
                                 RewardState rs) {
        int s = sources.size();
        for (int k = 0; k < cfg.headSteps(); k++) {
            sgd(body, targetHead, sample(target, cfg.batchSize()), 0, cfg.innerLr());
        }
        Batch b = sample(target, cfg.batchSize());
        double metaLoss = loss(body, targetHead, b);
        double[] w = currentWeights();
        if (cfg.weighting() == Weighting.MULTITASK) {
            for (int k = 0; k < cfg.innerSteps(); k++) {
                for (int i = 0; i < s; i++) {
                    sgd(body, heads.get(sourceHead(sourceNames.get(i))), sample(sources.get(i), cfg.batchSize()),
                            cfg.innerLr(), cfg.innerLr());
                }
            }
            weightRows.add(w);
            rewardRows.add(new double[s]);
            return check(task, metaLoss);
        }
        double[] rewards = new double[s];
        INDArray theta = body.params().dup();
        INDArray delta = Nd4j.zerosLike(theta);
        List<Mlp> sourceHeadsBefore = new ArrayList<>();
        for (int i = 0; i < s; i++) {
            if (cfg.rewardSnapshotEvery() > 0 && it % cfg.rewardSnapshotEvery() == 0) {
                sourceHeadsBefore.add(heads.get(sourceHead(sourceNames.get(i))).copy());
            }
            List<Batch> steps = new ArrayList<>();
            for (int k = 0; k < cfg.innerSteps(); k++) {
                steps.add(sample(sources.get(i), cfg.batchSize()));
            }
            Mlp[] t = temporal(body, heads.get(sourceHead(sourceNames.get(i))), steps, cfg.innerLr());
            Mlp tb = t[0];
            Mlp th = t[1];
            rewards[i] = metaLoss - loss(tb, targetHead, b);
            delta.addi(tb.params().sub(theta).muli(w[i]));
            heads.get(sourceHead(sourceNames.get(i))).params().assign(th.params());
        }
        int every = cfg.rewardSnapshotEvery();
        if (every > 0) {
            if (it % every == 0) {
                // the snapshot is the current meta model (before this iteration's update): its rewards are those above
                rs.body = body.copy();
                rs.targetHead = targetHead.copy();
                rs.sourceHeads = sourceHeadsBefore;
            } else {
                // the snapshot keeps its own target head fitted to its (frozen) body: the same head steps
                for (int k = 0; k < cfg.headSteps(); k++) {
                    sgd(rs.body, rs.targetHead, sample(target, cfg.batchSize()), 0, cfg.innerLr());
                }
                for (int i = 0; i < s; i++) {
                    List<INDArray> xs = new ArrayList<>();
                    List<int[]> ys = new ArrayList<>();
                    for (int k = 0; k < cfg.innerSteps(); k++) {
                        Batch sb = sample(sources.get(i), cfg.batchSize());
                        xs.add(sb.x);
                        ys.add(sb.y);
                    }
                    rewards[i] = temporalReward(rs.body, rs.targetHead, rs.sourceHeads.get(i), xs, ys, b.x, b.y,
                            cfg.innerLr());
                }
            }
        }
        body.params().addi(delta.muli(cfg.metaLr()));
        if (cfg.rewardSmoothing() > 0) {
            rs.smoothed = smooth(rs.smoothed, rewards, cfg.rewardSmoothing());
        }
        if (policy != null) {
            policy.update(cfg.rewardSmoothing() > 0 ? rs.smoothed : rewards, rng);
        }
        weightRows.add(w);
        rewardRows.add(rewards);
        return check(task, metaLoss);
    }

    private double check(TaskInfo task, double loss) {
        if (!Double.isFinite(loss)) {
            throw new DivergedException(task.index(), weightRows.size(), "meta-rtl target loss", String.valueOf(loss));
        }
        return loss;
    }

    private void finetune(TaskInfo task, TaskData data, Mlp head, TrainingListener listener, long step) {
        TaskData validation = data instanceof ValidationSplit v ? v.validation() : null;
        INDArray bestBody = null;
        INDArray bestHead = null;
        double best = -1;
        for (int k = 1; k <= cfg.finetuneSteps(); k++) {
            double l = sgd(body, head, sample(data, cfg.batchSize()), cfg.finetuneLr(), cfg.finetuneLr());
            listener.onStep(task, ++step, check(task, l));
            if (validation != null && (k % cfg.evalEvery() == 0 || k == cfg.finetuneSteps())) {
                double acc = accuracy(body, head, validation);
                validationRows.add(new double[] {k, acc});
                if (acc > best) {
                    best = acc;
                    bestBody = body.params().dup();
                    bestHead = head.params().dup();
                }
            }
        }
        if (bestBody != null) {
            body.params().assign(bestBody);
            head.params().assign(bestHead);
        }
    }

    @Override
    public int[] predict(TaskIncrementalQuery q) {
        return logits(body, heads.get(taskHead(q.task().index())), q.features()).argMax(1).toIntVector();
    }

    // ---------------------------------------------------------------- reporting and state

    @Override
    public List<Trace> traces() {
        if (weightRows.isEmpty()) {
            return List.of();
        }
        List<String> cols = sourceNames.stream().map(k -> k.substring(k.indexOf(':') + 1)).toList();
        List<Trace> out = new ArrayList<>();
        out.add(new Trace("source_weights", "meta-iteration", "source weight", cols,
                weightRows.toArray(double[][]::new)));
        out.add(new Trace("source_rewards", "meta-iteration", "reward (target loss decrease)", cols,
                rewardRows.toArray(double[][]::new)));
        if (!validationRows.isEmpty()) {
            out.add(new Trace("finetune_validation", "evaluation", "step / validation accuracy",
                    List.of("step", "accuracy"), validationRows.toArray(double[][]::new)));
        }
        return out;
    }

    @Override
    public String endNote() {
        if (weightRows.isEmpty()) {
            return "";
        }
        double[] mean = new double[sourceNames.size()];
        int from = weightRows.size() - Math.max(1, weightRows.size() / 5);
        for (int r = from; r < weightRows.size(); r++) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += weightRows.get(r)[i] / (weightRows.size() - from);
            }
        }
        StringBuilder sb = new StringBuilder("meta-rtl: mean source weights over the last 20 % of meta-iterations:");
        for (int i = 0; i < mean.length; i++) {
            sb.append(String.format(" %s=%.3f", sourceNames.get(i), mean[i]));
        }
        return sb.toString();
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        out.putArray("body", body.params());
        out.putString("heads", String.join("\n", heads.keySet()));
        for (Map.Entry<String, Mlp> e : heads.entrySet()) {
            out.putArray("head/" + e.getKey(), e.getValue().params());
        }
        out.putLong("rng", rng.state());
        out.putString("sources", String.join("\n", sourceNames));
        if (policy != null) {
            policy.save("policy/", out);
        }
        putRows(out, "weights", weightRows);
        putRows(out, "rewards", rewardRows);
        putRows(out, "validation", validationRows);
    }

    private static void putRows(StateWriter out, String name, List<double[]> rows) throws IOException {
        int cols = rows.isEmpty() ? 0 : rows.get(0).length;
        double[] flat = new double[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, flat, r * cols, cols);
        }
        out.putInts(name + "/shape", new int[] {rows.size(), cols});
        out.putArray(name, Nd4j.createFromArray(flat.length == 0 ? new double[1] : flat));
    }

    private static void getRows(StateReader in, String name, List<double[]> rows) {
        rows.clear();
        int[] shape = in.ints(name + "/shape");
        double[] flat = in.array(name).toDoubleVector();
        for (int r = 0; r < shape[0]; r++) {
            rows.add(Arrays.copyOfRange(flat, r * shape[1], (r + 1) * shape[1]));
        }
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        body.params().assign(in.array("body"));
        String src = in.getString("sources");
        if (!src.isEmpty()) {
            List<String> keys = List.of(src.split("\n"));
            sourceNames = List.of();
            startSources(keys);
        }
        for (String k : in.getString("heads").split("\n")) {
            heads.get(k).params().assign(in.array("head/" + k));
        }
        rng.setState(in.getLong("rng"));
        if (policy != null) {
            policy.load("policy/", in);
        }
        getRows(in, "weights", weightRows);
        getRows(in, "rewards", rewardRows);
        getRows(in, "validation", validationRows);
    }
}
