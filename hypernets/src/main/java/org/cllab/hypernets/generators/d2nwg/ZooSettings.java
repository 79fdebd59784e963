package org.cllab.hypernets.generators.d2nwg;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cllab.core.spi.SettingProblem;

/**
 * The {@code zoo.*} keys of a D2NWG zoo config.
 *
 * @param encoder        frozen encoder file (from {@code cl pretrain-encoder})
 * @param fashionDir     Fashion-MNIST IDX directory
 * @param seed           draws the tasks, the splits and the training seeds
 * @param tasks          tasks in the zoo
 * @param heldOut        the last {@code heldOut} tasks are unseen: the generator never trains on them
 * @param ways           classes per task
 * @param rotations      rotations (degrees, multiples of 90) a task draws from
 * @param seeds          trained copies of the target per task
 * @param checkpoints    last checkpoints kept per copy
 * @param trainPerClass  training images per class
 * @param valPerClass    validation images per class (disjoint from training, from the training split)
 * @param testPerClass   test images per class (from the test split, only for reporting)
 * @param steps          Adam steps per copy
 * @param every          steps between kept checkpoints
 * @param batch          minibatch size
 * @param lr             Adam learning rate
 */
public record ZooSettings(Path encoder, Path fashionDir, long seed, int tasks, int heldOut, int ways, int[] rotations,
                          int seeds, int checkpoints, int trainPerClass, int valPerClass, int testPerClass, int steps,
                          int every, int batch, double lr) {
    static ZooSettings read(Keys k) {
        ZooSettings s = new ZooSettings(Path.of(k.s("zoo.encoder", null)),
                Path.of(k.s("zoo.fashion_dir", "/usr/share/datasets/fashion-mnist")), k.l("zoo.seed", 0),
                k.i("zoo.tasks", 40), k.i("zoo.held_out", 8), k.i("zoo.ways", 5), k.ints("zoo.rotations",
                new int[] {0, 90}), k.i("zoo.seeds", 3), k.i("zoo.checkpoints", 3), k.i("zoo.train_per_class", 200),
                k.i("zoo.val_per_class", 100), k.i("zoo.test_per_class", 500), k.i("zoo.steps", 300),
                k.i("zoo.checkpoint_every", 20), k.i("zoo.batch", 64), k.d("zoo.lr", 0.01));
        for (String key : new String[] {"zoo.tasks", "zoo.ways", "zoo.seeds", "zoo.checkpoints", "zoo.train_per_class",
                "zoo.val_per_class", "zoo.test_per_class", "zoo.steps", "zoo.checkpoint_every", "zoo.batch"}) {
            Keys.positive(key, k.i(key, 1));
        }
        Keys.positive("zoo.lr", s.lr);
        if (s.heldOut < 0 || s.heldOut >= s.tasks) {
            throw new SettingProblem("zoo.held_out", "must be in 0.." + (s.tasks - 1) + ", got " + s.heldOut);
        }
        if (s.ways < 2 || s.ways > 20) {
            throw new SettingProblem("zoo.ways", "must be in 2..20, got " + s.ways);
        }
        for (int r : s.rotations) {
            if (r % 90 != 0) {
                throw new SettingProblem("zoo.rotations", "multiples of 90 only, got " + r);
            }
        }
        if ((long) s.checkpoints * s.every > s.steps) {
            throw new SettingProblem("zoo.checkpoints", "checkpoints x checkpoint_every exceeds zoo.steps");
        }
        return s;
    }

    /** The settings that define the zoo's contents, as recorded in {@code zoo.json} (a resume must match them). */
    Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("tasks", tasks);
        m.put("held_out", heldOut);
        m.put("ways", ways);
        m.put("rotations", java.util.Arrays.toString(rotations));
        m.put("seeds", seeds);
        m.put("checkpoints", checkpoints);
        m.put("train_per_class", trainPerClass);
        m.put("val_per_class", valPerClass);
        m.put("test_per_class", testPerClass);
        m.put("steps", steps);
        m.put("checkpoint_every", every);
        m.put("batch", batch);
        m.put("lr", lr);
        return m;
    }
}
