/**
 * Hypernetworks for continual learning. A {@link org.cllab.hypernets.TargetNetwork} owns no weights: it publishes
 * its parameter count and runs on a weight vector it is given. A {@link org.cllab.hypernets.ChunkedHyperNetwork}
 * generates that vector from a task embedding (conditional parameter) with shared parameters (MLP weights and chunk
 * embeddings). {@link org.cllab.hypernets.HnetLearner} is HNET (von Oswald et al., ICLR 2020) with its output
 * regulariser and minimum-entropy task inference. Gradients are written by hand on ND4J and checked by finite
 * differences ({@code HypernetGradientCheckTest}). The RNN hypernetwork arrives with issue 4's second part.
 */
package org.cllab.hypernets;
