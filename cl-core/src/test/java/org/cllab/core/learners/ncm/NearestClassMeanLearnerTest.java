package org.cllab.core.learners.ncm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.cllab.core.api.ClassIncrementalQuery;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.ScenarioInfo;
import org.cllab.core.api.StreamBatch;
import org.cllab.core.api.TaskAwareLearner;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Nearest class mean: hand-computed means and answers, unseen classes, order invariance, checkpoints. */
class NearestClassMeanLearnerTest {
    private static NearestClassMeanLearner learner(NearestClassMeanLearner.Metric metric) {
        ScenarioInfo info = new ScenarioInfo("t", List.of(new TaskInfo(0, "0,1", new int[] {0, 1}),
                new TaskInfo(1, "2", new int[] {2})), 2, new int[] {1, 1, 2}, 3, 2);
        return new NearestClassMeanLearner(new LearnerContext(info, Mode.CLASS_INCREMENTAL, 0,
                TrainingListener.NONE), 4, metric);
    }

    private static INDArray x(float... v) {
        return Nd4j.create(v, new long[] {v.length / 2, 2}, DataType.FLOAT);
    }

    @Test
    void meansAndAnswersMatchHandValues() {
        NearestClassMeanLearner l = learner(NearestClassMeanLearner.Metric.EUCLIDEAN);
        assertArrayEquals(new int[] {-1, -1}, l.predict(new ClassIncrementalQuery(x(0, 0, 5, 5))));
        // class 0 at (0,0) and (2,0): mean (1,0); class 1 at (4,4): mean (4,4); class 2 unseen
        l.observe(new StreamBatch(x(0, 0, 2, 0, 4, 4), new int[] {0, 0, 1}));
        double[][] m = l.means();
        assertArrayEquals(new double[] {1, 0}, m[0], 0);
        assertArrayEquals(new double[] {4, 4}, m[1], 0);
        assertEquals(null, m[2]);
        // (2.4,2.4): distances^2 to (1,0) = 1.96 + 5.76 = 7.72, to (4,4) = 2.56 + 2.56 = 5.12 -> class 1
        // (2.6,1.0): to (1,0) = 2.56 + 1 = 3.56, to (4,4) = 1.96 + 9 = 10.96 -> class 0; never class 2
        assertArrayEquals(new int[] {1, 0}, l.predict(new ClassIncrementalQuery(x(2.4f, 2.4f, 2.6f, 1.0f))));
        l.observe(new StreamBatch(x(10, 10), new int[] {2}));
        assertArrayEquals(new int[] {2, 0}, l.predict(new ClassIncrementalQuery(x(9, 9, 1, 0))));
        assertArrayEquals(new int[] {2, 1, 1}, l.counts());
    }

    @Test
    void cosineComparesDirectionsOnly() {
        NearestClassMeanLearner l = learner(NearestClassMeanLearner.Metric.COSINE);
        l.observe(new StreamBatch(x(1, 0, 0, 3), new int[] {0, 1}));
        // (10, 1) points along class 0 although it is far from (1,0) in Euclidean terms
        assertArrayEquals(new int[] {0, 1}, l.predict(new ClassIncrementalQuery(x(10, 1, 0.1f, 5))));
    }

    @Test
    void laterClassesNeverChangeEarlierAnswersAndOrderDoesNotMatter() {
        NearestClassMeanLearner a = learner(NearestClassMeanLearner.Metric.EUCLIDEAN);
        NearestClassMeanLearner b = learner(NearestClassMeanLearner.Metric.EUCLIDEAN);
        a.observe(new StreamBatch(x(0, 0, 2, 0), new int[] {0, 0}));
        a.observe(new StreamBatch(x(4, 4), new int[] {1}));
        b.observe(new StreamBatch(x(4, 4, 2, 0), new int[] {1, 0}));
        b.observe(new StreamBatch(x(0, 0), new int[] {0}));
        assertArrayEquals(a.means()[0], b.means()[0], 0);
        assertArrayEquals(a.means()[1], b.means()[1], 0);
    }

    @Test
    void checkpointRoundTripRestoresTheMeans() throws IOException {
        NearestClassMeanLearner a = learner(NearestClassMeanLearner.Metric.EUCLIDEAN);
        a.observe(new StreamBatch(x(0, 0, 2, 0, 4, 4), new int[] {0, 0, 1}));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            a.saveState(w);
        }
        NearestClassMeanLearner b = learner(NearestClassMeanLearner.Metric.EUCLIDEAN);
        b.loadState(new StateReader(new ByteArrayInputStream(bos.toByteArray())));
        assertArrayEquals(a.counts(), b.counts());
        assertArrayEquals(a.means()[0], b.means()[0], 0);
        INDArray q = x(2.4f, 2.4f, 2.6f, 1.0f);
        assertArrayEquals(a.predict(q), b.predict(q));
    }

    @Test
    void refusesTaskIdsAndBadLabels() {
        NearestClassMeanLearner l = learner(NearestClassMeanLearner.Metric.EUCLIDEAN);
        assertEquals(false, TaskAwareLearner.class.isAssignableFrom(NearestClassMeanLearner.class));
        assertThrows(IllegalArgumentException.class, () -> l.observe(new StreamBatch(x(0, 0), new int[] {3})));
    }
}
