package org.cllab.core.nn;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ND4J workspace around one training or evaluation step: every temporary array created inside is carved from
 * one reused off-heap block instead of being malloc'ed and left for the garbage collector. Arrays that must outlive
 * the step (parameters, gradients, optimiser moments) are created outside and only written in place inside.
 *
 * <pre>{@code try (StepScope s = StepScope.open("train")) { ... } }</pre>
 */
public final class StepScope implements AutoCloseable {
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.2)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private final MemoryWorkspace workspace;

    private StepScope(MemoryWorkspace workspace) {
        this.workspace = workspace;
    }

    /** Opens the workspace {@code CLLAB_<name>} for the current thread. */
    public static StepScope open(String name) {
        return new StepScope(Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, "CLLAB_" + name));
    }

    @Override
    public void close() {
        workspace.close();
    }
}
