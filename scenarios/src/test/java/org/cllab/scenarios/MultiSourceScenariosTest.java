package org.cllab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cllab.core.api.Mode;
import org.cllab.core.api.Scenario;
import org.cllab.core.data.TaskData;
import org.cllab.core.data.ValidationSplit;
import org.cllab.core.rng.Rng;
import org.cllab.core.spi.SettingProblem;
import org.cllab.scenarios.MultiSourceScenarios.MultiSourceSettings;
import org.cllab.scenarios.data.ImageSet;
import org.cllab.scenarios.spi.ScenarioChecks;
import org.junit.jupiter.api.Test;

/** The multi-source stream on small synthetic image sets: K-shot target, disjoint splits, source transforms. */
class MultiSourceScenariosTest {
    private static ImageSet images(String name, int n, long seed) {
        Rng rng = new Rng(seed);
        byte[] px = new byte[n * 16];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
            // pixel 0 encodes the image index, so images can be recognised after reading
            px[i * 16] = (byte) (i % 256);
            px[i * 16 + 1] = (byte) (i / 256);
            for (int k = 2; k < 16; k++) {
                px[i * 16 + k] = (byte) rng.nextInt(256);
            }
        }
        return new ImageSet(name, 4, 4, 1, px, y);
    }

    private static MultiSourceSettings settings(List<String> sources, int[] ranks, int k) {
        return new MultiSourceSettings(sources, ranks, k, 40, 100, 0, 15.0, "", "");
    }

    private static int id(TaskData d, int i) {
        float[] f = new float[d.featureDim()];
        d.copyFeatures(i, f, 0);
        return Math.round(f[0] * 255) + 256 * Math.round(f[1] * 255);
    }

    private static int id255(float a, float b) {
        return Math.round(a * 255) + 256 * Math.round(b * 255);
    }

    @Test
    void targetHasKShotsPerClassAndDisjointValidationAndSources() {
        ImageSet[] fm = {images("f-train", 600, 1), images("f-test", 200, 2)};
        ImageSet[] mn = {images("m-train", 300, 3), images("m-test", 100, 4)};
        Scenario s = MultiSourceScenarios.build(settings(List.of("fmnist-invert", "mnist",
                "fmnist-shuffled-labels"), new int[0], 5), fm, mn, 7);
        assertEquals(1, s.info().numTasks());
        assertEquals(10, s.info().numClasses());
        assertEquals(List.of("s00:fmnist-invert", "s01:mnist", "s02:fmnist-shuffled-labels"),
                List.copyOf(new java.util.TreeSet<>(s.sources(0).keySet())));
        TaskData target = s.train(0);
        ValidationSplit split = assertInstanceOf(ValidationSplit.class, target);
        assertEquals(50, target.size());
        int[] perClass = new int[10];
        Set<Integer> shots = new HashSet<>();
        for (int i = 0; i < target.size(); i++) {
            perClass[target.localLabel(i)]++;
            assertEquals(target.localLabel(i), target.classLabel(i));
            shots.add(id(target, i));
        }
        for (int c : perClass) {
            assertEquals(5, c);
        }
        assertEquals(40, split.validation().size());
        Set<Integer> val = new HashSet<>();
        for (int i = 0; i < split.validation().size(); i++) {
            val.add(id(split.validation(), i));
        }
        assertEquals(40, val.size());
        assertTrue(val.stream().noneMatch(shots::contains), "validation overlaps the K-shot images");
        assertEquals(200, s.test(0).size());
        // the shuffled-label source (task 2) reads Fashion-MNIST images outside the target's
        TaskData shuffled = s.sources(0).get("s02:fmnist-shuffled-labels");
        assertEquals(100, shuffled.size());
        int agree = 0;
        for (int i = 0; i < shuffled.size(); i++) {
            int img = id(shuffled, i);
            assertFalse(shots.contains(img) || val.contains(img), "source image " + img + " is a target image");
            agree += shuffled.localLabel(i) == img % 10 ? 1 : 0;
        }
        assertTrue(agree < 40, "shuffled labels agree with the true ones on " + agree + " of 100");
        // the inverted source reads 1 - x
        float[] f = new float[16];
        TaskData inverted = s.sources(0).get("s00:fmnist-invert");
        inverted.copyFeatures(0, f, 0);
        float[] g = new float[16];
        fm[0].copyImage(id255(1f - f[0], 1f - f[1]), g, 0);
        for (int j = 0; j < 16; j++) {
            assertEquals(1f - g[j], f[j], 1e-6);
        }
        assertEquals(100, s.sources(0).get("s01:mnist").size());
    }

    @Test
    void sameSeedSameStreamOtherSeedOtherShots() {
        ImageSet[] fm = {images("f-train", 600, 1), images("f-test", 200, 2)};
        MultiSourceSettings st = settings(List.of("fmnist-rot"), new int[0], 2);
        Scenario a = MultiSourceScenarios.build(st, fm, null, 7);
        Scenario b = MultiSourceScenarios.build(st, fm, null, 7);
        Scenario c = MultiSourceScenarios.build(st, fm, null, 8);
        boolean differs = false;
        for (int i = 0; i < a.train(0).size(); i++) {
            assertEquals(id(a.train(0), i), id(b.train(0), i));
            differs |= id(a.train(0), i) != id(c.train(0), i);
        }
        assertTrue(differs);
    }

    @Test
    void checksNameTheKey() {
        MultiSourceScenarios.Type type = new MultiSourceScenarios.Type();
        ScenarioChecks ti = new ScenarioChecks(Mode.TASK_INCREMENTAL, false, Map.of());
        SettingProblem p = assertThrows(SettingProblem.class,
                () -> type.check(settings(List.of("mnist", "svhn"), new int[0], 5), ti));
        assertTrue(p.getMessage().contains("svhn"), p.getMessage());
        p = assertThrows(SettingProblem.class,
                () -> type.check(settings(List.of("mnist", "fmnist-rot"), new int[] {1, 1}, 5), ti));
        assertTrue(p.getMessage().contains("permutation"), p.getMessage());
        assertThrows(SettingProblem.class, () -> type.check(settings(List.of("mnist"), new int[0], 5),
                new ScenarioChecks(Mode.CLASS_INCREMENTAL, false, Map.of())));
        type.check(settings(List.of("mnist", "fmnist-rot"), new int[] {2, 1}, 5), ti);
        assertEquals(1, type.tasks(settings(List.of("mnist", "fmnist-rot"), new int[0], 5)));
    }
}
