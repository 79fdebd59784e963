package org.cllab.hypernets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.cllab.core.api.ClassIncrementalPredictor;
import org.cllab.core.api.ClassIncrementalQuery;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskIncrementalPredictor;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.api.TaskInferrer;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.data.Batches;
import org.cllab.core.data.SubsetTaskData;
import org.cllab.core.data.TaskData;
import org.cllab.core.learners.EntropyTaskInference;
import org.cllab.core.loop.Budget;
import org.cllab.core.loop.OnTaskLoop;
import org.cllab.core.loop.OutputTerm;
import org.cllab.core.loop.TaskLoop;
import org.cllab.core.loop.TaskScope;
import org.cllab.core.loop.TrainingStep;
import org.cllab.core.nn.ParamOptimizer;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.learners.Minibatch;
import org.cllab.core.learners.MinibatchSampler;
import org.cllab.core.learners.MlpLearnerSpec;
import org.cllab.core.learners.OutputLayout;
import org.cllab.core.nn.Adam;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.cllab.core.nn.StepScope;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A continual learner whose target network's weights all come from a {@link HyperNetwork} conditioned on a learned
 * task embedding: HNET (von Oswald, Henning, Grewe, Sacramento; ICLR 2020) with a {@link ChunkedHyperNetwork}, the
 * RNN hypernetwork (Chandra et al., WACV 2023) with an {@link RnnHyperNetwork}. A hypernetwork generates all weights
 * of a multi-head target MLP from a learned task embedding. Learning task {@code t} minimises
 * {@code CE(f(x; h(e_t, theta))) + beta/t * sum_{j<t} ||h(e_j, theta) - h(e_j, theta*)||^2}, where the targets
 * {@code h(e_j, theta*)} are computed once when the task starts. Only the current embedding and the shared parameters
 * are trained (hypnettorch's example). With {@code lookahead} the regulariser is evaluated at
 * {@code theta + delta-theta}, the step the task loss alone would make (the paper's look-ahead, hypnettorch's
 * default; delta-theta treated as a constant).
 *
 * <p>Task-incremental prediction uses the query's embedding and head. Class-incremental prediction (HNET+ENT) runs
 * every learned embedding and picks, per sample, the task whose head's softmax has the lowest entropy; the same rule
 * answers {@link TaskInferrer} ({@link EntropyTaskInference}, shared with other per-task-model learners). Training runs
 * on the {@link TaskLoop} (order generator, budget, listener calls) with HNET's own {@link TrainingStep}. Fresh Adam
 * moments per task (our choice; the reference script builds one optimiser per task too). The current task and all
 * regularised old tasks are generated in one batched pass.
 *
 * <p>Options of the RNN hypernetwork paper, as we reconstruct them: the regulariser may weight each target weight by
 * its importance (the diagonal Fisher of the target network for task {@code j} at the end of task {@code j},
 * normalised to mean 1); and when a task is not fitted (accuracy on a held-out part of its training data below a
 * threshold after the iteration budget) a {@link RnnHyperNetwork} grows by a number of hidden units with zero
 * outgoing weights and trains another budget, at most a given number of times.
 */
public final class HypernetLearner implements TaskAwareLearner, TaskIncrementalPredictor, ClassIncrementalPredictor,
        TaskInferrer, OnTaskLoop {
    private static final Logger LOG = LogManager.getLogger(HypernetLearner.class);
    private final LearnerContext context;
    private final MlpLearnerSpec mlpSpec;
    private final Settings spec;
    private final OutputLayout layout;
    private final MlpTarget target;
    private final HyperNetwork hnet;
    private final List<INDArray> embeddings = new ArrayList<>();
    private final List<INDArray> importances = new ArrayList<>();
    private final TaskLoop loop;
    private final HnetStep step = new HnetStep();
    private ParamSet shared;
    private ParamOptimizer sharedOpt;
    private int growths;

    /**
     * Settings shared by the hypernetwork learners.
     *
     * @param taskEmbDim        task-embedding size
     * @param beta              output-regulariser strength
     * @param iterations        optimiser steps per task (0: the MLP spec's epochs)
     * @param importance        weight the regulariser by the target network's normalised diagonal Fisher
     * @param growThreshold     held-out accuracy below which an {@link RnnHyperNetwork} grows (0: never)
     * @param growUnits         hidden units added per growth
     * @param maxGrowths        growths allowed per task
     * @param regTasks          previous tasks regularised per step, drawn uniformly without replacement (0: all)
     * @param lookahead         evaluate the regulariser at {@code theta + delta-theta}, the step the task loss alone
     *                          would make (hypnettorch's default; delta-theta treated as a constant)
     */
    public record Settings(int taskEmbDim, double beta, int iterations, boolean importance, double growThreshold,
                           int growUnits, int maxGrowths, int regTasks, boolean lookahead) {
        public Settings {
            if (regTasks < 0) {
                throw new IllegalArgumentException("regTasks must be >= 0, got " + regTasks);
            }
        }
    }

    /** Builds the hypernetwork once the target's size is known. */
    @FunctionalInterface
    public interface HyperNetworkFactory {
        HyperNetwork create(long targetParams, Rng rng);
    }

    public HypernetLearner(MlpLearnerSpec mlpSpec, Settings spec, LearnerContext context, HyperNetworkFactory factory) {
        if (context.trainingMode() != Mode.TASK_INCREMENTAL) {
            throw new IllegalArgumentException("HNET trains multi-head (task-incremental); class-incremental "
                    + "evaluation uses entropy-based task inference");
        }
        this.context = context;
        this.mlpSpec = mlpSpec;
        this.spec = spec;
        this.layout = OutputLayout.of(context.scenario(), Mode.TASK_INCREMENTAL);
        this.target = new MlpTarget(mlpSpec.layerSizes(context.scenario().featureDim(), layout.numOutputs()),
                mlpSpec.activation());
        this.hnet = factory.create(target.numParams(), Rng.forComponent(context.seed(), "hnet-init"));
        this.loop = new TaskLoop(context, "hnet", List.of());
        rebuildOptimizers();
        LOG.info("{}: {} trainable hypernetwork parameters ({} shared + {} tasks x {} embedding) generate {} target "
                        + "weights", hnet.getClass().getSimpleName(), hypernetParams(), hnet.numSharedParams(),
                context.scenario().numTasks(), spec.taskEmbDim(), target.numParams());
    }

    /** Fresh Adam states for the shared parameters (at construction, after growth, after loading). */
    private void rebuildOptimizers() {
        shared = hnet.sharedParamSet();
        sharedOpt = new ParamOptimizer(shared, n -> new Adam(n, mlpSpec.lr()));
    }

    /** The training loop (a step guard). */
    @Override
    public TaskLoop loop() {
        return loop;
    }

    /** Number of generated target weights. */
    public long targetParams() {
        return target.numParams();
    }

    /** Trainable parameters of the hypernetwork: shared ones plus one embedding per task. */
    public long hypernetParams() {
        return hnet.numSharedParams() + (long) context.scenario().numTasks() * spec.taskEmbDim();
    }

    /** Number of growths so far. */
    public int growths() {
        return growths;
    }

    public HyperNetwork hypernetwork() {
        return hnet;
    }

    /** The learned embedding of task {@code t}. */
    public INDArray embedding(int t) {
        return embeddings.get(t);
    }

    @Override
    public Set<Mode> evaluationModes() {
        return EnumSet.of(Mode.TASK_INCREMENTAL, Mode.CLASS_INCREMENTAL);
    }

    @Override
    public void learn(TrainingExperience e) {
        int t = e.taskIndex();
        if (t != embeddings.size()) {
            throw new IllegalStateException("hypernetwork learner expects task " + embeddings.size() + ", got " + t);
        }
        INDArray emb = initialEmbedding(t);
        INDArray anchors = t == 0 ? null : hnet.weights(stack(embeddings)).dup();
        INDArray weights = t == 0 || !spec.importance() ? null : Nd4j.vstack(importances.toArray(new INDArray[0]));
        // hold out up to 10 % (at most 500) of the task's samples when growth is enabled
        int n = e.data().size();
        int held = spec.growThreshold() > 0 ? Math.min(500, n / 10) : 0;
        int[] trainIdx = new int[n - held];
        int[] heldIdx = new int[held];
        int[] perm = Rng.forComponent(context.seed(), "holdout/task-" + t).permutation(n);
        System.arraycopy(perm, 0, heldIdx, 0, held);
        System.arraycopy(perm, held, trainIdx, 0, n - held);
        TaskData trainPart = held == 0 ? e.data() : new SubsetTaskData(e.data(), trainIdx);
        MinibatchSampler sampler = new MinibatchSampler(List.of(e.task()), List.of(trainPart));
        Budget budget = spec.iterations() > 0 ? Budget.iterations(spec.iterations()) : Budget.epochs(mlpSpec.epochs());
        step.startTask(emb, anchors, weights);
        // fresh Adam moments for the shared parameters and the new embedding at every task
        TaskLoop.TaskRun run = loop.begin(new TaskScope(e.task(), trainPart, sampler, context.seed()),
                mlpSpec.batchSize(), step, true);
        int grownHere = 0;
        while (true) {
            step.regRng = Rng.forComponent(context.seed(), "regularised/task-" + t);
            run.train(budget);
            if (held == 0 || !(hnet instanceof RnnHyperNetwork rnn) || grownHere >= spec.maxGrowths()
                    || heldOutAccuracy(e.task(), new SubsetTaskData(e.data(), heldIdx), emb) >= spec.growThreshold()) {
                break;
            }
            rnn.grow(spec.growUnits(), Rng.forComponent(context.seed(), "growth/" + growths));
            growths++;
            grownHere++;
            rebuildOptimizers();
        }
        run.finish();
        embeddings.add(emb);
        if (spec.importance()) {
            importances.add(normalisedFisher(e.task(), trainPart, emb).reshape(1, target.numParams()));
        }
    }

    private static INDArray stack(List<INDArray> rows) {
        return Nd4j.vstack(rows.stream().map(r -> r.reshape(1, r.length())).toArray(INDArray[]::new));
    }

    /** Indices of the previous tasks regularised in this step: all, or {@code regTasks} drawn without replacement. */
    private int[] regularised(int old, Rng regRng) {
        if (spec.regTasks() == 0 || spec.regTasks() >= old) {
            int[] all = new int[old];
            for (int i = 0; i < old; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] pick = Arrays.copyOf(regRng.permutation(old), spec.regTasks());
        Arrays.sort(pick);
        return pick;
    }

    private static INDArray rows(INDArray m, int[] idx) {
        return idx.length == m.size(0) ? m : Nd4j.pullRows(m, 1, idx);
    }

    /**
     * The step HNET gives the {@link TaskLoop}: task loss on the current embedding plus the output regulariser over
     * the regularised previous tasks (in one batched generation, or at the look-ahead point), Adam on the shared
     * parameters and on the embedding.
     */
    private final class HnetStep implements TrainingStep {
        private INDArray emb;
        private INDArray embGrad;
        private ParamSet embSet;
        private ParamOptimizer embOpt;
        private INDArray anchors;
        private INDArray importance;
        private Rng regRng;

        void startTask(INDArray embedding, INDArray taskAnchors, INDArray taskImportance) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                emb = embedding;
                embGrad = Nd4j.zeros(DataType.FLOAT, emb.length());
                embSet = ParamSet.of(List.of(new ParamSet.Tensor("embedding", emb, embGrad)));
            }
            anchors = taskAnchors;
            importance = taskImportance;
        }

        @Override
        public ParamSet params() {
            return ParamSet.concat(shared, embSet);
        }

        @Override
        public void resetOptimizer() {
            sharedOpt.reset();
            embOpt = new ParamOptimizer(embSet, n -> new Adam(n, mlpSpec.lr()));
        }

        @Override
        public void update() {
            sharedOpt.step();
            embOpt.step();
        }

        @Override
        public double computeGradients(Minibatch b, OutputTerm outputTerm) {
            if (outputTerm != null) {
                throw new IllegalArgumentException("the hypernetwork learner takes no output terms");
            }
            hnet.clearGradients();
            int old = anchors == null ? 0 : (int) anchors.size(0);
            int[] reg = regularised(old, regRng);
            List<INDArray> rows = new ArrayList<>();
            rows.add(emb);
            boolean together = !spec.lookahead() || reg.length == 0;
            if (together) {
                for (int i : reg) {
                    rows.add(embeddings.get(i));
                }
            }
            // task loss on the current embedding (and, without lookahead, the regularised old rows in the same batch)
            INDArray all = hnet.generate(stack(rows));
            INDArray logits = target.forward(b.features(), all.getRow(0));
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, layout.targets(b),
                    layout.trainingMask(b));
            INDArray dAll = Nd4j.zeros(DataType.FLOAT, all.shape());
            dAll.getRow(0).assign(target.backward(r.dLogits()));
            double loss = r.loss();
            if (together && reg.length > 0) {
                loss += regulariser(all.get(NDArrayIndex.interval(1, reg.length + 1), NDArrayIndex.all()), anchors,
                        importance, reg, dAll.get(NDArrayIndex.interval(1, reg.length + 1), NDArrayIndex.all()));
            }
            INDArray dEmb = hnet.backward(dAll).getRow(0);
            if (!together) {
                loss += lookaheadRegulariser(reg);
            }
            embGrad.assign(dEmb.reshape(emb.length()));
            return loss;
        }

        /**
         * Look-ahead: the regulariser evaluated at {@code theta + delta-theta}, the Adam step of the task loss alone;
         * its gradient is added to the task gradient of the shared parameters.
         */
        private double lookaheadRegulariser(int[] reg) {
            List<ParamSet.Tensor> tensors = shared.tensors();
            List<INDArray> saved = new ArrayList<>();
            List<INDArray> taskGrads = new ArrayList<>();
            for (ParamSet.Tensor p : tensors) {
                saved.add(p.value().dup());
                taskGrads.add(p.gradient().dup());
                p.value().addi(((Adam) sharedOpt.stateOf(p.name())).delta(p.gradient()));
            }
            hnet.clearGradients();
            List<INDArray> oldRows = new ArrayList<>();
            for (int i : reg) {
                oldRows.add(embeddings.get(i));
            }
            INDArray gen = hnet.generate(stack(oldRows));
            INDArray dGen = Nd4j.zeros(DataType.FLOAT, gen.shape());
            double value = regulariser(gen, anchors, importance, reg, dGen);
            hnet.backward(dGen);
            for (int k = 0; k < tensors.size(); k++) {
                tensors.get(k).value().assign(saved.get(k));
                tensors.get(k).gradient().addi(taskGrads.get(k));
            }
            return value;
        }
    }

    /**
     * Output regulariser {@code beta / |reg| * sum_j (h(e_j) - anchor_j)^2 [* importance_j]} over the regularised
     * previous tasks; writes its gradient with respect to the generated rows into {@code dGen}.
     */
    private double regulariser(INDArray generated, INDArray anchors, INDArray importance, int[] reg, INDArray dGen) {
        double scale = spec.beta() / reg.length;
        INDArray diff = generated.sub(rows(anchors, reg));
        INDArray weighted = importance == null ? diff : diff.mul(rows(importance, reg));
        double value = scale * weighted.mul(diff).sumNumber().doubleValue();
        dGen.assign(weighted.muli(2 * scale));
        return value;
    }

    private double heldOutAccuracy(TaskInfo task, TaskData held, INDArray emb) {
        try (StepScope scope = StepScope.open("hnet-eval")) {
            INDArray w = hnet.weights(emb.reshape(1, emb.length())).getRow(0);
            int[] pred = layout.predictInTask(target.output(Batches.features(held, 0, held.size()), w), task);
            int ok = 0;
            for (int i = 0; i < pred.length; i++) {
                if (pred[i] == held.localLabel(i)) {
                    ok++;
                }
            }
            return held.size() == 0 ? 1.0 : (double) ok / held.size();
        }
    }

    /** Diagonal Fisher of the target network for {@code task} at its generated weights, normalised to mean 1. */
    private INDArray normalisedFisher(TaskInfo task, TaskData data, INDArray emb) {
        INDArray w;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            w = hnet.weights(emb.reshape(1, emb.length())).getRow(0).dup();
        }
        MinibatchSampler sampler = new MinibatchSampler(List.of(task), List.of(data));
        INDArray f = target.diagonalFisher(w, sampler, 1000, layout, Rng.forComponent(context.seed(),
                "fisher/task-" + task.index()));
        double mean = f.meanNumber().doubleValue();
        return mean > 0 ? f.divi(mean) : f.assign(1.0);
    }

    /** The N(0, 1) embedding task {@code t} starts from (drawn from {@code Rng(seed, "task-embedding/t")}). */
    private INDArray initialEmbedding(int t) {
        Rng embRng = Rng.forComponent(context.seed(), "task-embedding/" + t);
        float[] ev = new float[spec.taskEmbDim()];
        for (int i = 0; i < ev.length; i++) {
            ev[i] = (float) embRng.nextGaussian();
        }
        return Nd4j.create(ev, new long[] {ev.length}, DataType.FLOAT);
    }

    /** The learned embedding of task {@code t}, or its initial one while it has not been learned. */
    private INDArray embeddingFor(int t) {
        return t < embeddings.size() ? embeddings.get(t) : initialEmbedding(t);
    }

    @Override
    public int[] predict(TaskIncrementalQuery q) {
        INDArray w = hnet.weights(embeddingFor(q.task().index()).reshape(1, spec.taskEmbDim())).getRow(0);
        return layout.predictInTask(target.output(q.features(), w), q.task());
    }

    /** HNET+ENT: per sample the lowest-entropy learned task (before any training, task 0's initial embedding). */
    private EntropyTaskInference.Inference entropyRule(INDArray x) {
        int candidates = Math.max(1, embeddings.size());
        return EntropyTaskInference.minEntropy(candidates, j -> target.output(x,
                        hnet.weights(embeddingFor(j).reshape(1, spec.taskEmbDim())).getRow(0)), layout,
                context.scenario().localClasses(), (int) x.size(0));
    }

    @Override
    public int[] predict(ClassIncrementalQuery q) {
        EntropyTaskInference.Inference r = entropyRule(q.features());
        int[] out = new int[r.task().length];
        for (int i = 0; i < out.length; i++) {
            TaskInfo t = context.scenario().task(r.task()[i]);
            out[i] = t.classOf(r.local()[i]);
        }
        return out;
    }

    @Override
    public int[] inferTask(ClassIncrementalQuery q) {
        return entropyRule(q.features()).task();
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        hnet.save("hnet", out);
        out.putLong("hnet/tasks", embeddings.size()).putLong("hnet/growths", growths);
        for (int j = 0; j < embeddings.size(); j++) {
            out.putArray("hnet/embedding/" + j, embeddings.get(j));
        }
        for (int j = 0; j < importances.size(); j++) {
            out.putArray("hnet/importance/" + j, importances.get(j));
        }
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            hnet.load("hnet", in);
            embeddings.clear();
            importances.clear();
            long n = in.getLong("hnet/tasks");
            growths = (int) in.getLong("hnet/growths");
            for (int j = 0; j < n; j++) {
                embeddings.add(in.array("hnet/embedding/" + j).castTo(DataType.FLOAT).reshape(spec.taskEmbDim()));
                if (spec.importance()) {
                    importances.add(in.array("hnet/importance/" + j).castTo(DataType.FLOAT)
                            .reshape(1, target.numParams()));
                }
            }
            rebuildOptimizers();
        }
    }
}
