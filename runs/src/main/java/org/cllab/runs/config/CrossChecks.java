package org.cllab.runs.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cllab.core.api.Mode;
import org.cllab.core.learners.OutputLayout;

/** Checks that involve several keys (impossible combinations), run after each key was validated alone. */
final class CrossChecks {
    private CrossChecks() {
    }

    static void check(RunConfig c, Map<String, String> sourceOf, String defaultSource) {
        String type = c.getString("scenario.type");
        String dataset = c.getString("scenario.dataset");
        int tasks = c.getInt("scenario.tasks");
        int classes = 10; // MNIST, Fashion-MNIST and CIFAR-10 all have 10 classes
        if (type.equals("split")) {
            int k = c.getInt("scenario.classes_per_task");
            if ((long) tasks * k > classes) {
                throw err(sourceOf, defaultSource, "scenario.tasks", tasks + " tasks x " + k
                        + " classes per task need " + tasks * k + " classes, " + dataset + " has " + classes);
            }
        }
        if (type.equals("rotated")) {
            double[] r = c.getDoubleArray("scenario.rotations");
            if (r.length != 0 && r.length != tasks) {
                throw err(sourceOf, defaultSource, "scenario.rotations", "lists " + r.length + " angles for "
                        + tasks + " tasks");
            }
        }
        Mode training = Mode.parse(c.getString("scenario.mode"));
        if (type.equals("split") && training == Mode.DOMAIN_INCREMENTAL
                && c.getInt("scenario.classes_per_task") < 2) {
            throw err(sourceOf, defaultSource, "scenario.mode", "domain-incremental split needs >= 2 classes per task");
        }
        Set<Mode> supported = OutputLayout.evaluationModes(training);
        if (c.getString("learner.type").endsWith("hnet")) {
            if (training != Mode.TASK_INCREMENTAL) {
                throw err(sourceOf, defaultSource, "scenario.mode", c.getString("learner.type") + " trains one head per task: use "
                        + "task-incremental (class-incremental evaluation then uses entropy-based task inference)");
            }
            supported = EnumSet.of(Mode.TASK_INCREMENTAL, Mode.CLASS_INCREMENTAL);
        }
        if (type.equals("gaussian-toy")) {
            if (tasks != 4) {
                throw err(sourceOf, defaultSource, "scenario.tasks", "gaussian-toy has 4 tasks of 2 classes, got "
                        + tasks);
            }
            if (!c.getString("scenario.encoder").isEmpty()) {
                throw err(sourceOf, defaultSource, "scenario.encoder", "gaussian-toy has 2-d points, not images: no "
                        + "encoder");
            }
        }
        if (c.getString("learner.type").equals("dkvb")) {
            if (training == Mode.TASK_INCREMENTAL) {
                throw err(sourceOf, defaultSource, "scenario.mode", "dkvb never receives task ids: train it "
                        + "class-incremental or domain-incremental");
            }
            supported = EnumSet.of(training);
            String init = c.getString("learner.dkvb.key_init");
            if (!type.equals("gaussian-toy") && init.equals(dataset)) {
                throw err(sourceOf, defaultSource, "learner.dkvb.key_init", "keys must be initialised on another "
                        + "source than the stream (" + dataset + ")");
            }
            if (c.getInt("learner.dkvb.top_k") > c.getInt("learner.dkvb.pairs")) {
                throw err(sourceOf, defaultSource, "learner.dkvb.top_k", "top-k " + c.getInt("learner.dkvb.top_k")
                        + " exceeds the " + c.getInt("learner.dkvb.pairs") + " pairs per codebook");
            }
            if (c.getString("learner.dkvb.decoder").equals("mean") && c.getInt("learner.dkvb.value_dim") != 0) {
                throw err(sourceOf, defaultSource, "learner.dkvb.value_dim", "the mean decoder needs value_dim 0 "
                        + "(= number of classes)");
            }
            if (c.getDouble("learner.dkvb.init_decay") <= 0) {
                throw err(sourceOf, defaultSource, "learner.dkvb.init_decay", "must be in (0, 1)");
            }
        }
        for (String m : evaluationModes(c)) {
            if (!supported.contains(Mode.parse(m))) {
                throw err(sourceOf, defaultSource, "evaluation.modes", "a " + c.getString("learner.type")
                        + " learner trained " + training + " cannot be evaluated " + m + " (possible: "
                        + supported.stream().map(Mode::key).sorted().toList() + ")");
            }
        }
    }

    /** The modes to evaluate: the configured list or, if empty, the training mode. */
    static List<String> evaluationModes(RunConfig c) {
        List<String> l = c.getStringList("evaluation.modes");
        return l.isEmpty() ? List.of(c.getString("scenario.mode")) : l;
    }

    private static ConfigException err(Map<String, String> sourceOf, String def, String key, String msg) {
        return new ConfigException(sourceOf.getOrDefault(key, def), key, msg);
    }
}
