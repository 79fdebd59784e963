package org.cllab.hypernets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
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
import org.cllab.core.api.TrainingListener;
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

/**
 * HNET (von Oswald, Henning, Grewe, Sacramento; ICLR 2020): a chunked hypernetwork generates all weights of a
 * multi-head target MLP from a learned task embedding. Learning task {@code t} minimises
 * {@code CE(f(x; h(e_t, theta))) + beta/t * sum_{j<t} ||h(e_j, theta) - h(e_j, theta*)||^2}, where the targets
 * {@code h(e_j, theta*)} are computed once when the task starts. Only the current embedding and the shared parameters
 * are trained (hypnettorch's example; the optional look-ahead of the paper is not implemented).
 *
 * <p>Task-incremental prediction uses the query's embedding and head. Class-incremental prediction (HNET+ENT) runs
 * every learned embedding and picks, per sample, the task whose head's softmax has the lowest entropy; the same rule
 * answers {@link TaskInferrer}. Fresh Adam moments per task (our choice; the reference script builds one optimiser
 * per task too).
 */
public final class HnetLearner implements TaskAwareLearner, TaskIncrementalPredictor, ClassIncrementalPredictor,
        TaskInferrer {
    private final LearnerContext context;
    private final MlpLearnerSpec mlpSpec;
    private final HnetSpec spec;
    private final OutputLayout layout;
    private final MlpTarget target;
    private final ChunkedHyperNetwork hnet;
    private final List<INDArray> embeddings = new ArrayList<>();
    private final Adam hnetOpt;
    private final Adam chunkOpt;

    public HnetLearner(MlpLearnerSpec mlpSpec, HnetSpec spec, LearnerContext context) {
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
        this.hnet = new ChunkedHyperNetwork(target.numParams(), spec.taskEmbDim(), spec.chunkEmbDim(), spec.hidden(),
                spec.chunkDim(), spec.activation(), Rng.forComponent(context.seed(), "hnet-init"));
        this.hnetOpt = new Adam(hnet.mlpParams().length(), mlpSpec.lr());
        this.chunkOpt = new Adam(hnet.chunkEmbeddings().length(), mlpSpec.lr());
    }

    /** Number of generated target weights. */
    public long targetParams() {
        return target.numParams();
    }

    /** Trainable parameters of the hypernetwork: shared ones plus one embedding per task. */
    public long hypernetParams() {
        return hnet.numSharedParams() + (long) context.scenario().numTasks() * spec.taskEmbDim();
    }

    public ChunkedHyperNetwork hypernetwork() {
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
            throw new IllegalStateException("HNET expects task " + embeddings.size() + ", got " + t);
        }
        INDArray emb = initialEmbedding(t);
        List<INDArray> anchors = new ArrayList<>();
        for (int j = 0; j < t; j++) {
            anchors.add(hnet.weights(embeddings.get(j)).dup());
        }
        hnetOpt.reset();
        chunkOpt.reset();
        Adam embOpt = new Adam(emb.length(), mlpSpec.lr());
        MinibatchSampler sampler = new MinibatchSampler(List.of(e.task()), List.of(e.data()));
        long steps = spec.iterations() > 0 ? spec.iterations()
                : mlpSpec.epochs() * sampler.batchesPerEpoch(mlpSpec.batchSize());
        Rng order = Rng.forComponent(context.seed(), "order/task-" + t);
        TrainingListener listener = context.listener();
        listener.onTaskStart(e.task(), steps);
        Iterator<Minibatch> it = sampler.epoch(mlpSpec.batchSize(), order).iterator();
        for (long step = 1; step <= steps; step++) {
            if (!it.hasNext()) {
                it = sampler.epoch(mlpSpec.batchSize(), order).iterator();
            }
            double loss;
            try (StepScope scope = StepScope.open("hnet")) {
                loss = step(it.next(), emb, anchors, embOpt);
            }
            listener.onStep(e.task(), step, loss);
        }
        embeddings.add(emb);
        listener.onTaskEnd(e.task());
    }

    private double step(Minibatch b, INDArray emb, List<INDArray> anchors, Adam embOpt) {
        hnet.clearGradients();
        INDArray w = hnet.generate(emb);
        INDArray logits = target.forward(b.features(), w);
        int[] y = new int[b.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = layout.target(b.tasks()[i], b.classLabels()[i], b.localLabels()[i]);
        }
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, y, layout.headMask(b.tasks()));
        INDArray dEmb = hnet.backward(target.backward(r.dLogits()));
        double loss = r.loss();
        if (!anchors.isEmpty()) {
            double scale = spec.beta() / anchors.size();
            for (int j = 0; j < anchors.size(); j++) {
                INDArray diff = hnet.generate(embeddings.get(j)).sub(anchors.get(j));
                loss += scale * diff.mul(diff).sumNumber().doubleValue();
                hnet.backward(diff.muli(2 * scale));
            }
        }
        hnetOpt.step(hnet.mlpParams(), hnet.mlpGradient());
        INDArray chunks = hnet.chunkEmbeddings();
        chunkOpt.step(chunks.reshape(chunks.length()), hnet.chunkGradient().reshape(chunks.length()));
        embOpt.step(emb, dEmb);
        return loss;
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
        INDArray w = hnet.weights(embeddingFor(q.task().index()));
        return layout.predictInTask(target.output(q.features(), w), q.task());
    }

    /** Per sample: {lowest-entropy task, local prediction in that task's head}. */
    private int[][] entropyRule(INDArray x) {
        int n = (int) x.size(0);
        int k = context.scenario().localClasses();
        double[] best = new double[n];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        int[] task = new int[n];
        int[] local = new int[n];
        // candidates: the learned tasks (before any training, task 0 with its initial embedding)
        int candidates = Math.max(1, embeddings.size());
        for (int j = 0; j < candidates; j++) {
            INDArray logits = target.output(x, hnet.weights(embeddingFor(j)));
            int[] heads = new int[n];
            Arrays.fill(heads, j);
            float[] p = SoftmaxCrossEntropy.probabilities(logits, layout.headMask(heads)).data().asFloat();
            int outs = layout.numOutputs();
            for (int i = 0; i < n; i++) {
                double h = 0;
                int arg = 0;
                float pmax = -1;
                for (int c = 0; c < k; c++) {
                    float v = p[i * outs + j * k + c];
                    if (v > 0) {
                        h -= v * Math.log(v);
                    }
                    if (v > pmax) {
                        pmax = v;
                        arg = c;
                    }
                }
                if (h < best[i]) {
                    best[i] = h;
                    task[i] = j;
                    local[i] = arg;
                }
            }
        }
        return new int[][] {task, local};
    }

    @Override
    public int[] predict(ClassIncrementalQuery q) {
        int[][] r = entropyRule(q.features());
        int[] out = new int[r[0].length];
        for (int i = 0; i < out.length; i++) {
            TaskInfo t = context.scenario().task(r[0][i]);
            out[i] = t.classOf(r[1][i]);
        }
        return out;
    }

    @Override
    public int[] inferTask(ClassIncrementalQuery q) {
        return entropyRule(q.features())[0];
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        hnet.save("hnet", out);
        out.putLong("hnet/tasks", embeddings.size());
        for (int j = 0; j < embeddings.size(); j++) {
            out.putArray("hnet/embedding/" + j, embeddings.get(j));
        }
        hnetOpt.save("hnet/opt", out);
        chunkOpt.save("hnet/chunk_opt", out);
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            hnet.load("hnet", in);
            embeddings.clear();
            long n = in.getLong("hnet/tasks");
            for (int j = 0; j < n; j++) {
                embeddings.add(in.array("hnet/embedding/" + j).castTo(DataType.FLOAT).reshape(spec.taskEmbDim()));
            }
            hnetOpt.load("hnet/opt", in);
            chunkOpt.load("hnet/chunk_opt", in);
        }
    }
}
