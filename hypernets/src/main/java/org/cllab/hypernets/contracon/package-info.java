/**
 * ConTraCon (Roy et al., "Exemplar-Free Continual Transformer with Convolutions", ICCV 2023; code CVIR/contracon):
 * a compact convolutional transformer (CCT) trained whole on the first task, whose frozen task-0 query/key/value
 * matrices are re-weighted for every later task by small per-head convolutions with a gated skip, plus per-task
 * LayerNorms, sequence pooling and head; without a task id, the task is identified by the lowest softmax entropy over
 * augmented views.
 *
 * <p>Why this module: the learner is built on SameDiff (convolutions, attention, LayerNorm with autodiff), generates
 * each task's attention weights from shared ones by learned per-task parameters (a weight-generating learner, like
 * the hypernetworks here) and answers class-incremental queries by the same entropy-based task inference as HNET.
 * {@code cl-core} stays the home of the light MLP baselines and the framework; {@code meta-learning} is for
 * meta-learners.
 */
package org.cllab.hypernets.contracon;
