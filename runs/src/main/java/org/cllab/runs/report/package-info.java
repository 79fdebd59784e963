/**
 * Reports over many runs: finds finished run directories, groups them by learner x scenario x mode and aggregates
 * their metrics over seeds (mean and sample standard deviation).
 */
package org.cllab.runs.report;
