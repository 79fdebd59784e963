/**
 * Shared test fixtures, published in the {@code cl-core} test-jar for the other modules' tests:
 * {@link org.cllab.core.testing.SyntheticScenario}, a small seeded stream of Gaussian clusters that trains in
 * milliseconds and needs no data files.
 */
package org.cllab.core.testing;
