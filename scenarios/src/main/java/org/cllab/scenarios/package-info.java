/**
 * Task streams built from image datasets: Split (N tasks of k classes, seeded class order), Permuted (seeded
 * pixel permutations) and Rotated (fixed rotation angles). All of them are views over one loaded
 * {@link org.cllab.scenarios.data.ImageSet}; nothing is copied per task.
 */
package org.cllab.scenarios;
