package org.cllab.runs.run;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link LearnerContract} for the D2NWG learner alone (it also runs in {@link LearnerContractTest} with every
 * other type): a run killed after task 2 and resumed equals an uninterrupted one (matrices and learner-state bytes).
 * The learner type is named only in this test, never in {@code runs}' sources.
 */
class D2nwgContractTest {
    @TempDir
    Path tmp;

    @Test
    void resumedRunEqualsUninterruptedAndModesMatch() throws IOException {
        LearnerContract.resumeIsByteIdentical("d2nwg", "task-incremental", tmp);
        LearnerContract.declaredModesMatchPredictors("d2nwg", "task-incremental");
        LearnerContract.settingsAreDocumented("d2nwg");
    }
}
