/**
 * Task streams built from image datasets: Split (N tasks of k classes, seeded class order), Permuted (seeded
 * pixel permutations) and Rotated (fixed rotation angles). All of them are views over one loaded
 * {@link org.cllab.scenarios.data.ImageSet}; nothing is copied per task. Also the 2-D Gaussian toy of the key-value
 * bottleneck paper ({@link org.cllab.scenarios.GaussianToyScenario}) and frozen-encoder features of any scenario
 * ({@link org.cllab.scenarios.EncodedScenario}).
 */
package org.cllab.scenarios;
