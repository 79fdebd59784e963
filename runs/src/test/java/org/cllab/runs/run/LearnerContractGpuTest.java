package org.cllab.runs.run;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LearnerContractTest} on the CUDA backend ({@code ./mvnw -Dcuda -Pgpu-only verify} on a machine with a GPU;
 * {@code .ci/run} runs this tier): the same cases and checks, inherited. Skips at run time, with the reason, when
 * ND4J's backend is not CUDA or sees no device.
 */
@Tag("gpu")
class LearnerContractGpuTest extends LearnerContractTest {
    private static final String NO_GPU = noGpu();

    /** Why there is no usable GPU, or null when ND4J runs on CUDA with at least one device. */
    private static String noGpu() {
        String backend;
        int devices;
        try {
            backend = Nd4j.getBackend().getClass().getSimpleName();
            devices = Nd4j.getAffinityManager().getNumberOfDevices();
        } catch (Throwable e) {
            backend = "unavailable (" + e + ")";
            devices = 0;
        }
        return backend.toLowerCase(Locale.ROOT).contains("cublas") && devices > 0 ? null
                : "no GPU: ND4J backend " + backend + " with " + devices + " device(s); run with -Dcuda on a GPU machine";
    }

    @BeforeEach
    void needsGpu() {
        assumeTrue(NO_GPU == null, NO_GPU);
    }
}
