package org.cllab.hypernets.generators.d2nwg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskIncrementalPredictor;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.data.TaskData;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * D2NWG as a continual learner (Soro et al., "Diffusion-Based Neural Network Weights Generation", ICLR 2025; the
 * continual variant is our reconstruction): for each task in turn, a small zoo of heads ({@code seeds} x the last
 * {@code checkpoints}) is trained on the task's features, a few samples per class are kept as the task's condition
 * ({@code memory} per class), and the generator (VAE + set encoder + latent DDPM, {@link Generator}) is updated on that
 * zoo plus, with {@code replay}, weight-space generative replay: {@code replay_samples} heads the generator itself
 * produces for each earlier task's condition before the update. After the update a head is generated for every task
 * seen so far (the best of {@code samples} on that task's kept samples, which are training data, never test data) and
 * answers that task's queries, so R[t][j] is the test accuracy of the weights generated for task j after task t.
 */
public final class D2nwgLearner implements TaskAwareLearner, TaskIncrementalPredictor {
    /** The learner's own settings besides the generator's. */
    public record Options(int seeds, int checkpoints, int headSteps, int every, int batch, double headLr,
                          int memory, boolean replay, int replaySamples) {
    }

    private final LearnerContext ctx;
    private final GeneratorSettings gs;
    private final Options o;
    private final int dim;
    private final int classes;
    private final Generator gen;
    private final List<float[]> memX = new ArrayList<>();
    private final List<int[]> memY = new ArrayList<>();
    private final List<double[]> heads = new ArrayList<>();

    public D2nwgLearner(LearnerContext ctx, GeneratorSettings gs, Options o) {
        this.ctx = ctx;
        this.gs = gs;
        this.o = o;
        this.dim = ctx.scenario().featureDim();
        this.classes = ctx.scenario().task(0).numLocalClasses();
        for (int t = 0; t < ctx.scenario().numTasks(); t++) {
            if (ctx.scenario().task(t).numLocalClasses() != classes) {
                throw new IllegalArgumentException("d2nwg generates one head shape: every task needs " + classes
                        + " classes, task " + t + " has " + ctx.scenario().task(t).numLocalClasses());
            }
        }
        this.gen = new Generator(gs, classes, dim, Head.segments(classes, dim), ctx.seed());
    }

    @Override
    public void learn(TrainingExperience e) {
        int t = e.taskIndex();
        if (t != heads.size()) {
            throw new IllegalStateException("d2nwg expects task " + heads.size() + ", got " + t);
        }
        TaskData d = e.data();
        int n = d.size();
        float[] x = new float[n * dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            d.copyFeatures(i, x, i * dim);
            y[i] = d.localLabel(i);
        }
        SplittableRandom rng = new SplittableRandom(ctx.seed() * 1_000_003L + t);
        // the task's zoo
        List<Generator.Example> ex = new ArrayList<>();
        for (int s = 0; s < o.seeds(); s++) {
            SplittableRandom r = rng.split();
            Head.Trainer tr = new Head.Trainer(Head.init(classes, dim, r), classes, dim, x, y, o.batch(), o.headLr());
            for (int step = 1; step <= o.headSteps(); step++) {
                tr.step(r);
                if (step > o.headSteps() - o.checkpoints() * o.every() && (o.headSteps() - step) % o.every() == 0) {
                    ex.add(new Generator.Example(tr.weights().clone(), t));
                }
            }
        }
        // the task's kept samples: memory per class
        int[] perClass = new int[classes];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        WeightVae.shuffle(order, rng);
        float[] mx = new float[classes * o.memory() * dim];
        int[] my = new int[classes * o.memory()];
        int k = 0;
        for (int i : order) {
            if (perClass[y[i]] < o.memory()) {
                perClass[y[i]]++;
                System.arraycopy(x, i * dim, mx, k * dim, dim);
                my[k++] = y[i];
            }
        }
        for (int c = 0; c < classes; c++) {
            if (perClass[c] == 0) {
                throw new IllegalArgumentException("task " + t + " has no training sample of local class " + c);
            }
        }
        memX.add(java.util.Arrays.copyOf(mx, k * dim));
        memY.add(java.util.Arrays.copyOf(my, k));
        // weight-space generative replay of the earlier tasks
        if (o.replay()) {
            for (int j = 0; j < t; j++) {
                for (double[] w : gen.sample(support(j, rng), o.replaySamples(), rng)) {
                    ex.add(new Generator.Example(w, j));
                }
            }
        }
        gen.fit(ex, (task, shots, r) -> support(task, r), rng.split());
        heads.clear();
        for (int j = 0; j <= t; j++) {
            ZooData.Split kept = new ZooData.Split(memX.get(j), memY.get(j));
            heads.add(ZooExperiment.bestOnVal(gen.sample(support(j, rng), gs.samples(), rng), kept, classes, dim));
        }
        ctx.listener().getClass(); // the listener sees no per-step progress: updates are whole-task fits
    }

    private double[] support(int task, SplittableRandom r) {
        return ZooData.support(new ZooData.Split(memX.get(task), memY.get(task)), classes, gs.shots(), dim, r);
    }

    @Override
    public int[] predict(TaskIncrementalQuery q) {
        int j = q.task().index();
        float[] x = q.features().castTo(DataType.FLOAT).dup('c').data().asFloat();
        int n = x.length / dim;
        int[] out = new int[n];
        if (j >= heads.size()) {
            return out; // a task not learned yet: no head
        }
        double[] w = heads.get(j);
        for (int i = 0; i < n; i++) {
            double[] z = Head.logits(w, classes, dim, x, i);
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (z[c] > z[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    @Override
    public Set<Mode> evaluationModes() {
        return EnumSet.of(Mode.TASK_INCREMENTAL);
    }

    private static org.nd4j.linalg.api.ndarray.INDArray arr(double[] a) {
        return Nd4j.create(a, new long[] {a.length}, DataType.DOUBLE);
    }

    private static double[] dbl(StateReader in, String name, int len) throws IOException {
        if (!in.has(name)) {
            throw new IOException("checkpoint lacks " + name);
        }
        double[] v = in.array(name).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        if (len >= 0 && v.length != len) {
            throw new IOException("checkpoint's " + name + " has " + v.length + " values, the config builds " + len);
        }
        return v;
    }

    @Override
    public void saveState(StateWriter out) throws IOException {
        out.putLong("d2nwg/tasks", heads.size());
        if (heads.isEmpty()) {
            return;
        }
        List<double[]> a = gen.stateArrays();
        for (int i = 0; i < a.size(); i++) {
            out.putArray("d2nwg/gen/" + i, arr(a.get(i)));
        }
        out.putLong("d2nwg/gen/steps", gen.diffusionSteps);
        out.putArray("d2nwg/norm/mean", arr(gen.norm.mean));
        out.putArray("d2nwg/norm/std", arr(gen.norm.std));
        for (int j = 0; j < heads.size(); j++) {
            double[] mx = new double[memX.get(j).length];
            for (int i = 0; i < mx.length; i++) {
                mx[i] = memX.get(j)[i];
            }
            out.putArray("d2nwg/mem/" + j + "/x", arr(mx));
            out.putInts("d2nwg/mem/" + j + "/y", memY.get(j));
            out.putArray("d2nwg/head/" + j, arr(heads.get(j)));
        }
    }

    @Override
    public void loadState(StateReader in) throws IOException {
        if (!in.has("d2nwg/tasks")) {
            throw new IOException("checkpoint lacks d2nwg/tasks");
        }
        int tasks = (int) in.getLong("d2nwg/tasks");
        heads.clear();
        memX.clear();
        memY.clear();
        if (tasks == 0) {
            return;
        }
        List<double[]> a = gen.stateArrays();
        for (int i = 0; i < a.size(); i++) {
            double[] v = dbl(in, "d2nwg/gen/" + i, a.get(i).length);
            System.arraycopy(v, 0, a.get(i), 0, v.length);
        }
        gen.diffusionSteps = in.getLong("d2nwg/gen/steps");
        gen.restoreOptimiserSteps(gen.diffusionSteps);
        int segs = Head.segments(classes, dim).length - 1;
        gen.norm = new WeightNorm(Head.segments(classes, dim), dbl(in, "d2nwg/norm/mean", segs),
                dbl(in, "d2nwg/norm/std", segs));
        for (int j = 0; j < tasks; j++) {
            double[] mx = dbl(in, "d2nwg/mem/" + j + "/x", -1);
            float[] f = new float[mx.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) mx[i];
            }
            memX.add(f);
            memY.add(in.ints("d2nwg/mem/" + j + "/y"));
            heads.add(dbl(in, "d2nwg/head/" + j, Head.size(classes, dim)));
        }
    }
}
