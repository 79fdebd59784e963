package org.cllab.hypernets.generators.icmlora;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskIncrementalPredictor;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.data.SubsetTaskData;
import org.cllab.core.data.TaskData;
import org.cllab.core.learners.Minibatch;
import org.cllab.core.learners.MinibatchSampler;
import org.cllab.core.loop.Budget;
import org.cllab.core.loop.OutputTerm;
import org.cllab.core.loop.TaskLoop;
import org.cllab.core.loop.TaskScope;
import org.cllab.core.loop.TrainingStep;
import org.cllab.core.nn.Adam;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.cllab.core.nn.StepScope;
import org.cllab.core.rng.Rng;
import org.cllab.core.spi.RunNotes;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.cllab.hypernets.generators.Cvae;
import org.cllab.hypernets.generators.TensorZScore;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICM-LoRA as a continual learner: Shao et al., "In-Context Meta LoRA Generation", IJCAI 2025 (authors' code
 * YihuaJerry/ICM-LoRA). The first {@code base_tasks} tasks pre-train a base MLP, which is then frozen; every later
 * task trains only a rank-r LoRA adapter on each linear layer, keeps the last N checkpoints of that training (each
 * tensor z-scored with its statistics stored), and computes its task vector (the mean last-hidden activation over a
 * few of its training samples, with the base or the adapted model). A conditional VAE, conditioned on the task
 * vector, is then updated on the task's checkpoints plus, for continual learning without stored weights, samples it
 * generated for the earlier tasks before the update (weight-space generative replay; {@code replay: stored} keeps
 * every real checkpoint instead, {@code none} neither).
 *
 * <p>A test query of task j is answered with the adapter the generator produces for j now: decode the prior mean
 * z = 0 (or, with {@code z_candidates > 0}, the best of that many draws on a validation split carved from j's
 * training data) under j's task vector, de-normalise with j's statistics, merge. So R[t][j] is the accuracy of the
 * adapter generated for task j after task t. A task the generator never saw ({@code held_out}) is generated from
 * its base-model task vector and the average statistics of the seen tasks. {@code answer} swaps the answer for the
 * comparisons of the acceptance tables (the trained adapter, the base alone, a random adapter, the generator under a
 * wrong task's vector); the same comparisons on the validation splits are logged at the end of a run
 * ({@link #endNote}). Details the paper leaves open (the MLP CVAE, per-task statistics, the replay sizes, the task
 * vector scaling) are our reconstruction.
 */
public final class IcmLoraLearner implements TaskAwareLearner, TaskIncrementalPredictor, RunNotes {
    private static final Logger LOG = LoggerFactory.getLogger(IcmLoraLearner.class);

    /** How the generator keeps earlier tasks while it learns a new one. */
    public enum Replay {
        /** Only the new task's checkpoints (catastrophic forgetting in weight space). */
        NONE,
        /** The new task's checkpoints plus samples the previous generator produces for the earlier tasks. */
        GENERATIVE,
        /** Every real checkpoint of every task so far (the non-continual upper bound). */
        STORED
    }

    /** What a test query of an adapter task is answered with. */
    public enum Answer {
        GENERATED, TRAINED, BASE, RANDOM, WRONG_TASK
    }

    /** Everything the learner needs, already checked. */
    public record Spec(int[] hidden, int rank, double alpha, int baseTasks, int baseEpochs, double baseLr,
                       int epochs, double lr, int batchSize, int checkpoints, int checkpointEvery,
                       TaskVectors.Source taskVector, int taskVectorSamples, int latent, int vaeHidden, int condEmb,
                       double klWeight, int generatorSteps, double generatorLr, int generatorBatch, Replay replay,
                       int replaySamples, int[] heldOut, int zCandidates, int validation, Answer answer) {
    }

    private static final int BASE = 0;
    private static final int ADAPTER = 1;
    private static final int UNSEEN = 2;

    private final Spec spec;
    private final LearnerContext context;
    private final LoraMlp model;
    private final int outputs;
    private final TaskLoop loop;
    private final Cvae vae;
    private final List<Integer> kinds = new ArrayList<>();
    private final TreeMap<Integer, float[]> trained = new TreeMap<>();
    private final TreeMap<Integer, TensorZScore> stats = new TreeMap<>();
    private final TreeMap<Integer, float[]> taskVectors = new TreeMap<>();
    private final TreeMap<Integer, float[]> baseTaskVectors = new TreeMap<>();
    private final TreeMap<Integer, List<float[]>> storedNormalised = new TreeMap<>();
    private final TreeMap<Integer, INDArray> valX = new TreeMap<>();
    private final TreeMap<Integer, int[]> valY = new TreeMap<>();
    private final TreeMap<Integer, float[]> generated = new TreeMap<>();
    private long checkpointsCollected;

    public IcmLoraLearner(Spec spec, LearnerContext context) {
        this.spec = spec;
        this.context = context;
        int out = 0;
        for (TaskInfo t : context.scenario().tasks()) {
            out = Math.max(out, t.numLocalClasses());
        }
        this.outputs = out;
        int[] sizes = new int[spec.hidden().length + 2];
        sizes[0] = context.scenario().featureDim();
        System.arraycopy(spec.hidden(), 0, sizes, 1, spec.hidden().length);
        sizes[sizes.length - 1] = out;
        this.model = new LoraMlp(sizes, spec.rank(), spec.alpha(), DataType.FLOAT);
        model.initBase(Rng.forComponent(context.seed(), "icm-lora/base-init"));
        this.loop = new TaskLoop(context, "icm-lora", List.of());
        this.vae = new Cvae(model.adapterSize(), model.lastHidden(), spec.condEmb(), spec.vaeHidden(), spec.latent(),
                spec.klWeight(), DataType.FLOAT);
        vae.init(Rng.forComponent(context.seed(), "icm-lora/generator-init"));
        LOG.info("icm-lora: base {} with rank-{} adapters of {} values; generator {} parameters ({} to generate)",
                Arrays.toString(sizes), spec.rank(), model.adapterSize(), vae.numParams(), vae.numDecoderParams());
    }

    @Override
    public java.util.Set<Mode> evaluationModes() {
        return java.util.EnumSet.of(Mode.TASK_INCREMENTAL);
    }

    private boolean heldOut(int t) {
        return Arrays.stream(spec.heldOut()).anyMatch(h -> h == t);
    }

    private boolean needsGenerator() {
        return spec.answer() == Answer.GENERATED || spec.answer() == Answer.WRONG_TASK;
    }

    @Override
    public void learn(TrainingExperience e) {
        int t = e.taskIndex();
        if (t != kinds.size()) {
            throw new IllegalStateException("icm-lora expects task " + kinds.size() + ", got " + t);
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            // a validation split for z selection and the end-of-run comparisons (never test data)
            int n = e.data().size();
            int held = Math.min(spec.validation(), n / 10);
            int[] perm = Rng.forComponent(context.seed(), "icm-lora/validation/task-" + t).permutation(n);
            int[] valIdx = Arrays.copyOf(perm, held);
            int[] trainIdx = Arrays.copyOfRange(perm, held, n);
            Arrays.sort(trainIdx);
            TaskData train = new SubsetTaskData(e.data(), trainIdx);
            valX.put(t, TaskVectors.rows(e.data(), valIdx));
            int[] vy = new int[held];
            for (int i = 0; i < held; i++) {
                vy[i] = e.data().localLabel(valIdx[i]);
            }
            valY.put(t, vy);
            int k = e.task().numLocalClasses();
            int[] tvIdx = Arrays.copyOf(trainIdx, Math.min(spec.taskVectorSamples(), trainIdx.length));
            INDArray tvX = TaskVectors.rows(e.data(), tvIdx);
            if (t < spec.baseTasks()) {
                train(e, train, false, spec.baseEpochs(), spec.baseLr(), k, 0, 0);
                kinds.add(BASE);
            } else {
                model.initAdapter(Rng.forComponent(context.seed(), "icm-lora/adapter-init/task-" + t));
                baseTaskVectors.put(t, TaskVectors.compute(model, tvX, false));
                List<float[]> ckpts = train(e, train, true, spec.epochs(), spec.lr(), k, spec.checkpoints(),
                        spec.checkpointEvery());
                checkpointsCollected += ckpts.size();
                trained.put(t, ckpts.get(ckpts.size() - 1));
                TensorZScore z = TensorZScore.fit(model.adapterTensorOffsets(), ckpts);
                stats.put(t, z);
                boolean adapted = spec.taskVector() == TaskVectors.Source.ADAPTED && !heldOut(t);
                taskVectors.put(t, adapted ? TaskVectors.compute(model, tvX, true) : baseTaskVectors.get(t));
                logCheckpoints(t, ckpts, z);
                if (heldOut(t)) {
                    kinds.add(UNSEEN);
                } else {
                    kinds.add(ADAPTER);
                    List<float[]> norm = ckpts.stream().map(z::normalise).toList();
                    if (needsGenerator()) {
                        trainGenerator(t, norm);
                    }
                    if (spec.replay() == Replay.STORED) {
                        storedNormalised.put(t, norm);
                    }
                }
            }
            regenerate();
        }
    }

    /** Trains the base (all its parameters) or the current adapter; returns the adapter checkpoints kept. */
    private List<float[]> train(TrainingExperience e, TaskData data, boolean adapter, int epochs, double lr,
                                int classes, int keep, int every) {
        ParamSet params = adapter ? model.adapterParams() : model.baseParams();
        Adam adam = new Adam(params.size(), lr);
        INDArray allowed = null;
        if (classes < outputs) {
            float[] m = new float[outputs];
            Arrays.fill(m, 0, classes, 1f);
            allowed = Nd4j.create(m, new long[] {1, outputs}, DataType.FLOAT);
        }
        INDArray mask = allowed;
        TrainingStep step = new TrainingStep() {
            @Override
            public ParamSet params() {
                return params;
            }

            @Override
            public double computeGradients(Minibatch batch, OutputTerm outputTerm) {
                INDArray logits = model.forward(batch.features(), adapter);
                SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, batch.localLabels(),
                        mask == null ? null : Nd4j.repeat(mask, batch.size()).reshape(batch.size(), outputs));
                double loss = r.loss();
                if (outputTerm != null) {
                    loss += outputTerm.add(batch, logits, r.dLogits());
                }
                model.backward(r.dLogits(), adapter);
                return loss;
            }

            @Override
            public void update() {
                adam.step(params.values(), params.gradients());
            }

            @Override
            public void resetOptimizer() {
                adam.reset();
            }
        };
        MinibatchSampler sampler = new MinibatchSampler(List.of(e.task()), List.of(data));
        long total = Budget.epochs(epochs).steps(sampler, spec.batchSize());
        List<float[]> ckpts = new ArrayList<>();
        TaskLoop.TaskRun run = loop.begin(new TaskScope(e.task(), data, sampler, context.seed()), spec.batchSize(),
                step, true);
        if (keep == 0) {
            run.train(Budget.iterations(total));
        } else {
            long first = Math.max(1, total - (long) (keep - 1) * every);
            run.train(Budget.iterations(first));
            ckpts.add(model.adapterFlat().toFloatVector());
            for (int i = 1; i < keep; i++) {
                run.train(Budget.iterations(every));
                ckpts.add(model.adapterFlat().toFloatVector());
            }
        }
        run.finish();
        return ckpts;
    }

    private INDArray matrix(List<float[]> rows, int dim) {
        float[] f = new float[rows.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, f, i * dim, dim);
        }
        return Nd4j.create(f, new long[] {rows.size(), dim}, DataType.FLOAT);
    }

    private INDArray gaussian(Rng rng, int n, int d) {
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {n, d}, DataType.FLOAT);
    }

    private float[] condition(int j) {
        return TaskVectors.condition(taskVectors.get(j));
    }

    /** Updates the generator after adapter task {@code t} with its normalised checkpoints and the replay rows. */
    private void trainGenerator(int t, List<float[]> current) {
        List<float[]> xs = new ArrayList<>(current);
        List<float[]> cs = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) {
            cs.add(condition(t));
        }
        Rng replayRng = Rng.forComponent(context.seed(), "icm-lora/replay/task-" + t);
        for (int j = 0; j < t; j++) {
            if (kinds.get(j) != ADAPTER) {
                continue;
            }
            if (spec.replay() == Replay.STORED) {
                xs.addAll(storedNormalised.get(j));
                for (int i = 0; i < storedNormalised.get(j).size(); i++) {
                    cs.add(condition(j));
                }
            } else if (spec.replay() == Replay.GENERATIVE) {
                int m = spec.replaySamples();
                INDArray c = Nd4j.repeat(Nd4j.create(condition(j), new long[] {1, model.lastHidden()}), m)
                        .reshape(m, model.lastHidden());
                INDArray out = vae.decode(gaussian(replayRng, m, vae.latent()), c);
                for (int i = 0; i < m; i++) {
                    xs.add(out.getRow(i).dup().toFloatVector());
                    cs.add(condition(j));
                }
            }
        }
        INDArray x = matrix(xs, vae.dim());
        INDArray c = matrix(cs, model.lastHidden());
        ParamSet params = vae.params();
        Adam adam = new Adam(params.size(), spec.generatorLr());
        Rng rng = Rng.forComponent(context.seed(), "icm-lora/generator/task-" + t);
        int rows = xs.size();
        Cvae.Loss loss = null;
        for (int s = 0; s < spec.generatorSteps(); s++) {
            try (StepScope scope = StepScope.open("icm-lora-vae")) {
                int[] idx = new int[spec.generatorBatch()];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = rng.nextInt(rows);
                }
                loss = vae.lossAndGradient(x.getRows(idx), c.getRows(idx), gaussian(rng, idx.length, vae.latent()));
                adam.step(params.values(), params.gradients());
            }
        }
        if (loss != null) {
            LOG.info(String.format(Locale.ROOT, "icm-lora: task %d generator on %d rows, last step mse %.4f kl %.3f",
                    t, rows, loss.mse(), loss.kl()));
        }
        logGenerated(t);
    }

    /** Logs the adapters generated now (z = 0) against the trained ones, on the validation splits (never test data). */
    private void logGenerated(int t) {
        {
            StringBuilder sb = new StringBuilder("icm-lora: after task " + t + " generated/trained validation "
                    + "accuracy and mse:");
            for (int j = 0; j <= t; j++) {
                if (kinds.get(j) != ADAPTER) {
                    continue;
                }
                float[] g = decode(j, Nd4j.zeros(DataType.FLOAT, 1, vae.latent()), condition(j)).get(0);
                float[] gn = stats.get(j).normalise(g);
                float[] tn = stats.get(j).normalise(trained.get(j));
                double mse = 0;
                for (int i = 0; i < gn.length; i++) {
                    mse += (gn[i] - tn[i]) * (gn[i] - tn[i]);
                }
                sb.append(String.format(Locale.ROOT, " %d:%.3f/%.3f/%.4f", j,
                        accuracy(g, valX.get(j), valY.get(j), j), accuracy(trained.get(j), valX.get(j), valY.get(j), j),
                        mse / gn.length));
            }
            LOG.info(sb.toString());
        }
    }

    /**
     * Logs the validation accuracy of the task's first, middle and last kept checkpoint and of their mean, and the
     * MSE (normalised space) of the last checkpoint to the mean: a generator trained on the checkpoints reproduces
     * about their mean, so the kept checkpoints must come from a converged adapter training.
     */
    private void logCheckpoints(int t, List<float[]> ckpts, TensorZScore z) {
        float[] mean = new float[ckpts.get(0).length];
        for (float[] c : ckpts) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += c[i] / ckpts.size();
            }
        }
        float[] last = ckpts.get(ckpts.size() - 1);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "icm-lora: task %d checkpoints, validation accuracy first %.3f middle %.3f last %.3f mean %.3f", t,
                accuracy(ckpts.get(0), valX.get(t), valY.get(t), t),
                accuracy(ckpts.get(ckpts.size() / 2), valX.get(t), valY.get(t), t),
                accuracy(last, valX.get(t), valY.get(t), t), accuracy(mean, valX.get(t), valY.get(t), t)));
        float[] ln = z.normalise(last);
        float[] mn = z.normalise(mean);
        double d = 0;
        for (int i = 0; i < ln.length; i++) {
            d += (ln[i] - mn[i]) * (ln[i] - mn[i]);
        }
        sb.append(String.format(Locale.ROOT, ", mse(last, mean) %.5f", d / ln.length));
        LOG.info(sb.toString());
    }

    private TensorZScore statsFor(int j) {
        if (kinds.get(j) == ADAPTER) {
            return stats.get(j);
        }
        List<TensorZScore> seen = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) == ADAPTER) {
                seen.add(stats.get(i));
            }
        }
        return seen.isEmpty() ? stats.get(j) : TensorZScore.average(seen);
    }

    /** The de-normalised adapter decoded for task {@code j} from latent rows {@code z} under condition {@code c}. */
    private List<float[]> decode(int j, INDArray z, float[] cond) {
        int m = (int) z.size(0);
        INDArray c = Nd4j.repeat(Nd4j.create(cond, new long[] {1, cond.length}), m).reshape(m, cond.length);
        INDArray out = vae.decode(z, c);
        TensorZScore s = statsFor(j);
        List<float[]> res = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            res.add(s.denormalise(out.getRow(i).dup().toFloatVector()));
        }
        return res;
    }

    /** The adapter the generator produces for task j under the given condition. */
    private float[] generate(int j, float[] cond) {
        if (spec.zCandidates() == 0) {
            return decode(j, Nd4j.zeros(DataType.FLOAT, 1, vae.latent()), cond).get(0);
        }
        Rng rng = Rng.forComponent(context.seed(), "icm-lora/select/task-" + j + "/after-" + (kinds.size() - 1));
        List<float[]> cands = decode(j, gaussian(rng, spec.zCandidates(), vae.latent()), cond);
        float[] best = null;
        double bestAcc = -1;
        for (float[] a : cands) {
            double acc = accuracy(a, valX.get(j), valY.get(j), j);
            if (acc > bestAcc) {
                bestAcc = acc;
                best = a;
            }
        }
        return best;
    }

    private void regenerate() {
        generated.clear();
        if (!needsGenerator()) {
            return;
        }
        for (int j = 0; j < kinds.size(); j++) {
            if (kinds.get(j) != BASE) {
                generated.put(j, generate(j, condition(j)));
            }
        }
    }

    /** Another adapter task's index (the next one, cyclically), for the wrong-vector comparison. */
    private int wrongTask(int j) {
        List<Integer> adapters = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) == ADAPTER && i != j) {
                adapters.add(i);
            }
        }
        if (adapters.isEmpty()) {
            return j;
        }
        for (int i : adapters) {
            if (i > j) {
                return i;
            }
        }
        return adapters.get(0);
    }

    /** An adapter drawn from N(mean, std) per tensor with the statistics used for task j. */
    private float[] randomAdapter(int j) {
        TensorZScore s = statsFor(j);
        Rng rng = Rng.forComponent(context.seed(), "icm-lora/random-adapter/task-" + j);
        float[] v = new float[model.adapterSize()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return s.denormalise(v);
    }

    /** The adapter (or null for the base alone) that answers task j under {@code answer}. */
    private float[] adapterFor(int j, Answer answer) {
        if (j >= kinds.size() || kinds.get(j) == BASE) {
            return null;
        }
        return switch (answer) {
            case GENERATED -> generated.get(j);
            case TRAINED -> trained.get(j);
            case BASE -> null;
            case RANDOM -> randomAdapter(j);
            case WRONG_TASK -> generate(j, condition(wrongTask(j)));
        };
    }

    private int[] answer(INDArray x, float[] adapter, int classes) {
        INDArray logits;
        if (adapter == null) {
            logits = model.forward(x, false);
        } else {
            model.adapterFlat().assign(Nd4j.create(adapter, new long[] {1, adapter.length}));
            logits = model.forward(x, true);
        }
        int n = (int) logits.size(0);
        float[] l = logits.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (l[i * outputs + c] > l[i * outputs + best]) {
                    best = c;
                }
            }
            pred[i] = best;
        }
        return pred;
    }

    private double accuracy(float[] adapter, INDArray x, int[] y, int j) {
        if (y.length == 0) {
            return Double.NaN;
        }
        int[] p = answer(x, adapter, context.scenario().task(j).numLocalClasses());
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += p[i] == y[i] ? 1 : 0;
        }
        return ok / (double) y.length;
    }

    @Override
    public int[] predict(TaskIncrementalQuery q) {
        int j = q.task().index();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return answer(q.features().castTo(DataType.FLOAT), adapterFor(j, spec.answer()),
                    q.task().numLocalClasses());
        }
    }

    @Override
    public String startNote() {
        return String.format(Locale.ROOT, "icm-lora: adapter %d values, generator %d parameters (%d to generate)",
                model.adapterSize(), vae.numParams(), vae.numDecoderParams());
    }

    /**
     * Per adapter task, on its validation split (carved from its training data): the accuracy of the trained,
     * generated, base-only, random and wrong-vector answers, and the generated adapter's MSE (normalised space) and
     * cosine similarity (raw) to the trained one; then the storage ratio. One line per task, machine-readable.
     */
    @Override
    public String endNote() {
        StringBuilder sb = new StringBuilder("icm-lora validation comparison (answer=" + spec.answer() + "):");
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (int j = 0; j < kinds.size(); j++) {
                if (kinds.get(j) == BASE) {
                    continue;
                }
                INDArray x = valX.get(j);
                int[] y = valY.get(j);
                float[] tr = trained.get(j);
                sb.append(String.format(Locale.ROOT, "%n  ICMVAL task=%d kind=%s n=%d trained=%.4f base=%.4f "
                                + "random=%.4f", j, kinds.get(j) == ADAPTER ? "seen" : "unseen", y.length,
                        accuracy(tr, x, y, j), accuracy(null, x, y, j), accuracy(randomAdapter(j), x, y, j)));
                if (needsGenerator()) {
                    float[] gen = generated.containsKey(j) ? generated.get(j) : generate(j, condition(j));
                    float[] gn = statsFor(j).normalise(gen);
                    float[] tn = statsFor(j).normalise(tr);
                    double mse = 0;
                    double dot = 0;
                    double ng = 0;
                    double nt = 0;
                    for (int i = 0; i < gn.length; i++) {
                        mse += (gn[i] - tn[i]) * (gn[i] - tn[i]);
                        dot += (double) gen[i] * tr[i];
                        ng += (double) gen[i] * gen[i];
                        nt += (double) tr[i] * tr[i];
                    }
                    sb.append(String.format(Locale.ROOT, " generated=%.4f wrong=%.4f mse=%.5f cosine=%.4f",
                            accuracy(gen, x, y, j), accuracy(generate(j, condition(wrongTask(j))), x, y, j),
                            mse / gn.length, dot / Math.sqrt(ng * nt)));
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "%n  ICMSTORAGE generator=%d decoder=%d checkpoints=%d adapter=%d "
                        + "ratio=%.4f decoder_ratio=%.4f", vae.numParams(), vae.numDecoderParams(),
                checkpointsCollected, model.adapterSize(),
                vae.numParams() / (double) (checkpointsCollected * model.adapterSize()),
                vae.numDecoderParams() / (double) (checkpointsCollected * model.adapterSize())));
        return sb.toString();
    }

    private static INDArray row(float[] v) {
        return Nd4j.create(v, new long[] {1, v.length}, DataType.FLOAT);
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        out.putArray("icm/base", model.baseFlat());
        vae.save("icm/generator", out);
        out.putInts("icm/kinds", kinds.stream().mapToInt(Integer::intValue).toArray());
        out.putLong("icm/checkpoints", checkpointsCollected);
        for (int j = 0; j < kinds.size(); j++) {
            String p = "icm/task-" + j;
            out.putArray(p + "/val-x", valX.get(j));
            out.putInts(p + "/val-y", valY.get(j));
            if (kinds.get(j) == BASE) {
                continue;
            }
            out.putArray(p + "/trained", row(trained.get(j)));
            out.putArray(p + "/tv", row(taskVectors.get(j)));
            out.putArray(p + "/tv-base", row(baseTaskVectors.get(j)));
            TensorZScore z = stats.get(j);
            out.putArray(p + "/mean", Nd4j.create(z.mean(), new long[] {1, z.mean().length}, DataType.DOUBLE));
            out.putArray(p + "/std", Nd4j.create(z.std(), new long[] {1, z.std().length}, DataType.DOUBLE));
            if (storedNormalised.containsKey(j)) {
                out.putArray(p + "/stored", matrix(storedNormalised.get(j), model.adapterSize()));
            }
        }
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            model.baseFlat().assign(in.array("icm/base").reshape(model.baseFlat().shape()));
            vae.load("icm/generator", in);
            kinds.clear();
            trained.clear();
            stats.clear();
            taskVectors.clear();
            baseTaskVectors.clear();
            storedNormalised.clear();
            valX.clear();
            valY.clear();
            for (int k : in.ints("icm/kinds")) {
                kinds.add(k);
            }
            checkpointsCollected = in.getLong("icm/checkpoints");
            for (int j = 0; j < kinds.size(); j++) {
                String p = "icm/task-" + j;
                valX.put(j, in.array(p + "/val-x"));
                valY.put(j, in.ints(p + "/val-y"));
                if (kinds.get(j) == BASE) {
                    continue;
                }
                trained.put(j, in.array(p + "/trained").toFloatVector());
                taskVectors.put(j, in.array(p + "/tv").toFloatVector());
                baseTaskVectors.put(j, in.array(p + "/tv-base").toFloatVector());
                stats.put(j, new TensorZScore(model.adapterTensorOffsets(), in.array(p + "/mean").toDoubleVector(),
                        in.array(p + "/std").toDoubleVector()));
                if (in.has(p + "/stored")) {
                    INDArray m = in.array(p + "/stored");
                    List<float[]> rows = new ArrayList<>();
                    for (int i = 0; i < m.size(0); i++) {
                        rows.add(m.getRow(i).dup().toFloatVector());
                    }
                    storedNormalised.put(j, rows);
                }
            }
            regenerate();
        }
    }
}
