/**
 * Runs: YAML configs with a schema ({@link org.cllab.runs.config}), the run directory with checkpoints, resume,
 * provenance and summary ({@link org.cllab.runs.run}), and the {@code cl} command line ({@link org.cllab.runs.cli}).
 */
package org.cllab.runs;
