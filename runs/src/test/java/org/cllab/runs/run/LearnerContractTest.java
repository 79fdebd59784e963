package org.cllab.runs.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link LearnerContract} for every registered learner type x training mode, on the CPU (fast tier). */
class LearnerContractTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> cases() {
        return LearnerContract.cases();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void resumedRunEqualsUninterrupted(String learner, String mode) throws IOException {
        LearnerContract.resumeIsByteIdentical(learner, mode, tmp);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void declaredEvaluationModesMatchPredictors(String learner, String mode) {
        LearnerContract.declaredModesMatchPredictors(learner, mode);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everySettingIsDocumented(String learner, String mode) throws IOException {
        LearnerContract.settingsAreDocumented(learner);
    }
}
