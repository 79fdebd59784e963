/**
 * The one training loop every learner runs on. {@link org.cllab.core.loop.TaskLoop} owns the per-task order
 * generator, the epochs-or-iterations {@link org.cllab.core.loop.Budget}, the optimiser reset, the per-step
 * workspace, the listener calls and a {@link org.cllab.core.loop.StepGuard} (called with each step's loss before the
 * update); the learner supplies a {@link org.cllab.core.loop.TrainingStep} (an {@code MlpClassifier}, HNET's step, a
 * SameDiff graph through {@code SameDiffModel}, or the meta-learning {@link org.cllab.core.loop.InnerOuterStep}).
 * {@link org.cllab.core.loop.TrainingHook}s (EWC, SI, LwF, replay) run in a fixed phase order and save their own
 * state, so they compose by configuration.
 */
package org.cllab.core.loop;
