package org.cllab.core.api;

/**
 * A boundary-free learner: it consumes a plain sample stream and is never told a task id or that a task has
 * ended. The protocol still evaluates it at the (hidden) task boundaries to fill the accuracy matrix.
 */
public interface StreamingLearner extends ContinualLearner {
    void observe(StreamBatch batch);

    /** Minibatch size the learner wants from the stream. */
    int streamBatchSize();
}
