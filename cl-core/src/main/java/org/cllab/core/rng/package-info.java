/**
 * Seeded, checkpointable randomness. Every component owns an {@link org.cllab.core.rng.Rng} derived from a
 * root seed and a component name by {@link org.cllab.core.rng.Seeds}; nothing uses process-global random state.
 */
package org.cllab.core.rng;
