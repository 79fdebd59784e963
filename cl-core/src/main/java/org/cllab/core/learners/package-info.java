/**
 * The learners on a multi-layer perceptron and what they share. {@link org.cllab.core.learners.FinetuneLearner}
 * trains one MLP task after task; without hooks it is Finetune (the lower bound), with training hooks it is EWC and
 * online EWC ({@link org.cllab.core.learners.EwcHook}), SI ({@link org.cllab.core.learners.SiHook}), LwF
 * ({@link org.cllab.core.learners.LwfHook}), experience replay ({@link org.cllab.core.learners.ReplayHook}) or any
 * combination of them (the {@code composed} type, e.g. EWC + replay).
 * {@link org.cllab.core.learners.JointLearner} trains on the union of all tasks seen so far (the upper bound).
 * {@link org.cllab.core.learners.BaselineLearners} registers them as plug-ins. Shared parts: the output layout per
 * mode ({@link org.cllab.core.learners.OutputLayout}), the classifier as a training step
 * ({@link org.cllab.core.learners.MlpClassifier}), minibatches, the diagonal Fisher, minimum-entropy task inference
 * ({@link org.cllab.core.learners.EntropyTaskInference}) and the SameDiff adapter
 * ({@link org.cllab.core.learners.SameDiffModel}). Sub-packages hold the key-value bottleneck and nearest class mean.
 */
package org.cllab.core.learners;
