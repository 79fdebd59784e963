package org.cllab.scenarios.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.DomainIncrementalPredictor;
import org.cllab.core.api.DomainIncrementalQuery;
import org.cllab.core.api.FewShotAdapter;
import org.cllab.core.api.FewShotEpisode;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TrainingExperience;
import org.cllab.core.data.TaskData;
import org.cllab.core.eval.BoundaryStore;
import org.cllab.core.eval.ContinualProtocol;
import org.cllab.core.eval.FewShotProbe;
import org.cllab.core.eval.ProtocolListener;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.cllab.scenarios.data.ImageSet;
import org.junit.jupiter.api.Test;

class FewShotScenarioTest {
    private static final int SIDE = 28;
    private static final FewShotScenario.Shape SHAPE = new FewShotScenario.Shape(4, 3, 2, 3, 50, 20, 5, 3, 0.1);

    /** Random images (no two alike), {@code perClass} of each of 10 classes. */
    private static ImageSet images(String source, int perClass, long seed) {
        Rng rng = new Rng(seed);
        int n = 10 * perClass;
        byte[] px = new byte[n * SIDE * SIDE];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) rng.nextInt(256);
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new ImageSet(source, SIDE, SIDE, 1, px, labels);
    }

    private static FewShotScenario scenario(long seed) {
        return FewShotScenario.create(images("mnist-train", 16, 1), images("mnist-test", 16, 2),
                images("fashion-train", 16, 3), images("fashion-test", 16, 4), SHAPE, seed);
    }

    private static Set<String> vectors(TaskData d) {
        Set<String> s = new HashSet<>();
        float[] x = new float[d.featureDim()];
        for (int i = 0; i < d.size(); i++) {
            d.copyFeatures(i, x, 0);
            s.add(Arrays.toString(x));
        }
        return s;
    }

    @Test
    void poolsAreDisjointAndSplitByTheStreamSeed() {
        FewShotScenario a = scenario(7);
        Set<Integer> train = new HashSet<>();
        Arrays.stream(a.trainingPool()).forEach(train::add);
        Set<Integer> held = new HashSet<>();
        Arrays.stream(a.heldOutPool()).forEach(held::add);
        assertEquals(50, train.size());
        assertEquals(20, held.size());
        held.forEach(h -> assertFalse(train.contains(h), "pseudo-class " + h + " in both pools"));
        assertTrue(train.stream().allMatch(i -> i >= 0 && i < 80));
        assertArrayEquals(a.heldOutPool(), scenario(7).heldOutPool());
        assertFalse(Arrays.equals(a.heldOutPool(), scenario(8).heldOutPool()));
        for (int e = 0; e < 5; e++) {
            for (int id : a.episodeClasses(e)) {
                assertTrue(held.contains(id), "episode " + e + " uses training-pool class " + id);
            }
        }
    }

    @Test
    void tasksAreNWayKShotWithQuerySets() {
        FewShotScenario s = scenario(7);
        assertEquals(4, s.info().numTasks());
        assertEquals(50, s.info().numClasses());
        assertEquals(3, s.info().localClasses());
        for (int t = 0; t < 4; t++) {
            TaskData tr = s.train(t);
            TaskData te = s.test(t);
            assertEquals(3 * 2, tr.size());
            assertEquals(3 * 3, te.size());
            int[] cls = s.info().task(t).classes();
            for (int i = 0; i < tr.size(); i++) {
                assertEquals(cls[tr.localLabel(i)], tr.classLabel(i));
            }
            assertTrue(vectors(tr).stream().noneMatch(vectors(te)::contains), "support and query overlap");
        }
        List<FewShotEpisode> eps = s.probeEpisodes();
        assertEquals(5, eps.size());
        assertEquals(6, eps.get(0).support().size());
        assertEquals(9, eps.get(0).query().size());
    }

    @Test
    void impossibleShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FewShotScenario.create(images("a", 16, 1),
                images("b", 16, 2), images("c", 16, 3), images("d", 16, 4),
                new FewShotScenario.Shape(2, 3, 2, 3, 70, 20, 1, 3, 0.1), 1));
        assertThrows(IllegalArgumentException.class, () -> FewShotScenario.create(images("a", 16, 1),
                images("b", 16, 2), images("c", 16, 3), images("d", 16, 4),
                new FewShotScenario.Shape(2, 3, 9, 3, 50, 20, 1, 3, 0.1), 1));
    }

    /**
     * Runs the protocol with a learner that records every feature vector the probe shows it (support sets in
     * {@code adapt}, query sets in the adapted predictor): none belongs to a training-pool pseudo-class, all belong
     * to held-out ones, and the probe never calls the learner's training method.
     */
    @Test
    void theProbeNeverTouchesTrainingPoolData() throws IOException {
        FewShotScenario s = scenario(11);
        Set<String> trainingPool = new HashSet<>();
        for (int id : s.trainingPool()) {
            trainingPool.addAll(vectors(s.allOf(id, true)));
            trainingPool.addAll(vectors(s.allOf(id, false)));
        }
        Set<String> heldOut = new HashSet<>();
        for (int id : s.heldOutPool()) {
            heldOut.addAll(vectors(s.allOf(id, true)));
            heldOut.addAll(vectors(s.allOf(id, false)));
        }
        for (int t = 0; t < s.info().numTasks(); t++) {
            assertTrue(trainingPool.containsAll(vectors(s.train(t))), "task data outside the training pool");
        }
        Spy spy = new Spy();
        ContinualProtocol.Result r = ContinualProtocol.run(s, spy, new ContinualProtocol.Options(
                List.of(Mode.DOMAIN_INCREMENTAL), Mode.DOMAIN_INCREMENTAL, 4, 1), BoundaryStore.NONE,
                ProtocolListener.NONE);
        assertEquals(5, r.probe().size());
        assertEquals(4, spy.learnCalls);
        assertEquals(5 * 5, spy.adaptCalls);
        assertFalse(spy.seen.isEmpty());
        for (String v : spy.seen) {
            assertFalse(trainingPool.contains(v), "the probe showed a training-pool sample");
            assertTrue(heldOut.contains(v), "the probe showed a sample outside the held-out pool");
        }
        double[] curve = FewShotProbe.curve(r.probe());
        assertEquals(5, curve.length);
    }

    /** Records what the probe shows it; answers 0. */
    private static final class Spy implements TaskAwareLearner, DomainIncrementalPredictor, FewShotAdapter {
        final Set<String> seen = new HashSet<>();
        int learnCalls;
        int adaptCalls;

        @Override
        public void learn(TrainingExperience experience) {
            learnCalls++;
        }

        @Override
        public int[] predict(DomainIncrementalQuery query) {
            return new int[(int) query.features().size(0)];
        }

        @Override
        public FewShotPredictor adapt(TaskData support, int ways, Adaptation adaptation) {
            adaptCalls++;
            seen.addAll(vectors(support));
            return q -> {
                float[][] x = q.features().toFloatMatrix();
                for (float[] row : x) {
                    seen.add(Arrays.toString(row));
                }
                return new int[x.length];
            };
        }

        @Override
        public Set<Mode> evaluationModes() {
            return Set.of(Mode.DOMAIN_INCREMENTAL);
        }

        @Override
        public void saveState(StateWriter out) {
        }

        @Override
        public void loadState(StateReader in) {
        }
    }
}
