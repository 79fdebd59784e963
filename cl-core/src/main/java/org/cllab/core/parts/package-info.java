/**
 * The typed parts that turn a plain learner into a continual-learning baseline, each testable without a training
 * loop: the quadratic {@link org.cllab.core.parts.EwcPenalty} (EWC and online EWC), the
 * {@link org.cllab.core.parts.SiImportance} path integral (Synaptic Intelligence), the replay buffers
 * {@link org.cllab.core.parts.ReservoirBuffer} and {@link org.cllab.core.parts.ClassBalancedBuffer}, and
 * {@link org.cllab.core.parts.Distillation} (Learning without Forgetting). All work on flat parameter vectors or
 * logits and save their state under a prefix.
 */
package org.cllab.core.parts;
