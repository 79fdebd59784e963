package org.cllab.runs.run;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LearnerContract} on the CUDA backend ({@code ./mvnw -Dcuda -Pgpu-only verify} on a machine with a GPU;
 * {@code .ci/run} runs this tier). Skips at run time, with the reason, when ND4J's backend is not CUDA or sees no
 * device.
 */
@Tag("gpu")
class LearnerContractGpuTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void needsGpu() {
        String backend;
        int devices;
        try {
            backend = Nd4j.getBackend().getClass().getSimpleName();
            devices = Nd4j.getAffinityManager().getNumberOfDevices();
        } catch (Throwable e) {
            backend = "unavailable (" + e + ")";
            devices = 0;
        }
        assumeTrue(backend.toLowerCase(Locale.ROOT).contains("cublas") && devices > 0,
                "no GPU: ND4J backend " + backend + " with " + devices + " device(s); run with -Dcuda on a GPU machine");
    }

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
}
