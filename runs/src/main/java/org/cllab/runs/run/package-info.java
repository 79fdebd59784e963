/**
 * One run: building the scenario and learner from a validated config, the run directory (resolved config,
 * provenance, per-task metrics, accuracy matrices, log, checkpoints, summary), atomic file writes and resume
 * after the last completed task.
 */
package org.cllab.runs.run;
