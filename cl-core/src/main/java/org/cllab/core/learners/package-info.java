/**
 * Baseline learners on a multi-layer perceptron: {@link org.cllab.core.learners.FinetuneLearner} (plain
 * sequential training, the lower bound) and {@link org.cllab.core.learners.JointLearner} (training on the union
 * of all tasks seen so far, the upper bound), plus the pieces they share: the output layout per mode and the
 * minibatch training loop.
 */
package org.cllab.core.learners;
