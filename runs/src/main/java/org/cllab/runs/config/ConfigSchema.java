package org.cllab.runs.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place where config keys are declared. {@link #markdown()} renders {@code docs/config.md}.
 */
public final class ConfigSchema {
    private final Map<String, ConfigKey> keys;

    private ConfigSchema(List<ConfigKey> keys) {
        Map<String, ConfigKey> m = new LinkedHashMap<>();
        for (ConfigKey k : keys) {
            if (m.put(k.name(), k) != null) {
                throw new IllegalStateException("duplicate config key " + k.name());
            }
        }
        this.keys = Collections.unmodifiableMap(m);
    }

    public List<ConfigKey> keys() {
        return List.copyOf(keys.values());
    }

    public Optional<ConfigKey> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** The known key closest to {@code name} (edit distance), for "did you mean" hints. */
    public Optional<String> closest(String name) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : keys.keySet()) {
            int d = editDistance(name, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return bestD <= Math.max(3, name.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Levenshtein distance, for "did you mean" hints (also used by sweep files). */
    public static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ---------------------------------------------------------------- the standard schema

    private static final Function<Object, String> ANY = v -> null;
    private static final Function<Object, String> POSITIVE = v -> ((Number) v).doubleValue() > 0 ? null
            : "must be > 0, got " + v;
    private static final Function<Object, String> NON_NEGATIVE = v -> ((Number) v).doubleValue() >= 0 ? null
            : "must be >= 0, got " + v;
    private static final Function<Object, String> FRACTION = v -> {
        double d = ((Number) v).doubleValue();
        return d >= 0 && d < 1 ? null : "must be in [0, 1), got " + v;
    };
    private static final Function<Object, String> UNIT = v -> {
        double d = ((Number) v).doubleValue();
        return d >= 0 && d <= 1 ? null : "must be in [0, 1], got " + v;
    };
    private static final Function<Object, String> POSITIVE_LIST = v -> {
        for (Object o : (List<?>) v) {
            if (((Number) o).intValue() <= 0) {
                return "all entries must be > 0, got " + v;
            }
        }
        return null;
    };

    /** Learner types known to the runner. */
    public static final List<String> LEARNERS = List.of("finetune", "joint", "ewc", "online-ewc", "si", "er", "lwf",
            "hnet", "rnn-hnet", "dkvb");
    /** Datasets known to the runner. */
    public static final List<String> DATASETS = List.of("mnist", "fashion-mnist", "cifar10");
    /** Scenario types. */
    public static final List<String> SCENARIOS = List.of("split", "permuted", "rotated", "gaussian-toy");

    private static ConfigKey k(String name, KeyType type, Object def, String description) {
        return new ConfigKey(name, type, def, String.valueOf(def), List.of(), ANY, description);
    }

    private static ConfigKey k(String name, KeyType type, Object def, Function<Object, String> check,
                               String description) {
        return new ConfigKey(name, type, def, String.valueOf(def), List.of(), check, description);
    }

    private static ConfigKey choice(String name, String def, List<String> allowed, String description) {
        return new ConfigKey(name, KeyType.STRING, def, def, allowed, ANY, description);
    }

    private static final ConfigSchema STANDARD = new ConfigSchema(List.of(
            k("run.name", KeyType.STRING, "", "Free-form name of the run, copied to provenance and summary."),
            k("run.seed", KeyType.LONG, 0L, "Root seed. The stream seed and the learner seed derive from it "
                    + "(see `scenario.seed`, `learner.seed`)."),
            k("run.checkpoints", KeyType.BOOLEAN, true, "Save learner state and partial results at every task "
                    + "boundary. Needed to resume an interrupted run."),
            k("run.keep_checkpoints", KeyType.INT, 0, NON_NEGATIVE, "How many task-boundary checkpoints to keep "
                    + "(newest first); 0 keeps all."),
            choice("run.progress", "auto", List.of("auto", "always", "never"), "Progress bar on standard error: `auto` "
                    + "shows it only on a terminal; otherwise progress goes to the log every 10 %."),

            choice("scenario.type", "split", SCENARIOS, "Task stream: `split` (disjoint classes per task), "
                    + "`permuted` (all classes, one fixed pixel permutation per task), `rotated` (all classes, one "
                    + "rotation angle per task), `gaussian-toy` (the 2-D toy of the key-value bottleneck paper: 8 "
                    + "Gaussian classes, sigma 0.035, 4 tasks of 2; `scenario.dataset` is ignored)."),
            choice("scenario.dataset", "mnist", DATASETS, "`mnist`: the bundled 10,000 MNIST digits (7,996 train "
                    + "/ 2,004 test) or IDX files in `scenario.data_dir`; `fashion-mnist`: IDX files from "
                    + "`scenario.data_dir` (default `/usr/share/datasets/fashion-mnist`, Debian package "
                    + "`dataset-fashion-mnist`); `cifar10`: CIFAR-10 binary batches in `scenario.data_dir`."),
            new ConfigKey("scenario.data_dir", KeyType.STRING, "", "\"\" (bundled MNIST; "
                    + "/usr/share/datasets/fashion-mnist for fashion-mnist)", List.of(), ANY,
                    "Directory with the dataset files (IDX `train-images-idx3-ubyte[.gz]` etc., or CIFAR-10 "
                            + "`data_batch_1.bin`..`test_batch.bin`). Empty: the default location."),
            k("scenario.tasks", KeyType.INT, 5, POSITIVE, "Number of tasks."),
            k("scenario.classes_per_task", KeyType.INT, 2, POSITIVE, "Classes per task (`split` only)."),
            k("scenario.shuffle_classes", KeyType.BOOLEAN, false, "`split`: draw the class order from the stream "
                    + "seed instead of 0,1,2,..."),
            k("scenario.permute_first", KeyType.BOOLEAN, false, "`permuted`: permute task 0 too (false: task 0 "
                    + "is the original images)."),
            k("scenario.rotation_max_degrees", KeyType.DOUBLE, 180.0, "`rotated`: task t is rotated by "
                    + "t * max / tasks degrees, unless `scenario.rotations` lists the angles."),
            new ConfigKey("scenario.rotations", KeyType.DOUBLE_LIST, List.of(), "[] (even spacing)", List.of(),
                    ANY, "`rotated`: explicit angle per task in degrees (length must equal `scenario.tasks`)."),
            k("scenario.train_limit", KeyType.INT, 0, NON_NEGATIVE, "Cap on training samples per task (first "
                    + "ones in file order); 0 = all."),
            k("scenario.toy_train_per_class", KeyType.INT, 50, POSITIVE, "`gaussian-toy`: training points per class "
                    + "(50 = the paper's 100 per task)."),
            k("scenario.toy_test_per_class", KeyType.INT, 100, POSITIVE, "`gaussian-toy`: test points per class."),
            k("scenario.encoder", KeyType.STRING, "", "Frozen encoder file (from `cl pretrain-encoder --out FILE`, "
                    + "with its provenance FILE.json): when set, every sample is replaced by the encoder's features "
                    + "before any learner sees it. The encoder must come from a different dataset than the stream."),
            choice("scenario.mode", "class-incremental", List.of("class-incremental", "task-incremental",
                    "domain-incremental"), "Training mode: decides the output layout (one unit per class, one "
                    + "head per task, or one shared head) and the label space of the stream."),
            new ConfigKey("scenario.seed", KeyType.LONG, null, "derived from `run.seed`", List.of(), ANY,
                    "Stream seed: class order and permutations. Default: `Seeds.derive(run.seed, \"stream\")`."),

            choice("learner.type", "finetune", LEARNERS, "`finetune`: sequential training, no protection; "
                    + "`joint`: trains on all tasks seen so far (upper bound); `ewc` / `online-ewc`: elastic weight "
                    + "consolidation (`learner.ewc.*`); `si`: synaptic intelligence (`learner.si.*`); `er`: experience "
                    + "replay (`learner.er.*`); `lwf`: learning without forgetting (`learner.lwf.*`); `hnet`: a chunked "
                    + "hypernetwork generating the MLP's weights (`learner.hnet.*`; task-incremental training, "
                    + "class-incremental evaluation by entropy); `rnn-hnet`: an LSTM hypernetwork emitting the weights "
                    + "chunk by chunk (`learner.hnet.*`, `learner.rnn.*`); `dkvb`: the discrete key-value bottleneck, a "
                    + "boundary-free streaming learner (`learner.dkvb.*`; uses `learner.batch_size` as stream batch "
                    + "size and none of the other MLP keys). The others share the MLP keys below (for the "
                    + "hypernetworks they describe the target network)."),
            new ConfigKey("learner.seed", KeyType.LONG, null, "derived from `run.seed`", List.of(), ANY,
                    "Learner seed: initialisation and minibatch order. Default: "
                            + "`Seeds.derive(run.seed, \"learner\")`."),
            k("learner.hidden", KeyType.INT_LIST, List.of(400, 400), POSITIVE_LIST, "Hidden layer sizes of the "
                    + "MLP; [] gives a linear classifier."),
            choice("learner.activation", "relu", List.of("relu", "tanh"), "Activation of the hidden layers."),
            choice("learner.optimizer", "adam", List.of("adam", "sgd"), "Optimiser: Adam (PyTorch defaults beta1 0.9, "
                    + "beta2 0.999, eps 1e-8) or SGD with optional momentum."),
            k("learner.lr", KeyType.DOUBLE, 0.001, POSITIVE, "Learning rate."),
            k("learner.momentum", KeyType.DOUBLE, 0.0, FRACTION, "SGD momentum (ignored by Adam)."),
            k("learner.batch_size", KeyType.INT, 128, POSITIVE, "Minibatch size."),
            k("learner.epochs", KeyType.INT, 1, POSITIVE, "Passes over each task's training data (for `joint`: "
                    + "over the union seen so far)."),
            k("learner.reset_optimizer", KeyType.BOOLEAN, true, "Start every task with fresh optimiser state."),
            k("learner.ewc.lambda", KeyType.DOUBLE, 1000.0, NON_NEGATIVE, "`ewc`, `online-ewc`: penalty strength "
                    + "lambda in lambda/2 * sum F (theta - theta*)^2."),
            k("learner.ewc.gamma", KeyType.DOUBLE, 1.0, UNIT, "`online-ewc`: decay of the running Fisher "
                    + "(F = gamma F_old + F_t); 1 = no decay."),
            k("learner.ewc.fisher_samples", KeyType.INT, 1000, NON_NEGATIVE, "`ewc`, `online-ewc`: training samples of "
                    + "a task used to estimate its diagonal Fisher; 0 = all."),
            choice("learner.ewc.fisher_labels", "sampled", List.of("sampled", "empirical"), "`ewc`, `online-ewc`: "
                    + "labels of the Fisher: drawn from the model's predictive distribution (`sampled`, the Fisher "
                    + "information) or the data's labels (`empirical`)."),
            k("learner.si.c", KeyType.DOUBLE, 100.0, NON_NEGATIVE, "`si`: penalty strength c in c * sum Omega (theta - "
                    + "theta*)^2."),
            k("learner.si.xi", KeyType.DOUBLE, 0.1, POSITIVE, "`si`: damping xi in Omega += omega / (delta^2 + xi)."),
            k("learner.er.buffer_size", KeyType.INT, 1000, POSITIVE, "`er`: total replay buffer size in samples "
                    + "(all classes together)."),
            k("learner.er.replay_batch_size", KeyType.INT, 0, NON_NEGATIVE, "`er`: replayed samples appended to "
                    + "every minibatch; 0 = `learner.batch_size`."),
            k("learner.er.class_balanced", KeyType.BOOLEAN, false, "`er`: class-balanced reservoir sampling (CBRS) "
                    + "instead of plain reservoir sampling."),
            k("learner.lwf.temperature", KeyType.DOUBLE, 2.0, POSITIVE, "`lwf`: distillation temperature."),
            k("learner.lwf.alpha", KeyType.DOUBLE, 1.0, NON_NEGATIVE, "`lwf`: weight of the distillation loss."),
            k("learner.hnet.hidden", KeyType.INT_LIST, List.of(100, 100), POSITIVE_LIST, "`hnet`: hidden layers of "
                    + "the hypernetwork MLP."),
            choice("learner.hnet.activation", "relu", List.of("relu", "tanh"), "`hnet`: hidden activation of the "
                    + "hypernetwork."),
            k("learner.hnet.chunk_dim", KeyType.INT, 750, POSITIVE, "`hnet`, `rnn-hnet`: target weights generated per chunk."),
            k("learner.hnet.task_emb_dim", KeyType.INT, 8, POSITIVE, "`hnet`, `rnn-hnet`: size of each task embedding."),
            k("learner.hnet.chunk_emb_dim", KeyType.INT, 8, POSITIVE, "`hnet`, `rnn-hnet`: size of each chunk embedding."),
            k("learner.hnet.beta", KeyType.DOUBLE, 0.01, NON_NEGATIVE, "`hnet`, `rnn-hnet`: strength of the output regulariser "
                    + "beta/(t) * sum_j ||h(e_j) - h*(e_j)||^2."),
            k("learner.hnet.iterations", KeyType.INT, 1001, NON_NEGATIVE, "`hnet`, `rnn-hnet`: optimiser steps per "
                    + "task; 0 = `learner.epochs` passes over the task."),
            k("learner.hnet.importance", KeyType.BOOLEAN, false, "`hnet`, `rnn-hnet`: weight the output regulariser "
                    + "by the target network's diagonal Fisher of each old task (normalised to mean 1)."),
            k("learner.hnet.reg_tasks", KeyType.INT, 0, NON_NEGATIVE, "`hnet`, `rnn-hnet`: previous tasks in the "
                    + "output regulariser per step, drawn uniformly without replacement (hypnettorch's "
                    + "`cl_reg_batch_size`); 0 = all previous tasks."),
            k("learner.hnet.lookahead", KeyType.BOOLEAN, false, "`hnet`, `rnn-hnet`: evaluate the output regulariser "
                    + "at theta + delta-theta, the Adam step the task loss alone would take (hypnettorch's default; "
                    + "off here because the committed tables were measured without it)."),
            k("learner.rnn.hidden_units", KeyType.INT, 80, POSITIVE, "`rnn-hnet`: LSTM hidden units (80 with chunks "
                    + "of 750 gives about the parameter count of the default `hnet`)."),
            k("learner.rnn.grow_threshold", KeyType.DOUBLE, 0.0, UNIT, "`rnn-hnet`: grow when the held-out accuracy "
                    + "of a task after its iterations is below this (0 = never grow)."),
            k("learner.rnn.grow_units", KeyType.INT, 16, POSITIVE, "`rnn-hnet`: hidden units added per growth (their "
                    + "outgoing weights start at zero)."),
            k("learner.rnn.max_growths", KeyType.INT, 2, NON_NEGATIVE, "`rnn-hnet`: growths allowed per task."),

            k("learner.dkvb.codebooks", KeyType.INT, 256, POSITIVE, "`dkvb`: number of codebooks (heads) C."),
            k("learner.dkvb.pairs", KeyType.INT, 4096, POSITIVE, "`dkvb`: key-value pairs per codebook M."),
            k("learner.dkvb.key_dim", KeyType.INT, 14, POSITIVE, "`dkvb`: dimension of a key (and of a head); "
                    + "with `split: chunk` it must be the feature dimension / C."),
            k("learner.dkvb.top_k", KeyType.INT, 1, POSITIVE, "`dkvb`: keys fetched per head (1 in the paper)."),
            k("learner.dkvb.value_dim", KeyType.INT, 0, NON_NEGATIVE, "`dkvb`: dimension of a value; 0 = number of "
                    + "classes (required by the mean decoder)."),
            choice("learner.dkvb.split", "random-projection", List.of("random-projection", "chunk"), "`dkvb`: heads "
                    + "from C fixed random projections (L2-normalised columns) or from consecutive chunks of the "
                    + "features (C = 1: the identity)."),
            choice("learner.dkvb.decoder", "mean", List.of("mean", "linear"), "`dkvb`: logits = mean of the fetched "
                    + "values (parameter-free) or a trained linear layer on that mean."),
            k("learner.dkvb.lr", KeyType.DOUBLE, 0.3, POSITIVE, "`dkvb`: SGD learning rate of the values."),
            k("learner.dkvb.label_smoothing", KeyType.DOUBLE, 0.1, FRACTION, "`dkvb`: label smoothing of the "
                    + "cross-entropy."),
            k("learner.dkvb.clip_norm", KeyType.DOUBLE, 1.0, NON_NEGATIVE, "`dkvb`: gradient-norm clip; 0 = none."),
            k("learner.dkvb.steps_per_batch", KeyType.INT, 1, POSITIVE, "`dkvb`: SGD steps on each stream batch "
                    + "(its key indices are computed once and reused)."),
            choice("learner.dkvb.key_init", "fashion-mnist", List.of("uniform", "mnist", "fashion-mnist"), "`dkvb`: "
                    + "unlabeled data for the key initialisation, from another source than the stream: `uniform` "
                    + "points on [0,1]^d (the toy) or a dataset's training images (through `scenario.encoder` if "
                    + "set; the dataset's default location)."),
            k("learner.dkvb.init_samples", KeyType.INT, 10000, POSITIVE, "`dkvb`: samples drawn for the key "
                    + "initialisation."),
            k("learner.dkvb.init_epochs", KeyType.INT, 1, POSITIVE, "`dkvb`: EMA k-means passes over them."),
            k("learner.dkvb.init_batch_size", KeyType.INT, 256, POSITIVE, "`dkvb`: EMA k-means batch size B."),
            k("learner.dkvb.init_decay", KeyType.DOUBLE, 0.95, FRACTION, "`dkvb`: EMA decay of the key "
                    + "initialisation."),
            k("learner.dkvb.init_eps", KeyType.DOUBLE, 1e-5, POSITIVE, "`dkvb`: Laplace smoothing of the EMA "
                    + "cluster sizes."),
            k("learner.dkvb.dead_fraction", KeyType.DOUBLE, 0.1, NON_NEGATIVE, "`dkvb`: a key whose EMA cluster "
                    + "size falls below dead_fraction * B / M is re-seeded from the batch."),

            new ConfigKey("evaluation.modes", KeyType.STRING_LIST, List.of(), "[] (the training mode)",
                    List.of("class-incremental", "task-incremental", "domain-incremental"), ANY,
                    "Modes evaluated after every task, one accuracy matrix each. A class-incremental model can "
                            + "also be evaluated task-incrementally."),
            k("evaluation.batch_size", KeyType.INT, 1000, POSITIVE, "Test batch size."),
            k("evaluation.joint_reference", KeyType.STRING, "", "Directory of a finished `joint` run on the same "
                    + "scenario; when set, intransigence is reported against its diagonal.")
    ));

    /** The schema of `cl run` configs. */
    public static ConfigSchema standard() {
        return STANDARD;
    }

    /** {@code docs/config.md}, generated. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Config reference\n\n");
        b.append("<!-- Generated from ConfigSchema by `./cl config-doc`; ConfigDocTest fails when this file and "
                + "the code disagree. Do not edit by hand. -->\n\n");
        b.append("A run config is a YAML file whose nested keys are the dotted names below; every key is "
                + "optional. A list key also accepts a single value (`hidden: 100` is `[100]`: YAML readers in Commons "
                + "Configuration cannot tell a one-element list from a scalar). `./cl run CONFIG --set key=value` overrides any key (the value is parsed as YAML, e.g. "
                + "`--set learner.hidden=[100,100]`). Unknown keys, wrong types and impossible values are rejected "
                + "before any work with `FILE: key: message` and exit code 2.\n\n");
        String section = null;
        List<ConfigKey> all = new ArrayList<>(keys.values());
        for (ConfigKey k : all) {
            if (!k.section().equals(section)) {
                section = k.section();
                b.append("## `").append(section).append("`\n\n");
                b.append("| key | type | default | meaning |\n|---|---|---|---|\n");
            }
            String type = k.type().description();
            if (!k.allowed().isEmpty()) {
                type += ": " + String.join(" \\| ", k.allowed().stream().map(a -> "`" + a + "`").toList());
            }
            b.append("| `").append(k.name()).append("` | ").append(type).append(" | `")
                    .append(k.defaultText()).append("` | ").append(k.description().replace("|", "\\|"))
                    .append(" |\n");
            int idx = all.indexOf(k);
            if (idx == all.size() - 1 || !all.get(idx + 1).section().equals(section)) {
                b.append('\n');
            }
        }
        return b.toString();
    }
}
