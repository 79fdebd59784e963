/**
 * {@code cl reproduce}: reproduction files ({@code runs/reproductions/*.yaml}) that name the runs behind a results
 * table, the figures it shows and the reference value of each figure with its source and tolerance; the runs go
 * through the sweep machinery (resumable), the table puts ours (mean, std, 95 % bootstrap interval, seeds) beside the
 * reference, and {@code --check} fails on every figure outside its tolerance.
 */
package org.cllab.runs.reproduce;
