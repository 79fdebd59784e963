/**
 * The discrete key-value bottleneck (Träuble et al., "Discrete Key-Value Bottleneck", ICML 2023): a boundary-free
 * learner that never receives a task id or a task boundary. A frozen encoder's features are cut into C heads by
 * fixed random projections (or chunks); each head looks up its nearest of M frozen keys in its own codebook and
 * fetches the paired value; a parameter-free decoder averages the fetched values into logits. Only the values are
 * trained, sparsely: a sample only moves the values of the keys it selected.
 *
 * <p>{@link org.cllab.core.learners.dkvb.EmaKMeans} initialises the keys on unlabeled data from another source
 * before any continual learning; {@link org.cllab.core.learners.dkvb.KeyValueBottleneck} holds projections, keys,
 * values and usage counts; {@link org.cllab.core.learners.dkvb.DkvbLearner} is the
 * {@link org.cllab.core.api.StreamingLearner}.
 */
package org.cllab.core.learners.dkvb;
