package org.cllab.core.eval;

import org.cllab.core.api.TaskInfo;

/** Observes the protocol (for logs and progress). All methods default to no-ops. */
public interface ProtocolListener {
    ProtocolListener NONE = new ProtocolListener() {
    };

    /** Called when the protocol resumes after {@code tasksDone} completed tasks. */
    default void onResume(int tasksDone) {
    }

    /** Called before training {@code task}. */
    default void onTaskStart(TaskInfo task) {
    }

    /** Called after a row of the accuracy matrices has been evaluated and checkpointed. */
    default void onBoundary(ProtocolState state) {
    }
}
