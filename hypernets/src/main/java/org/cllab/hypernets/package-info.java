/**
 * Hypernetworks for continual learning. A {@link org.cllab.hypernets.TargetNetwork} owns no weights: it publishes
 * its parameter count and runs on a weight vector it is given. A {@link org.cllab.hypernets.ChunkedHyperNetwork}
 * generates that vector from a task embedding (conditional parameter) with shared parameters (MLP weights and chunk
 * embeddings); a {@link org.cllab.hypernets.RnnHyperNetwork} generates it chunk by chunk with an LSTM, and can grow.
 * {@link org.cllab.hypernets.HypernetLearner} trains either with the output regulariser (optionally importance
 * weighted) and infers tasks by minimum entropy. Gradients are written by hand on ND4J and checked by finite
 * differences ({@code HypernetGradientCheckTest}).
 */
package org.cllab.hypernets;
