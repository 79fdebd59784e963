package org.cllab.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DivergenceGuardTest {
    private static final TaskInfo TASK = new TaskInfo(2, "task-3", new int[] {4, 5});

    @Test
    void finiteLossesPassAndTheFirstNonFiniteOneStops() {
        List<Double> seen = new ArrayList<>();
        DivergenceGuard g = new DivergenceGuard(new TrainingListener() {
            @Override
            public void onStep(TaskInfo task, long step, double loss) {
                seen.add(loss);
            }
        });
        g.onStep(TASK, 1, 2.5);
        g.onStep(TASK, 2, 1e30);
        DivergedException e = assertThrows(DivergedException.class, () -> g.onStep(TASK, 3, Double.NaN));
        assertEquals("training diverged: loss is NaN in task 3 at step 3", e.getMessage());
        assertEquals(3, e.task());
        assertEquals(3, e.step());
        assertThrows(DivergedException.class, () -> g.onStep(TASK, 4, Double.NEGATIVE_INFINITY));
        assertEquals(List.of(2.5, 1e30), seen, "the non-finite losses are not passed on");
    }
}
